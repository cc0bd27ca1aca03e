import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Scalars from "./Scalars.ts"

// What LocalDate's calendar check answered before it took the arithmetic path: the Date-based test.
const byDate = (s: string): boolean =>
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)

const pad = (n: number, width: number) => String(n).padStart(width, "0")

describe("Scalars.isCalendarDate", () => {
  it("answers as Date does for every month and day of years around every leap rule", () => {
    // Years divisible by 4, 100 and 400, and not; the first and last years of the pattern. (Checked for all
    // 10,000 years when the arithmetic was written; these keep the rules honest in every run.)
    const years = [0, 1, 4, 100, 200, 400, 1582, 1600, 1700, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400, 9996, 9999]
    let checked = 0
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
          assert.strictEqual(Scalars.isCalendarDate(s), byDate(s), s)
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
      assert.strictEqual(Scalars.isCalendarDate(s), byDate(s), JSON.stringify(s))
    }
  })

  it("keeps LocalDate's verdicts and message", () => {
    const decode = Schema.decodeUnknownResult(Scalars.LocalDate)
    assert.isTrue(Result.isSuccess(decode("2024-02-29")))
    assert.isTrue(Result.isSuccess(decode("2000-02-29")))
    for (const bad of ["2023-02-29", "1900-02-29", "2024-04-31"]) {
      const result = decode(bad)
      assert.isTrue(Result.isFailure(result), bad)
      if (Result.isFailure(result)) assert.include(String(result.failure), "is not a calendar date")
    }
  })
})

describe("Scalars.Instant", () => {
  const decode = Schema.decodeUnknownResult(Scalars.Instant)

  it("accepts exactly what toISOString writes, for any time in years 0–9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const s = new Date(ms).toISOString()
        fc.pre(/^\d{4}-/.test(s))
        assert.isTrue(Result.isSuccess(decode(s)), s)
      })
    )
  })

  it("refuses days and times that do not exist, and other offsets", () => {
    for (const bad of [
      "9999-99-99T99:99:99.999Z",
      "2024-02-30T00:00:00.000Z",
      "2023-02-29T12:00:00.000Z",
      "2024-01-01T24:00:00.000Z",
      "2024-01-01T23:60:00.000Z",
      "2024-01-01T23:59:60.000Z",
      "2024-01-01T00:00:00.000+08:00",
      "2024-01-01T00:00:00Z",
      "garbage"
    ]) {
      assert.isTrue(Result.isFailure(decode(bad)), bad)
    }
  })

  it("agrees with Date on every shape-valid string: valid exactly when toISOString gives it back", () => {
    const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((x) => String(x).padStart(n, "0"))
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`)
    fc.assert(
      fc.property(shaped, (s) => {
        const byDate = !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s
        assert.strictEqual(Result.isSuccess(decode(s)), byDate, s)
      }),
      { numRuns: 2000 }
    )
  })
})

describe("Scalars.Id and Scalars.Text", () => {
  const id = Schema.decodeUnknownResult(Scalars.Id)
  const text = Schema.decodeUnknownResult(Scalars.Text)

  it("Id refuses format characters, which would make a second id that looks like the first", () => {
    for (const bad of [
      "hh-0\u200b",
      "hh-\u202e0",
      "\ufeffhh-0",
      "hh\u00ad0",
      "hh\u2060-0",
      "hh\ud800",
      "",
      "a b",
      "t\u0000"
    ]) {
      assert.isTrue(Result.isFailure(id(bad)), JSON.stringify(bad))
    }
    for (const good of ["hh-0", "户-001", "家👪", "x".repeat(128)]) assert.isTrue(Result.isSuccess(id(good)), good)
    assert.isTrue(Result.isFailure(id("x".repeat(129))))
  })

  it("Text refuses NUL and lone surrogates, and keeps pairs and joiners", () => {
    for (const bad of ["a\u0000", "half \ud83d", "\udc00 low", "\udc00\ud800"]) {
      assert.isTrue(Result.isFailure(text(bad)), JSON.stringify(bad))
    }
    for (const good of ["家访 👨‍👩‍👧", "\ud83d\ude00", "soft\u00adhyphen"])
      assert.isTrue(Result.isSuccess(text(good)), good)
  })
})
