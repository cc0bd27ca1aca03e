import { assert, describe, it } from "@effect/vitest"
import { Reports } from "@shuangbai/core"
import { EventStore, IdGenerator, Projection } from "@shuangbai/eventsourcing"
import { Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import * as County from "../../test/dashboard/county.ts"
import * as Dashboard from "./index.ts"

const { CountyDashboard, Render, StationDashboard } = Reports
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

const loadCounty = (options: Parameters<typeof County.build>[0] = {}) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.parse(`${County.today}T10:00:00+08:00`))
    yield* County.build(options)
    return yield* County.recorded
  }).pipe(Effect.provide(TestLayer))

const decodeEntities = (text: string) =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")

/** The value cell of the county figure table's row for a measure (no scope). */
const tableValue = (page: string, measure: string) => {
  const row = new RegExp(
    `<tr data-measure="${measure.replace(".", "\\.")}"><td class="id">[^<]*</td><td>.*?</td><td class="n value">([^<]*)</td>`
  ).exec(page)
  return row === null ? undefined : decodeEntities(row[1]!)
}

/** A chart's bar values by category, read from the bars' tooltips. */
const chartBars = (page: string, id: string) => {
  const start = page.indexOf(`id="${id}"`)
  const chart = page.slice(start, page.indexOf("</figure>", start))
  return [...chart.matchAll(/<rect [^>]*><title>([^<]*): (\d+)<\/title>/g)].map((m) => [m[1]!, Number(m[2])] as const)
}

const count = (text: string, char: string) => text.split(char).length - 1

