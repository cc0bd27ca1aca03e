import { assert, describe, it } from "@effect/vitest"
import { Decider, EventStore, IdGenerator, Projection, StreamId } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec, ProjectionLaws } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import type { StationId, TownshipId, VillageId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import { countyDecider, decider, type StationContext } from "./Decide.ts"
import * as Events from "./Events.ts"
import { handle, handleCounty } from "./Handler.ts"
import * as Projections from "./Projections.ts"

const now = Date.parse("2025-08-04T10:00:00+08:00")
const context: StationContext = { tenant: "yangshan", actor: { id: "bureau-1", role: "bureau" }, now }
const T = (s: string) => s as TownshipId
const S = (s: string) => s as StationId
const V = (s: string) => s as VillageId

const given = DeciderSpec.make(decider, { tenant: "yangshan", now }).given

const established = new Events.StationEstablished({
  township: T("huangpen"),
  station: S("huangpen-1"),
  name: "黄盆镇社工站",
  establishedOn: "2021-03-01"
})
const establish = new Commands.EstablishStation({
  township: T("huangpen"),
  station: S("huangpen-1"),
  name: "黄盆镇社工站",
  establishedOn: "2021-03-01"
})
const pointOpened = new Events.ServicePointOpened({
  township: T("huangpen"),
  station: S("huangpen-1"),
  village: V("v1"),
  name: "一村社工点",
  openedOn: "2021-06-01"
})
const closed = new Events.StationClosed({
  township: T("huangpen"),
  station: S("huangpen-1"),
  closedOn: "2023-01-01",
  reason: "ContractEnded"
})

describe("stations: establishing", () => {
  it("establishes a township's station", () => given([]).when(establish).then([established]))

  it("StationAlreadyEstablished: one active station per township", () =>
    given([established])
      .when(new Commands.EstablishStation({ ...establish, station: S("huangpen-2") }))
      .thenFails("StationAlreadyEstablished"))

  it("is idempotent: establishing the same station again records nothing", () =>
    given([established]).when(establish).thenNothing())

  it("TownshipNotInCounty: a configured county accepts only its townships", () => {
    given([])
      .when(establish, { countyTownships: new Set([T("yangcheng")]) })
      .thenFails("TownshipNotInCounty")
    given([])
      .when(establish, { countyTownships: new Set([T("huangpen")]) })
      .then([established])
  })

  it("DateIsInFuture: business dates are never after today (UTC+8)", () =>
    given([])
      .when(new Commands.EstablishStation({ ...establish, establishedOn: "2025-08-05" }))
      .thenFails("DateIsInFuture"))

  it("re-establishing after a closure is allowed, under a new station id, not before the closure", () => {
    const again = new Commands.EstablishStation({ ...establish, station: S("huangpen-2"), establishedOn: "2024-01-01" })
    given([established, closed])
      .when(again)
      .then([new Events.StationEstablished({ ...established, station: S("huangpen-2"), establishedOn: "2024-01-01" })])
    given([established, closed])
      .when(new Commands.EstablishStation({ ...again, establishedOn: "2022-12-31" }))
      .thenFails("StationDateOutOfOrder")
  })
})

describe("stations: service points", () => {
  const open = new Commands.OpenServicePoint({
    township: T("huangpen"),
    village: V("v1"),
    name: "一村社工点",
    openedOn: "2021-06-01"
  })
  const close = new Commands.CloseServicePoint({ township: T("huangpen"), village: V("v1"), closedOn: "2022-01-01" })

  it("opens a service point under the active station", () => given([established]).when(open).then([pointOpened]))

  it("StationNotEstablished: no service point without a station", () =>
    given([]).when(open).thenFails("StationNotEstablished"))

  it("StationIsClosed: nothing after closure but establishing again", () => {
    given([established, closed]).when(open).thenFails("StationIsClosed")
    given([established, closed]).when(close).thenFails("StationIsClosed")
  })

  it("ServicePointAlreadyOpen: one open service point per village; the same one again records nothing", () => {
    given([established, pointOpened])
      .when(new Commands.OpenServicePoint({ ...open, name: "另一社工点" }))
      .thenFails("ServicePointAlreadyOpen")
    given([established, pointOpened]).when(open).thenNothing()
  })

  it("ServicePointNotOpen: closing a village's point that was never opened", () =>
    given([established]).when(close).thenFails("ServicePointNotOpen"))

  it("closes an open point; closing it again records nothing; it may open again later", () => {
    const pointClosed = new Events.ServicePointClosed({
      township: T("huangpen"),
      station: S("huangpen-1"),
      village: V("v1"),
      closedOn: "2022-01-01"
    })
    given([established, pointOpened]).when(close).then([pointClosed])
    given([established, pointOpened, pointClosed]).when(close).thenNothing()
    given([established, pointOpened, pointClosed])
      .when(new Commands.OpenServicePoint({ ...open, openedOn: "2023-01-01" }))
      .then([new Events.ServicePointOpened({ ...pointOpened, openedOn: "2023-01-01" })])
  })

  it("StationDateOutOfOrder: a point opens no earlier than its station, closes no earlier than it opened", () => {
    given([established])
      .when(new Commands.OpenServicePoint({ ...open, openedOn: "2021-02-28" }))
      .thenFails("StationDateOutOfOrder")
    given([established, pointOpened])
      .when(new Commands.CloseServicePoint({ ...close, closedOn: "2021-05-31" }))
      .thenFails("StationDateOutOfOrder")
  })
})

describe("stations: closing", () => {
  const close = new Commands.CloseStation({ township: T("huangpen"), closedOn: "2023-01-01", reason: "ContractEnded" })

  it("closes the station and, first, each of its open service points", () =>
    given([established, pointOpened])
      .when(close)
      .then([
        new Events.ServicePointClosed({
          township: T("huangpen"),
          station: S("huangpen-1"),
          village: V("v1"),
          closedOn: "2023-01-01"
        }),
        closed
      ]))

  it("closing a closed station records nothing", () => given([established, closed]).when(close).thenNothing())

  it("StationNotEstablished: nothing to close", () => given([]).when(close).thenFails("StationNotEstablished"))

  it("StationDateOutOfOrder: closes no earlier than it was established", () =>
    given([established])
      .when(new Commands.CloseStation({ ...close, closedOn: "2020-01-01" }))
      .thenFails("StationDateOutOfOrder"))
})

describe("county settings", () => {
  const configure = new Commands.ConfigureCounty({
    name: "阳山县",
    townships: [
      { township: T("yangcheng"), name: "阳城镇" },
      { township: T("huangpen"), name: "黄盆镇" }
    ]
  })

  it("records the county, and nothing when the same townships come again in another order", () => {
    const county = DeciderSpec.make(countyDecider, { now })
    const configured = new Events.CountyConfigured({ name: configure.name, townships: configure.townships })
    county.given([]).when(configure).then([configured])
    const reordered = new Commands.ConfigureCounty({
      ...configure,
      townships: [configure.townships[1]!, configure.townships[0]]
    })
    county.given([configured]).when(reordered).thenNothing()
    const renamed = new Commands.ConfigureCounty({ ...configure, name: "阳山" })
    county
      .given([configured])
      .when(renamed)
      .then([new Events.CountyConfigured({ name: "阳山", townships: configure.townships })])
  })

  it("refuses a township listed twice, or none", () => {
    const decode = Schema.decodeUnknownResult(Commands.ConfigureCounty)
    const twice = {
      _tag: "ConfigureCounty",
      name: "阳山县",
      townships: [configure.townships[0], configure.townships[0]]
    }
    assert.isTrue(Result.isFailure(decode(twice)))
    assert.isTrue(Result.isFailure(decode({ _tag: "ConfigureCounty", name: "阳山县", townships: [] })))
    assert.isTrue(Result.isSuccess(decode(Schema.encodeSync(Commands.ConfigureCounty)(configure))))
  })
})

// ---- Properties -------------------------------------------------------------------------------------

const townships = ["yangcheng", "huangpen"].map(T)
const villages = ["v1", "v2", "v3"].map(V)
const dates = ["2021-01-01", "2021-06-01", "2022-01-01", "2023-01-01", "2024-01-01", "2099-01-01"]

const stationCommand: fc.Arbitrary<Commands.Command> = fc.oneof(
  fc
    .record({
      township: fc.constantFrom(...townships),
      station: fc.constantFrom(...["s1", "s2", "s3"].map(S)),
      name: fc.constantFrom("站一", "站二"),
      establishedOn: fc.constantFrom(...dates)
    })
    .map((f) => new Commands.EstablishStation(f)),
  fc
    .record({
      township: fc.constantFrom(...townships),
      village: fc.constantFrom(...villages),
      name: fc.constantFrom("点一", "点二"),
      openedOn: fc.constantFrom(...dates)
    })
    .map((f) => new Commands.OpenServicePoint(f)),
  fc
    .record({
      township: fc.constantFrom(...townships),
      village: fc.constantFrom(...villages),
      closedOn: fc.constantFrom(...dates)
    })
    .map((f) => new Commands.CloseServicePoint(f)),
  fc
    .record({
      township: fc.constantFrom(...townships),
      closedOn: fc.constantFrom(...dates),
      reason: fc.constantFrom("ContractEnded" as const, "Other" as const)
    })
    .map((f) => new Commands.CloseStation(f))
)

/** Runs commands against one stream per township, as the handler would, and returns each stream's events. */
const run = (commands: ReadonlyArray<Commands.Command>) => {
  const streams = new Map<string, Array<Events.Event>>()
  for (const command of commands) {
    const events = streams.get(command.township) ?? []
    const decided = decider.decide(command, Decider.fold(decider, events), context)
    if (Result.isSuccess(decided)) streams.set(command.township, [...events, ...decided.success])
  }
  return streams
}

const recorded = ProjectionLaws.recorder<Events.Event>({
  stream: StreamId.make("station", "x"),
  actor: { id: "bureau-1", role: "bureau" }
})

describe("stations: properties", () => {
  it("a stream never has two active stations, and records nothing but re-establishment after a close", () =>
    fc.assert(
      fc.property(fc.array(stationCommand, { maxLength: 40 }), (commands) => {
        for (const events of run(commands).values()) {
          let active = false
          for (const event of events) {
            if (event._tag === "StationEstablished") {
              assert.isFalse(active, "established while active")
              active = true
            } else {
              assert.isTrue(active, `${event._tag} while no station is active`)
              if (event._tag === "StationClosed") active = false
            }
          }
        }
      })
    ))

  it("every business date is on or before today", () =>
    fc.assert(
      fc.property(fc.array(stationCommand, { maxLength: 40 }), (commands) => {
        for (const events of run(commands).values())
          for (const event of events) {
            const date =
              event._tag === "StationEstablished"
                ? event.establishedOn
                : event._tag === "ServicePointOpened"
                  ? event.openedOn
                  : event._tag === "CountyConfigured"
                    ? undefined
                    : event.closedOn
            assert.isTrue(date === undefined || date <= "2025-08-04")
          }
      })
    ))

  it("a command that succeeded records nothing when sent again", () =>
    fc.assert(
      fc.property(fc.array(stationCommand, { maxLength: 30 }), stationCommand, (history, command) => {
        const events = run(history).get(command.township) ?? []
        const state = Decider.fold(decider, events)
        const first = decider.decide(command, state, context)
        if (Result.isFailure(first)) return
        const again = decider.decide(command, Decider.fold(decider, first.success, state), context)
        assert.deepStrictEqual(Result.getOrThrow(again), [])
      })
    ))

  it("coverage is the same in one batch, one by one, and resumed from a saved state", () =>
    fc.assert(
      fc.property(fc.array(stationCommand, { maxLength: 40 }), fc.nat(), (commands, cut) => {
        const county = new Events.CountyConfigured({
          name: "阳山县",
          townships: [
            { township: T("yangcheng"), name: "阳城镇" },
            { township: T("huangpen"), name: "黄盆镇" },
            { township: T("qinglian"), name: "青莲镇" }
          ]
        })
        const events = [county, ...[...run(commands).values()].flat()].map(recorded)
        const batch = ProjectionLaws.holds(Projections.coverage, events, cut)
        const summary = Projections.summary(batch)
        assert.isAtMost(summary.coveredTownships, 2)
        assert.strictEqual(summary.coverage, summary.coveredTownships / 3)
      })
    ))
})

describe("stations: laws and schemas", () => {
  const context = fc
    .tuple(DeciderLaws.defaultContext, fc.option(fc.uniqueArray(fc.constantFrom(...townships, T("qinglian")))))
    .map(([base, listed]): StationContext => (listed === null ? base : { ...base, countyTownships: new Set(listed) }))

  it("the station decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider,
      command: fc.oneof(stationCommand, Arbitrary.make(Commands.Command)),
      context,
      numRuns: 200
    }))

  it("the county decider obeys the decider laws", () =>
    DeciderLaws.check({ decider: countyDecider, command: Arbitrary.make(Commands.CountyCommand), numRuns: 100 }))
})

