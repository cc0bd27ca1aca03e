import { assert, describe, it } from "@effect/vitest"
import {
  CommandHandler,
  Decider,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  Projection,
  StreamId
} from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec, ProjectionLaws } from "@shuangbai/testing"
import { Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import * as Stations from "../stations/Handler.ts"
import * as Commands from "./Commands.ts"
import { type QuotaContext, quotaDecider, StationNotActive, type WorkerContext, workerDecider } from "./Decide.ts"
import * as Events from "./Events.ts"
import { handle, handleQuota, loadQuota, loadWorker, stepId, workerOnPost } from "./Handler.ts"
import * as Projections from "./Projections.ts"
import { nextDay, stationOn } from "./State.ts"
import { quotaStreamOf, streamOf } from "./Stream.ts"

const now = Date.parse("2025-08-04T10:00:00+08:00")
const tenant = "yangshan"
const _context: WorkerContext = {
  tenant: "yangshan",
  actor: { id: "bureau-1", role: "bureau" },
  now,
  postReserved: true
}
const S = (s: string) => s as StationId
const W = (s: string) => s as WorkerId

const givenQuota = DeciderSpec.make(quotaDecider, { tenant, now, stationActiveSince: "2020-01-01" }).given
/** The station unknown or closed: the handler finds no active station and leaves `stationActiveSince` out. */
const givenNoStation = DeciderSpec.make(quotaDecider, { tenant, now }).given
const givenWorker = DeciderSpec.make(workerDecider, { tenant, now, postReserved: true }).given

const allotted = new Events.PostsAllotted({ station: S("huangpen"), posts: 2, allottedOn: "2024-01-01" })
const filled = (worker: string) =>
  new Events.PostFilled({ station: S("huangpen"), worker: W(worker), filledOn: "2024-02-01" })
const hired = new Events.WorkerHired({ worker: W("w1"), name: "李社工", station: S("huangpen"), hiredOn: "2024-02-01" })
const hire = new Commands.HireWorker({ worker: W("w1"), name: "李社工", station: S("huangpen"), hiredOn: "2024-02-01" })

describe("workforce: posts", () => {
  it("allots posts, raised or lowered; the same number again records nothing", () => {
    givenQuota([])
      .when(new Commands.AllotPosts({ station: S("huangpen"), posts: 2, allottedOn: "2024-01-01" }))
      .then([allotted])
    givenQuota([allotted, filled("w1")])
      .when(new Commands.AllotPosts({ station: S("huangpen"), posts: 1, allottedOn: "2024-03-01" }))
      .then([new Events.PostsAllotted({ station: S("huangpen"), posts: 1, allottedOn: "2024-03-01" })])
    givenQuota([allotted])
      .when(new Commands.AllotPosts({ station: S("huangpen"), posts: 2, allottedOn: "2024-03-01" }))
      .thenNothing()
  })

  it("QuotaBelowFilledPosts: posts are never cut below the workers holding one", () =>
    givenQuota([allotted, filled("w1"), filled("w2")])
      .when(new Commands.AllotPosts({ station: S("huangpen"), posts: 1, allottedOn: "2024-03-01" }))
      .thenFails("QuotaBelowFilledPosts"))

  it("fills an open post; a worker holding one already records nothing", () => {
    const fill = new Commands.FillPost({ station: S("huangpen"), worker: W("w1"), filledOn: "2024-02-01" })
    givenQuota([allotted])
      .when(fill)
      .then([filled("w1")])
    givenQuota([allotted, filled("w1")])
      .when(fill)
      .thenNothing()
  })

  it("NoOpenPost: hires never exceed the station's posts", () => {
    const fill = new Commands.FillPost({ station: S("huangpen"), worker: W("w3"), filledOn: "2024-02-01" })
    givenQuota([allotted, filled("w1"), filled("w2")])
      .when(fill)
      .thenFails("NoOpenPost")
    givenQuota([]).when(fill).thenFails("NoOpenPost")
  })

  it("vacates a held post; a worker holding none records nothing", () => {
    const vacate = new Commands.VacatePost({ station: S("huangpen"), worker: W("w1"), vacatedOn: "2024-05-01" })
    givenQuota([allotted, filled("w1")])
      .when(vacate)
      .then([new Events.PostVacated({ station: S("huangpen"), worker: W("w1"), vacatedOn: "2024-05-01" })])
    givenQuota([allotted]).when(vacate).thenNothing()
  })

  it("StationNotActive: posts are allotted and filled only at a station active, and established by that day", () => {
    const allot = new Commands.AllotPosts({ station: S("huangpen"), posts: 2, allottedOn: "2024-01-01" })
    const fill = new Commands.FillPost({ station: S("huangpen"), worker: W("w1"), filledOn: "2024-02-01" })
    const violation = givenNoStation([]).when(allot).thenFails(StationNotActive)
    assert.deepStrictEqual(violation.fields, { station: "huangpen", date: "2024-01-01" })
    givenNoStation([allotted]).when(fill).thenFails(StationNotActive)
    // Established after the day.
    givenQuota([]).when(allot, { stationActiveSince: "2024-01-02" }).thenFails(StationNotActive)
    givenQuota([allotted]).when(fill, { stationActiveSince: "2024-02-02" }).thenFails(StationNotActive)
    // Established that very day.
    givenQuota([]).when(allot, { stationActiveSince: "2024-01-01" }).then([allotted])
    // The posts the station has again, a post held already: nothing to record, whatever became of the station;
    // and a post is always vacated.
    givenNoStation([allotted]).when(allot).thenNothing()
    givenNoStation([allotted, filled("w1")])
      .when(fill)
      .thenNothing()
    givenNoStation([allotted, filled("w1")])
      .when(new Commands.VacatePost({ station: S("huangpen"), worker: W("w1"), vacatedOn: "2024-05-01" }))
      .then([new Events.PostVacated({ station: S("huangpen"), worker: W("w1"), vacatedOn: "2024-05-01" })])
  })

  it("StationNotActive: for any day and any establishment, a post is allotted exactly when the station was active", () =>
    fc.assert(
      fc.property(
        fc.constantFrom(...days),
        fc.option(fc.constantFrom(...days), { nil: undefined }),
        fc.integer({ min: 1, max: 5 }),
        (day, since, posts) => {
          const outcome = quotaDecider.decide(
            new Commands.AllotPosts({ station: S("s1"), posts, allottedOn: day }),
            quotaDecider.initialState,
            { tenant, actor, now, ...(since === undefined ? {} : { stationActiveSince: since }) }
          )
          const active = since !== undefined && since <= day
          assert.strictEqual(Result.isSuccess(outcome), active)
          if (Result.isFailure(outcome)) assert.isTrue(StationNotActive.is(outcome.failure))
        }
      )
    ))

  it("DateIsInFuture: posts are allotted and filled on days that have come", () => {
    givenQuota([])
      .when(new Commands.AllotPosts({ station: S("huangpen"), posts: 2, allottedOn: "2025-08-05" }))
      .thenFails("DateIsInFuture")
    givenQuota([allotted])
      .when(new Commands.FillPost({ station: S("huangpen"), worker: W("w1"), filledOn: "2025-08-05" }))
      .thenFails("DateIsInFuture")
  })
})

describe("workforce: workers", () => {
  const transfer = new Commands.TransferWorker({ worker: W("w1"), to: S("yangcheng"), transferredOn: "2024-06-01" })
  const transferred = new Events.WorkerTransferred({
    worker: W("w1"),
    from: S("huangpen"),
    to: S("yangcheng"),
    transferredOn: "2024-06-01"
  })
  const end = new Commands.EndEmployment({ worker: W("w1"), leftOn: "2024-09-30", reason: "Resigned" })
  const left = new Events.WorkerLeft({
    worker: W("w1"),
    station: S("huangpen"),
    leftOn: "2024-09-30",
    reason: "Resigned"
  })

  it("hires onto a post held for the worker; the same hire again records nothing", () => {
    givenWorker([]).when(hire).then([hired])
    givenWorker([hired]).when(hire).thenNothing()
  })

  it("PostNotReserved: no hire or transfer in without a post held at the station", () => {
    givenWorker([]).when(hire, { postReserved: false }).thenFails("PostNotReserved")
    givenWorker([hired]).when(transfer, { postReserved: false }).thenFails("PostNotReserved")
  })

  it("WorkerAlreadyOnPost: one station at a time", () =>
    givenWorker([hired])
      .when(new Commands.HireWorker({ ...hire, station: S("yangcheng") }))
      .thenFails("WorkerAlreadyOnPost"))

  it("WorkerNotOnPost: only a worker on post transfers or leaves", () => {
    givenWorker([]).when(transfer).thenFails("WorkerNotOnPost")
    givenWorker([]).when(end).thenFails("WorkerNotOnPost")
    givenWorker([hired, left]).when(transfer).thenFails("WorkerNotOnPost")
  })

  it("transfers, naming the station left; to the same station, nothing", () => {
    givenWorker([hired]).when(transfer).then([transferred])
    givenWorker([hired, transferred]).when(transfer).thenNothing()
  })

  it("leaves from the current station; leaving again records nothing; re-hired after the last day", () => {
    givenWorker([hired]).when(end).then([left])
    givenWorker([hired, left]).when(end).thenNothing()
    givenWorker([hired, left])
      .when(new Commands.HireWorker({ ...hire, hiredOn: "2024-10-01" }))
      .then([new Events.WorkerHired({ ...hired, hiredOn: "2024-10-01" })])
  })

  it("WorkerDateOutOfOrder: no step before the worker's previous one", () => {
    givenWorker([hired])
      .when(new Commands.TransferWorker({ ...transfer, transferredOn: "2024-01-31" }))
      .thenFails("WorkerDateOutOfOrder")
    givenWorker([hired, transferred])
      .when(new Commands.EndEmployment({ ...end, leftOn: "2024-05-31" }))
      .thenFails("WorkerDateOutOfOrder")
    givenWorker([hired, left])
      .when(new Commands.HireWorker({ ...hire, hiredOn: "2024-09-30" }))
      .thenFails("WorkerDateOutOfOrder")
  })

  it("DateIsInFuture: hired, transferred, left on days that have come", () => {
    givenWorker([])
      .when(new Commands.HireWorker({ ...hire, hiredOn: "2025-08-05" }))
      .thenFails("DateIsInFuture")
    givenWorker([hired])
      .when(new Commands.EndEmployment({ ...end, leftOn: "2025-08-05" }))
      .thenFails("DateIsInFuture")
  })

  it("stationOn: the station on a day, from hires, transfers and leaving", () => {
    const state = Decider.fold(workerDecider, [hired, transferred, left])
    assert.strictEqual(stationOn(state, "2024-01-31"), undefined)
    assert.strictEqual(stationOn(state, "2024-02-01"), "huangpen")
    assert.strictEqual(stationOn(state, "2024-05-31"), "huangpen")
    assert.strictEqual(stationOn(state, "2024-06-01"), "yangcheng")
    assert.strictEqual(stationOn(state, "2024-09-30"), "yangcheng")
    assert.strictEqual(stationOn(state, "2024-10-01"), undefined)
    assert.strictEqual(stationOn(workerDecider.initialState, "2024-10-01"), undefined)
    assert.strictEqual(nextDay("2024-02-28"), "2024-02-29")
    assert.strictEqual(nextDay("2024-12-31"), "2025-01-01")
  })
})

// ---- Properties over the pure deciders -------------------------------------------------------------

const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i * 5)).toISOString().slice(0, 10))
const stations = ["s1", "s2", "s3"].map(S)
/** Stations the model run names but the stations context does not have active: never established, closed. */
const inactiveStations = ["s-none", "s-closed"].map(S)
const workers = ["w1", "w2", "w3", "w4", "w5", "w6"].map(W)

