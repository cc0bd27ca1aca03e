import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import type { Reports } from "@shuangbai/core"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Clock, Effect, Layer } from "effect"
import { compare, expectations } from "./article.ts"
import { articleTime, asOf, ids, makeScenario, tenant } from "./county.ts"
import { parseArgs } from "./main.ts"
import { clockFrom, replay, send, verify } from "./run.ts"

/** Sends a scenario through Domain.handle on a fresh in-memory store and reads the dashboard back. */
const runInMemory = (scale: number, options: { readonly twice?: boolean } = {}) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const scenario = makeScenario({ scale })
    const first = yield* send(scenario.steps)
    const afterFirst = (yield* store.head(tenant)).position
    const again = options.twice === true ? yield* send(scenario.steps) : undefined
    const { dashboard, events } = yield* replay()
    const chain = yield* verify()
    return { scenario, first, afterFirst, again, dashboard, events, chain }
  }).pipe(
    Effect.provide(Layer.merge(EventStore.layerMemory, IdGenerator.layer)),
    Effect.provideService(Clock.Clock, clockFrom(articleTime))
  )

const figuresOf = (dashboard: Reports.CountyDashboard.Dashboard, measure: string) =>
  dashboard.figures.filter((f) => f.measure === measure)

describe("Yangshan County, reproduced from commands", () => {
  it.live(
    "every figure F1–F23 of the article, from the full scenario on the in-memory store",
    () =>
      Effect.gen(function* () {
        const { first, dashboard, events, chain, scenario } = yield* runInMemory(1)
        // Every command was accepted and recorded something.
        assert.strictEqual(first.commands, scenario.steps.length)
        assert.strictEqual(first.unchanged, 0)
        assert.isAbove(first.commands, 40_000)
        assert.strictEqual(chain.events, events)
        assert.strictEqual(dashboard.county, "阳山县")
        assert.strictEqual(dashboard.asOf, asOf)

        for (const row of compare(dashboard.figures)) {
          if (row.expectation === undefined) continue
          const what = `${row.expectation.measure}${row.expectation.scope === undefined ? "" : ` (${row.expectation.scope})`}`
          assert.isDefined(row.figure, `${what} is missing from the dashboard`)
          assert.isTrue(row.ok, `${what} is ${row.figure?.value}, the article says ${row.expectation.article.en}`)
        }
        // Every expected figure was found; the exact ones are exact, the rounded ones within the rounding.
        const value = (measure: string) => figuresOf(dashboard, measure)[0]?.value
        assert.strictEqual(value("F9.households"), 12_282)
        assert.strictEqual(value("F11.personTimes"), 8_969)
        const f12 = value("F12.households")!
        assert.isTrue(f12 >= 11_500 && f12 < 12_500, `F12 ${f12} is not 1.2万`)
        const f13 = value("F13.households")!
        assert.isTrue(f13 >= 22_500 && f13 < 23_000, `F13 ${f13} is not 近2.3万`)
        assert.strictEqual(value("F2.coverage"), 1)
        assert.isAbove(value("F2.recipients")!, f13)

        // One row per campaign, drive and exchange visit of the article, and no other.
        const scopes = (measure: string) => figuresOf(dashboard, measure).map((f) => f.scope?.id)
        for (const m of ["F3.villages", "F4.recipients", "F5.winterClothing", "F6.quilts"]) {
          assert.deepStrictEqual(scopes(m), [ids.coldSnap])
        }
        for (const m of ["F7.recipients", "F8.relocated"]) assert.deepStrictEqual(scopes(m), [ids.flood])
        assert.deepStrictEqual(scopes("F19.applicants"), [ids.drive])
        assert.deepStrictEqual(scopes("F20.stations"), [ids.exchangeVisitHuangpen])
        assert.strictEqual(figuresOf(dashboard, "F20.stations")[0]!.scope?.title, "黄盆镇社工站")
        assert.strictEqual(expectations.length, compare(dashboard.figures).filter((r) => r.ok === true).length)
      }),
    600_000
  )

  it.live(
    "sending the same commands again records nothing: each is recognised by its commandId",
    () =>
      Effect.gen(function* () {
        const { first, afterFirst, again, events } = yield* runInMemory(0.01, { twice: true })
        assert.strictEqual(first.unchanged, 0)
        assert.isAbove(afterFirst, first.commands)
        assert.strictEqual(again?.commands, first.commands)
        assert.strictEqual(again?.unchanged, first.commands)
        assert.strictEqual(events, afterFirst)
      }),
    300_000
  )

  it.live(
    "steps that share a stream are recorded in their order, and the last step after all the others",
    () =>
      Effect.gen(function* () {
        const order: Array<string> = []
        const recording = Layer.effect(
          EventStore.EventStore,
          Effect.map(EventStore.makeMemory(), (store) => ({
            ...store,
            append: (request: EventStore.AppendRequest) =>
              Effect.tap(store.append(request), () => Effect.sync(() => order.push(request.context.commandId)))
          }))
        )
        const { steps } = makeScenario({ scale: 0.01 })
        yield* send(steps, { concurrency: 32 }).pipe(
          Effect.provide(Layer.merge(recording, IdGenerator.layer)),
          Effect.provideService(Clock.Clock, clockFrom(articleTime))
        )
        const at = new Map(order.map((id, i) => [id, i]))
        const lastByKey = new Map<string, number>()
        let checked = 0
        for (const step of steps) {
          const i = at.get(step.commandId)
          assert.isDefined(i, `${step.commandId} recorded nothing`)
          for (const key of step.keys) {
            const before = lastByKey.get(key)
            if (before !== undefined) {
              assert.isBelow(before, i!, `${step.commandId} was recorded before an earlier step on ${key}`)
              checked += 1
            }
            lastByKey.set(key, i!)
          }
        }
        assert.isAbove(checked, 1_000)
        assert.strictEqual(order[order.length - 1], steps[steps.length - 1]!.commandId)
      }),
    300_000
  )

  it("the scenario is the same every time, one commandId per command, nothing dated after the article's day", () => {
    const digest = (scale: number) => {
      const hash = createHash("sha256")
      for (const step of makeScenario({ scale }).steps) hash.update(JSON.stringify(step))
      return hash.digest("hex")
    }
    assert.strictEqual(digest(0.05), digest(0.05))
    assert.notStrictEqual(digest(0.05), digest(0.04))
    const { steps } = makeScenario()
    assert.strictEqual(new Set(steps.map((s) => s.commandId)).size, steps.length)
    assert.isTrue(steps.every((s, i) => s.on <= asOf && (i === 0 || steps[i - 1]!.on <= s.on)))
    assert.isTrue(steps.every((s) => s.commandId.length <= 100 && s.keys.length > 0))
    assert.isTrue(steps.every((s) => new Set(s.keys).size === s.keys.length))
  })

  it("a figure that differs from the article is marked, and a missing one is reported", () => {
    const figure = (measure: Reports.Figures.Measure, value: number): Reports.Figures.Figure => ({
      id: measure.split(".")[0] as Reports.Figures.FigureId,
      measure,
      label: { "zh-CN": measure, en: measure },
      unit: "count",
      value,
      covers: { to: asOf }
    })
    const rows = compare([
      figure("F9.households", 12_281),
      figure("F10.activities", 422),
      figure("F13.households", 23_000)
    ])
    const byMeasure = new Map(rows.filter((r) => r.figure !== undefined).map((r) => [r.figure!.measure, r.ok]))
    assert.strictEqual(byMeasure.get("F9.households"), false)
    assert.strictEqual(byMeasure.get("F10.activities"), true)
    assert.strictEqual(byMeasure.get("F13.households"), false) // 近2.3万 is below 23,000
    const missing = rows.filter((r) => r.figure === undefined)
    assert.strictEqual(missing.length, expectations.length - 3)
    assert.isTrue(missing.every((r) => r.ok === false))
  })

  it("parses the flags, the environment and the defaults", () => {
    const env = { YANGSHAN_DATA_DIR: "/tmp/somewhere" }
    assert.strictEqual(parseArgs([], env).dataDir, "/tmp/somewhere")
    assert.strictEqual(parseArgs(["--data-dir", "/tmp/else"], env).dataDir, "/tmp/else")
    assert.match(parseArgs([]).dataDir, /examples\/yangshan\/\.data\/pglite$/)
    assert.deepStrictEqual(
      { ...parseArgs(["--fresh", "--concurrency", "8", "--scale", "0.5"]), dataDir: "" },
      { fresh: true, memory: false, concurrency: 8, scale: 0.5, dataDir: "" }
    )
    assert.throws(() => parseArgs(["--scale", "2"]))
    assert.throws(() => parseArgs(["--frsh"]))
    assert.throws(() => parseArgs(["--data-dir"]))
  })
})