describe("stations: coverage (F1)", () => {
  it("13 townships with 13 open stations is 100% coverage", () => {
    const names = Array.from({ length: 13 }, (_, i) => ({ township: T(`t${i}`), name: `乡镇${i}` }))
    const events: Array<Events.Event> = [
      new Events.CountyConfigured({ name: "阳山县", townships: names as any }),
      ...names.map(
        (t, i) =>
          new Events.StationEstablished({
            township: t.township,
            station: S(`s${i}`),
            name: `${t.name}社工站`,
            establishedOn: "2021-01-01"
          })
      ),
      new Events.ServicePointOpened({
        township: T("t0"),
        station: S("s0"),
        village: V("v1"),
        name: "点",
        openedOn: "2021-02-01"
      })
    ]
    const summary = Projections.summary(Projection.fold(Projections.coverage, events.map(recorded)))
    assert.deepStrictEqual(summary, {
      county: "阳山县",
      townships: 13,
      activeStations: 13,
      coveredTownships: 13,
      coverage: 1,
      servicePoints: 1
    })
    const lessOne = Projection.fold(
      Projections.coverage,
      [
        new Events.StationClosed({
          township: T("t0"),
          station: S("s0"),
          closedOn: "2022-01-01",
          reason: "TownshipMerged"
        })
      ].map(recorded),
      Projection.fold(Projections.coverage, events.map(recorded))
    )
    assert.strictEqual(Projections.summary(lessOne).coverage, 12 / 13)
    assert.strictEqual(Projections.summary(lessOne).servicePoints, 0)
  })
})