type Step =
  | { readonly _tag: "Allot"; readonly station: StationId; readonly posts: number }
  | { readonly _tag: "Hire"; readonly worker: WorkerId; readonly station: StationId }
  | { readonly _tag: "Transfer"; readonly worker: WorkerId; readonly to: StationId }
  | { readonly _tag: "End"; readonly worker: WorkerId }

const anyStation = fc.oneof(
  { arbitrary: fc.constantFrom(...stations), weight: 6 },
  { arbitrary: fc.constantFrom(...inactiveStations), weight: 1 }
)
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    _tag: fc.constant("Allot" as const),
    station: anyStation,
    posts: fc.integer({ min: 0, max: 3 })
  }),
  fc.record({
    _tag: fc.constant("Hire" as const),
    worker: fc.constantFrom(...workers),
    station: anyStation
  }),
  fc.record({
    _tag: fc.constant("Transfer" as const),
    worker: fc.constantFrom(...workers),
    to: anyStation
  }),
  fc.record({ _tag: fc.constant("End" as const), worker: fc.constantFrom(...workers) })
)

/** The step as the command a host sends, on the i-th day of the run. */
const commandOf = (s: Step, i: number): Commands.Command => {
  const day = days[i % days.length]!
  switch (s._tag) {
    case "Allot":
      return new Commands.AllotPosts({ station: s.station, posts: s.posts, allottedOn: day })
    case "Hire":
      return new Commands.HireWorker({ worker: s.worker, name: `社工${s.worker}`, station: s.station, hiredOn: day })
    case "Transfer":
      return new Commands.TransferWorker({ worker: s.worker, to: s.to, transferredOn: day })
    case "End":
      return new Commands.EndEmployment({ worker: s.worker, leftOn: day, reason: "Resigned" })
  }
}

