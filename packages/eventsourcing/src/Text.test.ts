import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as Text from "./Text.ts"

// What LocalDate's calendar check answered before it took the arithmetic path: the Date-based test.
const byDate = (s: string): boolean =>
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)

const pad = (n: number, width: number) => String(n).padStart(width, "0")

describe("Text.isCalendarDate", () => {
  it("answers as Date does for every month and day of years around every leap rule", () => {
    // Years divisible by 4, 100 and 400, and not; the first and last years of the pattern. (Checked for all
    // 10,000 years when the arithmetic was written; these keep the rules honest in every run.)
    const years = [0, 1, 4, 100, 200, 400, 1582, 1600, 1700, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400, 9996, 9999]
    let checked = 0
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
          assert.strictEqual(Text.isCalendarDate(s), byDate(s), s)
          checked++
        }
      }
    }
    assert.strictEqual(checked, years.length * 14 * 33)
  })

  it("answers as Date does for strings of another shape", () => {
    for (const s of [
      "",
      "2024",
      "2024-02",
      "2024-2-9",
      "2024-02-29T",
      " 2024-02-29",
      "2024-02-29 ",
      "abcd-ef-gh",
      "+002024-01-01"
    ]) {
      assert.strictEqual(Text.isCalendarDate(s), byDate(s), JSON.stringify(s))
    }
  })

  it("keeps LocalDate's verdicts and message", () => {
    const decode = Schema.decodeUnknownResult(Text.LocalDate)
    assert.isTrue(Result.isSuccess(decode("2024-02-29")))
    assert.isTrue(Result.isSuccess(decode("2000-02-29")))
    for (const bad of ["2023-02-29", "1900-02-29", "2024-04-31"]) {
      const result = decode(bad)
      assert.isTrue(Result.isFailure(result), bad)
      if (Result.isFailure(result)) assert.include(String(result.failure), "is not a calendar date")
    }
  })
})