describe("stations: handler", () => {
  const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
  const actor = { id: "bureau-1", role: "bureau" }

  it.effect("racing writers for one township: exactly one station becomes active", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      const results = yield* Effect.forEach(
        [1, 2, 3, 4],
        (i) =>
          Effect.result(
            handle(
              "yangshan",
              {
                _tag: "EstablishStation",
                township: "huangpen",
                station: `s${i}`,
                name: `站${i}`,
                establishedOn: "2021-01-01"
              },
              { actor, commandId: `c${i}` }
            )
          ),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter(Result.isSuccess).length, 1)
      for (const r of results.filter(Result.isFailure)) {
        assert.strictEqual(r.failure._tag === "RuleViolation" && r.failure.code, "StationAlreadyEstablished")
      }
      const store = yield* EventStore.EventStore
      const stored = yield* store.readStream("yangshan", StreamId.make("station", "huangpen"))
      assert.strictEqual(stored.length, 1)
      assert.strictEqual(stored[0]!.occurredAt, "2020-12-31T16:00:00.000Z")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("reads the county's townships when establishing a station", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* handleCounty(
        "yangshan",
        { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "yangcheng", name: "阳城镇" }] },
        { actor, commandId: "county-1" }
      )
      const refused = yield* Effect.flip(
        handle(
          "yangshan",
          {
            _tag: "EstablishStation",
            township: "huangpen",
            station: "s1",
            name: "黄盆镇社工站",
            establishedOn: "2021-01-01"
          },
          { actor, commandId: "c1" }
        )
      )
      assert.strictEqual(refused._tag === "RuleViolation" && refused.code, "TownshipNotInCounty")
      const ok = yield* handle(
        "yangshan",
        {
          _tag: "EstablishStation",
          township: "yangcheng",
          station: "s2",
          name: "阳城镇社工站",
          establishedOn: "2021-01-01"
        },
        { actor, commandId: "c2" }
      )
      assert.strictEqual(ok.state._tag, "Active")
    }).pipe(Effect.provide(TestLayer))
  )
})