/** The model: posts per station, the station each worker is on post at. What each step should do. */
interface Model {
  readonly posts: Map<StationId, number>
  readonly at: Map<WorkerId, StationId>
  readonly everHired: Set<WorkerId>
}
const holdersOf = (model: Model, station: StationId) => [...model.at.values()].filter((s) => s === station).length
const inactive = (station: StationId) => inactiveStations.includes(station)
const predict = (model: Model, s: Step): string => {
  switch (s._tag) {
    case "Allot":
      if (s.posts < holdersOf(model, s.station)) return "QuotaBelowFilledPosts"
      // The same number again records nothing, whatever became of the station.
      if (s.posts === (model.posts.get(s.station) ?? 0)) return "ok"
      if (inactive(s.station)) return "StationNotActive"
      model.posts.set(s.station, s.posts)
      return "ok"
    case "Hire": {
      const at = model.at.get(s.worker)
      if (at === s.station) return "ok"
      if (at !== undefined) return "WorkerAlreadyOnPost"
      if (inactive(s.station)) return "StationNotActive"
      if (holdersOf(model, s.station) >= (model.posts.get(s.station) ?? 0)) return "NoOpenPost"
      model.at.set(s.worker, s.station)
      model.everHired.add(s.worker)
      return "ok"
    }
    case "Transfer": {
      const at = model.at.get(s.worker)
      if (at === undefined) return "WorkerNotOnPost"
      if (at === s.to) return "ok"
      if (inactive(s.to)) return "StationNotActive"
      if (holdersOf(model, s.to) >= (model.posts.get(s.to) ?? 0)) return "NoOpenPost"
      model.at.set(s.worker, s.to)
      return "ok"
    }
    case "End":
      if (model.at.delete(s.worker)) return "ok"
      return model.everHired.has(s.worker) ? "ok" : "WorkerNotOnPost"
  }
}