describe("dashboard page", () => {
  it("escapes every string: any text keeps the markup's shape and reads back unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const escaped = Dashboard.escapeText(s)
        assert.notMatch(escaped, /[<>"']/)
        assert.strictEqual(decodeEntities(escaped), s)
        assert.strictEqual(Dashboard.html`<p title="${s}">${s}</p>`.text, `<p title="${escaped}">${escaped}</p>`)
      })
    )
  })

  it.effect("renders the figures of the county report, in zh-CN and in en", () =>
    Effect.gen(function* () {
      const recorded = yield* loadCounty()
      const state = Projection.fold(Dashboard.projection(County.asOf), recorded)
      const report = CountyDashboard.view(
        Projection.fold(CountyDashboard.projection(CountyDashboard.periods(County.asOf)), recorded)
      )
      for (const language of ["zh-CN", "en"] as const) {
        const page = Dashboard.render(state, language)
        assert.include(page, `<html lang="${language}">`)
        assert.include(page, "阳山县")
        let checked = 0
        for (const f of report.figures) {
          if (f.scope !== undefined) continue
          assert.strictEqual(tableValue(page, f.measure), Render.formatValue(f), `${f.measure} (${language})`)
          assert.include(page, Dashboard.escapeText(f.label[language]))
          checked += 1
        }
        assert.isAtLeast(checked, 20)
      }
      const en = Dashboard.render(state, "en")
      const zh = Dashboard.render(state, "zh-CN")
      assert.include(en, "Households visited at home, by month")
      assert.notInclude(en, "每月入户探访户数")
      assert.include(zh, "每月入户探访户数")
      assert.include(zh, 'href="?lang=en&amp;period=2025-08-04"')
      assert.include(en, 'href="?lang=zh-CN&amp;period=2025-08-04"')
    })
  )

  it.effect("the station table gives each station's figures of the station report", () =>
    Effect.gen(function* () {
      const recorded = yield* loadCounty()
      const page = Dashboard.render(Projection.fold(Dashboard.projection(County.asOf), recorded), "en")
      const stations = StationDashboard.view(
        Projection.fold(StationDashboard.projection(CountyDashboard.periods(County.asOf)), recorded)
      ).stations
      assert.strictEqual(stations.length, 3)
      for (const s of stations) {
        const start = page.indexOf(`<tr data-station="${s.station}">`)
        assert.isAbove(start, 0, s.station)
        const row = page.slice(start, page.indexOf("</tr>", start))
        assert.include(row, Dashboard.escapeText(s.name))
        for (const measure of ["F13.households", "F9.households", "F14.cases", "F15.cases", "F17.onPost"]) {
          const f = s.figures.find((x) => x.measure === measure)!
          assert.include(row, `data-measure="${measure}">${Render.formatValue(f)}</td>`, `${s.station} ${measure}`)
        }
      }
    })
  )

  it.effect("the monthly charts count what the county did each month", () =>
    Effect.gen(function* () {
      const recorded = yield* loadCounty()
      const page = Dashboard.render(Projection.fold(Dashboard.projection(County.asOf), recorded), "en")
      // Each month of the county visits that many distinct households (fewer than it has), at home.
      assert.deepStrictEqual(chartBars(page, "chart-visits"), [
        ["Sep", 3],
        ["Oct", 5],
        ["Nov", 4],
        ["Dec", 6],
        ["Jan", 9],
        ["Feb", 4],
        ["Mar", 7],
        ["Apr", 8],
        ["May", 10],
        ["Jun", 6],
        ["Jul", 11],
        ["Aug", 2]
      ])
      // Cases opened (bars): one each on the days the county opened them.
      assert.deepStrictEqual(
        chartBars(page, "chart-cases").map(([, v]) => v),
        [0, 1, 0, 1, 1, 1, 2, 0, 1, 1, 1, 0]
      )
      // Relief: 7 recipients visited with 21 garments and 7 quilts; 5 visited and 3 relocated in the flood.
      const relief = page.slice(page.indexOf('id="chart-relief"'))
      for (const [label, value] of [
        ["winter garments handed out", 21],
        ["quilts handed out", 7],
        ["people helped to relocate", 3]
      ] as const)
        assert.include(relief, `<title>${label}: ${value}</title>`)
    })
  )

  it.effect("each month's trend figures are the county report's over that month", () =>
    Effect.gen(function* () {
      const recorded = yield* loadCounty()
      const page = Dashboard.view(Projection.fold(Dashboard.projection(County.asOf), recorded))
      assert.strictEqual(page.months.length, 12)
      for (const [i, m] of Dashboard.months(County.asOf).entries()) {
        const p = m.period
        const periods = CountyDashboard.periods(p.to, {
          coverage: p,
          campaigns: p,
          yearToDate: p,
          firstHalf: p,
          exchangeVisits: p,
          training: p,
          publicity: p
        })
        const report = CountyDashboard.view(Projection.fold(CountyDashboard.projection(periods), recorded)).figures
        assert.strictEqual(page.months[i]!.month, m.month)
        for (const measure of ["F9.households", "F11.personTimes", "F14.cases", "F15.cases"]) {
          const want = report.find((f) => f.measure === measure)!
          const got = page.months[i]!.figures.find((f) => f.measure === measure)!
          assert.strictEqual(got.value, want.value, `${m.month} ${measure}`)
          assert.deepStrictEqual(got.covers, want.covers, `${m.month} ${measure}`)
        }
      }
    })
  )

  it.effect("a county's own names cannot add markup, whatever they are", () =>
    Effect.gen(function* () {
      const hostile = ['<img src=x onerror="alert(1)">', "</td></tr><script>alert('x')</script>", "A & B 'quoted'"]
      const recorded = yield* loadCounty({ stationName: (i) => hostile[i]! })
      const benign = yield* loadCounty({ stationName: (i) => `station ${i}` })
      for (const language of ["zh-CN", "en"] as const) {
        const page = Dashboard.render(Projection.fold(Dashboard.projection(County.asOf), recorded), language)
        const plain = Dashboard.render(Projection.fold(Dashboard.projection(County.asOf), benign), language)
        assert.notInclude(page, "<img")
        assert.notInclude(page, "<script")
        for (const name of hostile) assert.include(page, Dashboard.escapeText(name))
        assert.strictEqual(count(page, "<"), count(plain, "<"))
        assert.strictEqual(count(page, ">"), count(plain, ">"))
      }
    })
  )

  it("months are consecutive calendar months ending on asOf", () => {
    const day = fc
      .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-12-31T00:00:00Z"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 36 }), (asOf, n) => {
        const months = Dashboard.months(asOf, n)
        assert.strictEqual(months.length, n)
        assert.strictEqual(months.at(-1)!.period.to, asOf)
        for (const [i, m] of months.entries()) {
          assert.strictEqual(m.period.from, `${m.month}-01`)
          if (i > 0) assert.strictEqual(Reports.Period.addDays(months[i - 1]!.period.to, 1), m.period.from)
        }
      })
    )
  })

  it("parses the query, naming the parameter that is wrong", () => {
    const ok = (q: Parameters<typeof Dashboard.parseQuery>[0]) =>
      Result.getOrThrow(Dashboard.parseQuery(q, "2025-08-05"))
    assert.deepStrictEqual(ok({}), { language: "zh-CN", asOf: "2025-08-05" })
    assert.deepStrictEqual(ok({ lang: "en", period: "2025-06" }), { language: "en", asOf: "2025-06-30" })
    assert.deepStrictEqual(ok({ period: "2024-02" }), { language: "zh-CN", asOf: "2024-02-29" })
    assert.deepStrictEqual(ok({ period: "2024" }), { language: "zh-CN", asOf: "2024-12-31" })
    assert.deepStrictEqual(ok({ period: "2025-03-15" }), { language: "zh-CN", asOf: "2025-03-15" })
    const bad = (q: Parameters<typeof Dashboard.parseQuery>[0]) => {
      const r = Dashboard.parseQuery(q, "2025-08-05")
      assert.isTrue(Result.isFailure(r))
      return (r as Result.Failure<never, Dashboard.InvalidQuery>).failure
    }
    assert.strictEqual(bad({ lang: "fr" }).field, "lang")
    assert.strictEqual(bad({ period: "2025-02-30" }).field, "period")
    assert.include(bad({ period: "last year" }).message, "a month (2025-08)")
  })
})
