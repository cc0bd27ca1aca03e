import { assert, describe, it } from "@effect/vitest"
import { Reports } from "@shuangbai/core"
import { Effect, Exit } from "effect"
import * as fc from "fast-check"
import type { CliFailure } from "./Failure.ts"
import { definition, parseDate, parsePeriod } from "./Report.ts"

const day = fc
  .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

const failureOf = <A>(effect: Effect.Effect<A, CliFailure>): CliFailure | undefined => {
  const exit = Effect.runSyncExit(effect)
  return Exit.isFailure(exit) ? (exit.cause.reasons[0] as { error: CliFailure }).error : undefined
}

describe("report flags", () => {
  it("--period of two days joined by .. is that span, both ends included", () => {
    fc.assert(
      fc.property(day, day, (x, y) => {
        const [from, to] = x <= y ? [x, y] : [y, x]
        assert.deepStrictEqual(Effect.runSync(parsePeriod(`${from}..${to}`)), { from, to })
        if (x !== y) assert.strictEqual(failureOf(parsePeriod(`${to}..${from}`))?.reason, "BadDate")
      })
    )
  })

  it("a year, a half and a month cover every day of theirs and no other", () => {
    fc.assert(
      fc.property(day, (d) => {
        const [y, m] = [d.slice(0, 4), d.slice(5, 7)]
        for (const text of [y, `${y}-${m}`, `${y}-H${Number(m) <= 6 ? 1 : 2}`]) {
          const period = Effect.runSync(parsePeriod(text))
          assert.isTrue(Reports.Period.within(d, period), `${d} in ${text}`)
          assert.isFalse(Reports.Period.within(Reports.Period.addDays(period.from, -1), period))
          assert.isFalse(Reports.Period.within(Reports.Period.addDays(period.to, 1), period))
        }
        const month = Effect.runSync(parsePeriod(`${y}-${m}`))
        assert.strictEqual(Reports.Period.addDays(month.to, 1).slice(8), "01")
        // the halves tile the year, and a year ends the day before the next begins
        const [year, h1, h2] = [y, `${y}-H1`, `${y}-H2`].map((t) => Effect.runSync(parsePeriod(t)))
        const next = Effect.runSync(parsePeriod(String(Number(y) + 1)))
        assert.strictEqual(h1!.from, year!.from)
        assert.strictEqual(Reports.Period.addDays(h1!.to, 1), h2!.from)
        assert.strictEqual(h2!.to, year!.to)
        assert.strictEqual(Reports.Period.addDays(year!.to, 1), next.from)
      })
    )
  })

  it("what is not a period or a calendar day fails as BadDate, naming the flag and the text", () => {
    for (const text of ["2024-13", "2024-H3", "24", "2024-02-30..2024-03-01", "last year", "2024-01-01.."]) {
      const failure = failureOf(parsePeriod(text))
      assert.strictEqual(failure?.reason, "BadDate", text)
      assert.include(failure?.message, `--period ${text}`)
    }
    for (const text of ["2024-02-30", "2023-02-29", "08/08/2024", "2024-8-8", ""]) {
      const failure = failureOf(parseDate("--as-of", text))
      assert.strictEqual(failure?.reason, "BadDate", text)
      assert.strictEqual(failure?.exitCode, 7)
    }
    fc.assert(fc.property(day, (d) => assert.strictEqual(Effect.runSync(parseDate("--as-of", d)), d)))
  })

  it("an unknown report name fails as UnknownReport, listing the names", () => {
    const failure = failureOf(definition("dashboard"))
    assert.strictEqual(failure?.reason, "UnknownReport")
    assert.include(failure?.message, "county, stations, visit-schedule, caseloads, recruitment, training")
    assert.strictEqual(failureOf(definition("toString"))?.reason, "UnknownReport")
    assert.isUndefined(failureOf(definition("county")))
  })
})