const recorded = ProjectionLaws.recorder<Events.Event>({
  stream: StreamId.make("post-quota", "x"),
  actor: { id: "bureau-1", role: "bureau" }
})

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
const actor = { id: "bureau-1", role: "bureau" }

/**
 * The county, with a township `t-<id>` per station and each station established on 2020-01-01, active; the
 * `closed` ones closed again on 2020-06-30. Posts are allotted and filled only at an active station.
 */
const establish = (active: ReadonlyArray<string>, closed: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const all = [...active, ...closed]
    // Built from lists the type cannot tell are non-empty: checked at run time.
    yield* CommandHandler.acceptUnknown(Stations.handleCounty)(
      tenant,
      {
        _tag: "ConfigureCounty",
        name: "阳山县",
        townships: all.map((id) => ({ township: `t-${id}`, name: `${id}镇` }))
      },
      { actor, commandId: "county" }
    )
    for (const id of all) {
      yield* Stations.handle(
        tenant,
        {
          _tag: "EstablishStation",
          township: `t-${id}`,
          station: id,
          name: `${id}社工站`,
          establishedOn: "2020-01-01"
        },
        { actor, commandId: `establish-${id}` }
      )
    }
    for (const id of closed) {
      yield* Stations.handle(
        tenant,
        { _tag: "CloseStation", township: `t-${id}`, closedOn: "2020-06-30", reason: "TownshipMerged" },
        { actor, commandId: `close-${id}` }
      )
    }
  })

/** Runs steps through `handle`, checking each outcome and the streams against the model after every step. */
const runAgainstModel = (steps: ReadonlyArray<Step>) =>
  Effect.gen(function* () {
    const model: Model = { posts: new Map(), at: new Map(), everHired: new Set() }
    yield* establish(stations, ["s-closed"])
    for (const [i, s] of steps.entries()) {
      const expected = predict(model, s)
      const outcome = yield* Effect.result(handle(tenant, commandOf(s, i), { actor, commandId: `c${i}` }))
      const actual = Result.isSuccess(outcome)
        ? "ok"
        : outcome.failure._tag === "RuleViolation"
          ? outcome.failure.code
          : outcome.failure._tag
      assert.strictEqual(actual, expected, `step ${i} ${JSON.stringify(s)}`)
      outcomes.add(`${s._tag}:${actual}`)
      // The day after the step: a leaving day is still on post.
      const day = nextDay(days[i % days.length]!)
      for (const station of [...stations, ...inactiveStations]) {
        const quota = yield* loadQuota(tenant, station)
        assert.isAtMost(quota.holders.size, quota.posts, `posts exceeded at ${station}`)
        assert.strictEqual(quota.posts, model.posts.get(station) ?? 0)
        assert.deepStrictEqual(
          [...quota.holders].sort(),
          workers.filter((w) => model.at.get(w) === station)
        )
      }
      for (const worker of workers) {
        assert.strictEqual(yield* workerOnPost(tenant, worker, day), model.at.get(worker))
      }
    }
    // The read model, folded from the tenant's whole log, agrees with the model too.
    const store = yield* EventStore.EventStore
    const log = yield* store.readAll(tenant, { after: 0, limit: 10_000 })
    const staffing = Projection.fold(
      Projections.staffing,
      log.flatMap((e) => {
        const decoded = Events.codec.decode(e)
        return Result.isSuccess(decoded) ? [decoded.success] : []
      })
    )
    const posts = [...model.posts.values()].reduce((a, b) => a + b, 0)
    assert.deepStrictEqual(Projections.countySummary(staffing), {
      posts,
      onPost: model.at.size,
      vacancies: posts - model.at.size
    })
  }).pipe(Effect.provide(TestLayer))

const outcomes = new Set<string>()

/** One run through every outcome, first: the random runs then need not find the rarer ones by chance. */
const everyOutcome: ReadonlyArray<Step> = [
  { _tag: "Allot", station: S("s1"), posts: 1 },
  { _tag: "Allot", station: S("s-none"), posts: 1 },
  { _tag: "Hire", worker: W("w1"), station: S("s1") },
  { _tag: "Hire", worker: W("w2"), station: S("s1") },
  { _tag: "Hire", worker: W("w1"), station: S("s2") },
  { _tag: "Hire", worker: W("w2"), station: S("s-closed") },
  { _tag: "Allot", station: S("s1"), posts: 0 },
  { _tag: "Transfer", worker: W("w2"), to: S("s1") },
  { _tag: "Transfer", worker: W("w1"), to: S("s2") },
  { _tag: "Transfer", worker: W("w1"), to: S("s-none") },
  { _tag: "Allot", station: S("s2"), posts: 1 },
  { _tag: "Transfer", worker: W("w1"), to: S("s2") },
  { _tag: "End", worker: W("w1") },
  { _tag: "End", worker: W("w3") }
]

describe("workforce: model-based, through the handler on the in-memory store", () => {
  it("random allotments, hires, transfers and leavings keep to the model; posts are never exceeded", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30, size: "max" }), (steps) =>
        Effect.runPromise(runAgainstModel(steps))
      ),
      { numRuns: 100, examples: [[everyOutcome]] }
    )
    // The runs reached every outcome, not only the easy refusals.
    assert.includeMembers(
      [...outcomes],
      [
        "Allot:ok",
        "Allot:QuotaBelowFilledPosts",
        "Allot:StationNotActive",
        "Hire:StationNotActive",
        "Transfer:StationNotActive",
        "Hire:ok",
        "Hire:NoOpenPost",
        "Hire:WorkerAlreadyOnPost",
        "Transfer:ok",
        "Transfer:NoOpenPost",
        "Transfer:WorkerNotOnPost",
        "End:ok",
        "End:WorkerNotOnPost"
      ]
    )
  })
})

const allot = (station: string, posts: number, commandId: string) =>
  handle(tenant, { _tag: "AllotPosts", station, posts, allottedOn: "2024-01-01" }, { actor, commandId })
const hireInput = (worker: string, station: string) =>
  ({
    _tag: "HireWorker",
    worker,
    name: `社工${worker}`,
    station,
    hiredOn: "2024-02-01"
  }) as const

describe("workforce: concurrent hires", () => {
  it.effect("eight hires racing for three posts: three are hired, five refused, never more", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* establish(["huangpen"])
      yield* allot("huangpen", 3, "allot")
      const results = yield* Effect.forEach(
        Array.from({ length: 8 }, (_, i) => i),
        (i) => Effect.result(handle(tenant, hireInput(`w${i}`, "huangpen"), { actor, commandId: `hire-${i}` })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter(Result.isSuccess).length, 3)
      for (const r of results.filter(Result.isFailure)) {
        assert.strictEqual(r.failure._tag === "RuleViolation" && r.failure.code, "NoOpenPost")
      }
      const quota = yield* loadQuota(tenant, S("huangpen"))
      assert.strictEqual(quota.holders.size, 3)
      let hiredCount = 0
      for (let i = 0; i < 8; i++) {
        const worker = yield* loadWorker(tenant, W(`w${i}`))
        assert.strictEqual(worker._tag === "OnPost", quota.holders.has(W(`w${i}`)))
        if (worker._tag === "OnPost") hiredCount += 1
      }
      assert.strictEqual(hiredCount, 3)
    }).pipe(Effect.provide(TestLayer))
  )

  it("for any posts and any number of racing hires and transfers in, the station's posts are never exceeded", () =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        (posts, hires, transfers) =>
          Effect.runPromise(
            Effect.gen(function* () {
              yield* establish(["s1", "s2"])
              yield* allot("s1", posts, "allot-s1")
              yield* allot("s2", transfers, "allot-s2")
              for (let i = 0; i < transfers; i++) {
                yield* handle(tenant, hireInput(`t${i}`, "s2"), { actor, commandId: `pre-${i}` })
              }
              const racing = [
                ...Array.from({ length: hires }, (_, i) =>
                  handle(tenant, hireInput(`h${i}`, "s1"), { actor, commandId: `h${i}` })
                ),
                ...Array.from({ length: transfers }, (_, i) =>
                  handle(
                    tenant,
                    { _tag: "TransferWorker", worker: `t${i}`, to: "s1", transferredOn: "2024-03-01" },
                    { actor, commandId: `t${i}` }
                  )
                )
              ]
              const results = yield* Effect.forEach(racing, Effect.result, { concurrency: "unbounded" })
              const quota = yield* loadQuota(tenant, S("s1"))
              const succeeded = results.filter(Result.isSuccess).length
              assert.strictEqual(succeeded, Math.min(posts, hires + transfers))
              assert.isAtMost(quota.holders.size, posts)
              const everyone = [
                ...Array.from({ length: hires }, (_, i) => W(`h${i}`)),
                ...Array.from({ length: transfers }, (_, i) => W(`t${i}`))
              ]
              for (const worker of everyone) {
                const at = yield* workerOnPost(tenant, worker, "2024-03-01")
                assert.strictEqual(at === "s1", quota.holders.has(worker), `${worker} on post ≠ quota`)
              }
              // Workers transferred out of s2 no longer hold its posts.
              const s2 = yield* loadQuota(tenant, S("s2"))
              for (const holder of s2.holders)
                assert.strictEqual(yield* workerOnPost(tenant, holder, "2024-03-01"), "s2")
            }).pipe(Effect.provide(TestLayer))
          )
      ),
      { numRuns: 40 }
    ))
})

describe("workforce: posts only at an active station, through the handler", () => {
  /** The command is refused by StationNotActive naming the station and the day, and nothing is written. */
  const refusedInactive = (input: Record<string, unknown>, station: string, date: string) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const head = (yield* store.head(tenant)).position
      const error = yield* Effect.flip(
        CommandHandler.acceptUnknown(handle)(tenant, input, { actor, commandId: `refused-${head}` })
      )
      assert.isTrue(StationNotActive.is(error), `${String(input._tag)}: ${error._tag}`)
      assert.deepStrictEqual(StationNotActive.is(error) && error.fields, { station, date })
      assert.strictEqual((yield* store.head(tenant)).position, head, "nothing may be written")
    })

  it.effect("AllotPosts and HireWorker: refused at an unknown or a closed station, or before it was established", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* establish(["huangpen"], ["shaping"])
      yield* refusedInactive(
        { _tag: "AllotPosts", station: "nowhere", posts: 2, allottedOn: "2024-01-01" },
        "nowhere",
        "2024-01-01"
      )
      yield* refusedInactive(
        { _tag: "AllotPosts", station: "shaping", posts: 2, allottedOn: "2024-01-01" },
        "shaping",
        "2024-01-01"
      )
      yield* refusedInactive(
        { _tag: "AllotPosts", station: "huangpen", posts: 2, allottedOn: "2019-12-31" },
        "huangpen",
        "2019-12-31"
      )
      yield* allot("huangpen", 2, "allot")
      yield* refusedInactive({ ...hireInput("w1", "huangpen"), hiredOn: "2019-12-31" }, "huangpen", "2019-12-31")
      yield* refusedInactive(hireInput("w1", "shaping"), "shaping", "2024-02-01")
      yield* refusedInactive(hireInput("w1", "nowhere"), "nowhere", "2024-02-01")
      // The same hire at the active station, on a day it was active, goes through.
      yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "hire" })
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-02-01"), "huangpen")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("TransferWorker: refused into a closed station; the worker stays where they were", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* establish(["huangpen"], ["shaping"])
      yield* allot("huangpen", 1, "allot")
      yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "hire" })
      yield* refusedInactive(
        { _tag: "TransferWorker", worker: "w1", to: "shaping", transferredOn: "2024-03-01" },
        "shaping",
        "2024-03-01"
      )
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-03-01"), "huangpen")
      assert.isTrue((yield* loadQuota(tenant, S("huangpen"))).holders.has(W("w1")))
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("the stations context finds a station by its id over the county's townships", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      // Before the county lists its townships, no station can be found.
      yield* Stations.handle(
        tenant,
        {
          _tag: "EstablishStation",
          township: "t-huangpen",
          station: "huangpen",
          name: "huangpen社工站",
          establishedOn: "2020-01-01"
        },
        { actor, commandId: "early" }
      )
      assert.isUndefined(yield* Stations.findStation(tenant, S("huangpen")))
      yield* establish(["huangpen", "yangcheng"], ["shaping"])
      assert.strictEqual((yield* Stations.findStation(tenant, S("yangcheng")))?._tag, "Active")
      assert.strictEqual((yield* Stations.findStation(tenant, S("yangcheng")))?.station.township, "t-yangcheng")
      assert.strictEqual((yield* Stations.findStation(tenant, S("shaping")))?._tag, "Closed")
      assert.isUndefined(yield* Stations.findStation(tenant, S("nowhere")))
      const byTownship = yield* Stations.stationsByTownship(tenant)
      assert.deepStrictEqual([...byTownship.keys()].sort(), ["t-huangpen", "t-shaping", "t-yangcheng"])
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("workforce: the steps of a command", () => {
  it.effect("a hire sent again after a crash between its steps finishes without filling twice", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* establish(["huangpen"])
      yield* allot("huangpen", 2, "allot")
      // The first step ran, then the process died.
      yield* handleQuota(
        tenant,
        { _tag: "FillPost", station: "huangpen", worker: "w1", filledOn: "2024-02-01" },
        { actor, commandId: "hire-1:fill-post" }
      )
      const first = yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "hire-1" })
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-02-01"), "huangpen")
      assert.strictEqual(first.events.length, 1)
      const again = yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "hire-1" })
      assert.isTrue(again.duplicate)
      const store = yield* EventStore.EventStore
      const quota = yield* store.readStream(tenant, quotaStreamOf(S("huangpen")))
      assert.deepStrictEqual(
        quota.map((e) => e.type),
        ["PostsAllotted", "PostFilled"]
      )
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a hire the worker refuses after its post was filled gives the post back", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      const inner = yield* EventStore.makeMemory()
      yield* establish(["huangpen"]).pipe(Effect.provideService(EventStore.EventStore, inner))
      const ids = IdGenerator.uuidV7
      // A store in which, just as the hire fills its post, another writer hires the same worker elsewhere.
      const racing: EventStore.EventStoreShape = {
        ...inner,
        append: (request) =>
          Effect.flatMap(inner.append(request), (result) =>
            request.context.commandId !== "race:fill-post"
              ? Effect.succeed(result)
              : Effect.as(
                  inner.append({
                    tenant,
                    stream: streamOf(W("w1")),
                    expected: ExpectedVersion.noStream,
                    events: [
                      {
                        eventId: ids(now, new Uint8Array(10).fill(7)),
                        ...Events.codec.encode(
                          new Events.WorkerHired({
                            worker: W("w1"),
                            name: "李社工",
                            station: S("yangcheng"),
                            hiredOn: "2024-01-15"
                          })
                        ),
                        occurredAt: "2024-01-14T16:00:00.000Z",
                        subjects: ["w1"]
                      }
                    ],
                    context: { actor, commandId: "elsewhere", correlationId: "elsewhere", causationId: "elsewhere" }
                  }),
                  result
                )
          )
      }
      const refused = yield* Effect.flip(
        Effect.gen(function* () {
          yield* handle(
            tenant,
            { _tag: "AllotPosts", station: "huangpen", posts: 1, allottedOn: "2024-01-01" },
            {
              actor,
              commandId: "allot"
            }
          )
          return yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "race" })
        }).pipe(Effect.provideService(EventStore.EventStore, racing))
      )
      assert.strictEqual(refused._tag === "RuleViolation" && refused.code, "WorkerAlreadyOnPost")
      const quota = yield* inner.readStream(tenant, quotaStreamOf(S("huangpen")))
      assert.deepStrictEqual(
        quota.map((e) => [e.type, e.commandId]),
        [
          ["PostsAllotted", "allot"],
          ["PostFilled", "race:fill-post"],
          ["PostVacated", "race:undo-fill"]
        ]
      )
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("leaving and transferring free the post held at the station left", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* establish(["huangpen", "yangcheng"])
      yield* allot("huangpen", 1, "allot-1")
      yield* allot("yangcheng", 1, "allot-2")
      yield* handle(tenant, hireInput("w1", "huangpen"), { actor, commandId: "hire" })
      yield* handle(
        tenant,
        { _tag: "TransferWorker", worker: "w1", to: "yangcheng", transferredOn: "2024-03-01" },
        { actor, commandId: "move" }
      )
      assert.strictEqual((yield* loadQuota(tenant, S("huangpen"))).holders.size, 0)
      assert.isTrue((yield* loadQuota(tenant, S("yangcheng"))).holders.has(W("w1")))
      // The freed post can be filled again.
      yield* handle(tenant, hireInput("w2", "huangpen"), { actor, commandId: "hire-2" })
      yield* handle(
        tenant,
        { _tag: "EndEmployment", worker: "w1", leftOn: "2024-04-30", reason: "Resigned" },
        { actor, commandId: "leave" }
      )
      assert.strictEqual((yield* loadQuota(tenant, S("yangcheng"))).holders.size, 0)
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-04-30"), "yangcheng")
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-05-01"), undefined)
      assert.strictEqual(yield* workerOnPost(tenant, W("w1"), "2024-02-15"), "huangpen")
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("workforce: laws and schemas", () => {
  const quotaCommand: fc.Arbitrary<Commands.QuotaCommand> = fc.oneof(
    fc
      .record({
        station: fc.constantFrom(...stations),
        posts: fc.integer({ min: 0, max: 3 }),
        day: fc.constantFrom(...days)
      })
      .map((f) => new Commands.AllotPosts({ station: f.station, posts: f.posts, allottedOn: f.day })),
    fc
      .record({
        station: fc.constantFrom(...stations),
        worker: fc.constantFrom(...workers),
        day: fc.constantFrom(...days)
      })
      .map((f) => new Commands.FillPost({ station: f.station, worker: f.worker, filledOn: f.day })),
    fc
      .record({
        station: fc.constantFrom(...stations),
        worker: fc.constantFrom(...workers),
        day: fc.constantFrom(...days)
      })
      .map((f) => new Commands.VacatePost({ station: f.station, worker: f.worker, vacatedOn: f.day })),
    Arbitrary.make(Commands.QuotaCommand)
  )
  const workerCommand: fc.Arbitrary<Commands.WorkerCommand> = fc.oneof(
    fc
      .tuple(step, fc.nat({ max: days.length - 1 }))
      .filter(([s]) => s._tag !== "Allot")
      .map(([s, i]) => commandOf(s, i) as Commands.WorkerCommand),
    Arbitrary.make(Commands.WorkerCommand)
  )

  it("the quota decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider: quotaDecider,
      command: quotaCommand,
      context: fc
        .tuple(DeciderLaws.defaultContext, fc.option(fc.constantFrom(...days), { nil: undefined }))
        .map(([base, since]): QuotaContext => (since === undefined ? base : { ...base, stationActiveSince: since })),
      numRuns: 200
    }))

  it("the worker decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider: workerDecider,
      command: workerCommand,
      context: fc
        .tuple(DeciderLaws.defaultContext, fc.boolean())
        .map(([base, postReserved]): WorkerContext => ({ ...base, postReserved })),
      numRuns: 200
    }))
})

describe("workforce: step ids", () => {
  it("stay ids of at most 128 characters, distinct for distinct commands", () =>
    fc.assert(
      fc.property(
        fc.string({ minLength: 100, maxLength: 128 }).map((s) => s.replace(/[\s\p{Cc}]/gu, "x")),
        fc.string({ minLength: 1, maxLength: 3 }).map((s) => s.replace(/[\s\p{Cc}]/gu, "y")),
        fc.constantFrom("fill-post", "release-post", "undo-fill"),
        (commandId, tail, step) => {
          const a = stepId(commandId, step)
          const b = stepId(`${commandId.slice(0, 125)}${tail}`, step)
          assert.isAtMost(a.length, 128)
          assert.isTrue(a.endsWith(`:${step}`))
          if (commandId !== `${commandId.slice(0, 125)}${tail}`) assert.notStrictEqual(a, b)
        }
      )
    ))

  it("are the command id and the step when short enough", () =>
    assert.strictEqual(stepId("hire-1", "fill-post"), "hire-1:fill-post"))
})

describe("workforce: staffing read model", () => {
  const quotaEvent: fc.Arbitrary<Events.Event> = fc.oneof(
    fc
      .record({ station: fc.constantFrom(...stations), posts: fc.integer({ min: 0, max: 5 }) })
      .map((f) => new Events.PostsAllotted({ ...f, allottedOn: "2024-01-01" })),
    fc
      .record({ station: fc.constantFrom(...stations), worker: fc.constantFrom(...workers) })
      .map((f) => new Events.PostFilled({ ...f, filledOn: "2024-01-01" })),
    fc
      .record({ station: fc.constantFrom(...stations), worker: fc.constantFrom(...workers) })
      .map((f) => new Events.PostVacated({ ...f, vacatedOn: "2024-01-01" })),
    fc.constant(hired)
  )

  it("is the same in one batch, one by one, and resumed from a saved state", () =>
    fc.assert(
      fc.property(fc.array(quotaEvent, { maxLength: 40 }), fc.nat(), (events, cut) => {
        ProjectionLaws.holds(Projections.staffing, events.map(recorded), cut)
      })
    ))

  it("reproduces the county's posts, workers on post and posts to recruit (F16–F18)", () => {
    // 13 stations: 196 posts, 142 on post.
    const events: Array<Events.Event> = []
    let worker = 0
    for (let i = 0; i < 13; i++) {
      const station = S(`s${i}`)
      const posts = i < 1 ? 16 : 15
      const onPost = i < 12 ? 11 : 10
      events.push(new Events.PostsAllotted({ station, posts, allottedOn: "2024-01-01" }))
      for (let j = 0; j < onPost; j++)
        events.push(new Events.PostFilled({ station, worker: W(`w${worker++}`), filledOn: "2024-02-01" }))
    }
    const state = Projection.fold(Projections.staffing, events.map(recorded))
    assert.deepStrictEqual(Projections.countySummary(state), { posts: 196, onPost: 142, vacancies: 54 })
    assert.deepStrictEqual(Projections.stationSummary(state, S("s0")), { posts: 16, onPost: 11, vacancies: 5 })
    assert.strictEqual(Projections.stationSummaries(state).size, 13)
  })
})
