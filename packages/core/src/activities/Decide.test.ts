import { assert, describe, it } from "@effect/vitest"
import { type Decider, Projection, type Recorded, Scalars } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec, ProjectionLaws } from "@shuangbai/testing"
import { Result } from "effect"
import * as fc from "fast-check"
import { DateIsInFuture } from "../shared/Dates.ts"
import { ActivityId, PersonId, StationId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import * as Decide from "./Decide.ts"
import { decider } from "./Decide.ts"
import { ActivityCancelled, ActivityHeld, ActivityPlanned, ActivityTheme, type Event, personTimesOf } from "./Events.ts"
import * as Projections from "./Projections.ts"
import { streamOf } from "./Stream.ts"

// 2024-07-01, noon in China: "today" for every decision below.
const now = Date.parse("2024-07-01T04:00:00Z")
const context: Decider.DecisionContext = { tenant: "yangshan", actor: { id: "w-01", role: "worker" }, now }

const spec = DeciderSpec.make(decider, context)
const given = spec.given

const activity = ActivityId.make("a-001")
const station = StationId.make("s-qigong")
const children = ["c1", "c2", "c3"].map((p) => PersonId.make(p))

const plan = new Commands.PlanActivity({
  activity,
  station,
  theme: "DrowningPrevention",
  title: "暑期防溺水安全宣传",
  plannedOn: "2024-06-20",
  scheduledFor: "2024-07-10"
})
const planned = new ActivityPlanned({
  activity,
  station,
  theme: "DrowningPrevention",
  title: "暑期防溺水安全宣传",
  plannedOn: "2024-06-20",
  scheduledFor: "2024-07-10"
})
const record = (overrides: Partial<Commands.RecordActivity> = {}) =>
  new Commands.RecordActivity({ activity, heldOn: "2024-06-28", headcount: 30, participants: children, ...overrides })
const held = new ActivityHeld({ activity, heldOn: "2024-06-28", headcount: 30, participants: children })
const cancelled = new ActivityCancelled({ activity, reason: "暴雨" })

describe("activities: decide", () => {
  it("plans an activity; it may be scheduled for a day still ahead", () => {
    given([]).when(plan).then([planned])
  })

  it("ActivityAlreadyPlanned: the same id for another plan", () => {
    given([planned]).when(plan).thenNothing()
    given([planned])
      .when(new Commands.PlanActivity({ ...plan, title: "读书会" }))
      .thenFails(Decide.ActivityAlreadyPlanned.code)
  })

  it("records an activity held, with a headcount and/or named persons", () => {
    given([planned]).when(record()).then([held])
    given([planned])
      .when(new Commands.RecordActivity({ activity, heldOn: "2024-06-28", participants: children }))
      .then([new ActivityHeld({ activity, heldOn: "2024-06-28", participants: children })])
  })

  it("an attendance of no one is not an activity held", () => {
    assert.throws(() => new Commands.RecordActivity({ activity, heldOn: "2024-06-28", participants: [] }))
    assert.throws(() => new Commands.RecordActivity({ activity, heldOn: "2024-06-28", headcount: 0, participants: [] }))
    assert.throws(
      () => new Commands.RecordActivity({ activity, heldOn: "2024-06-28", participants: [children[0]!, children[0]!] })
    )
  })

  it("ActivityNotPlanned: nothing is recorded or cancelled before a plan", () => {
    given([]).when(record()).thenFails(Decide.ActivityNotPlanned.code)
    given([])
      .when(new Commands.CancelActivity({ activity, reason: "x" }))
      .thenFails(Decide.ActivityNotPlanned.code)
  })

  it("ActivityAlreadyHeld: held once; the same record again is already done", () => {
    given([planned, held]).when(record()).thenNothing()
    given([planned, held])
      .when(record({ headcount: 31 }))
      .thenFails(Decide.ActivityAlreadyHeld.code)
    given([planned, held])
      .when(new Commands.CancelActivity({ activity, reason: "x" }))
      .thenFails(Decide.ActivityAlreadyHeld.code)
  })

  it("ActivityAlreadyCancelled: nothing after cancel", () => {
    given([planned])
      .when(new Commands.CancelActivity({ activity, reason: "暴雨" }))
      .then([cancelled])
    given([planned, cancelled]).when(record()).thenFails(Decide.ActivityAlreadyCancelled.code)
    given([planned, cancelled])
      .when(new Commands.CancelActivity({ activity, reason: "暴雨" }))
      .thenNothing()
  })

  it("HeldBeforePlanned: an activity is not held before the day it was planned", () => {
    given([planned])
      .when(record({ heldOn: "2024-06-19" }))
      .thenFails(Decide.HeldBeforePlanned.code)
  })

  it("DateIsInFuture: neither planned nor held on a day after today", () => {
    const future = fc.integer({ min: 1, max: 3650 }).map((d) => Scalars.chinaDateOf(now + d * 86_400_000))
    fc.assert(
      fc.property(future, (date) => {
        given([])
          .when(new Commands.PlanActivity({ ...plan, plannedOn: date }))
          .thenFails(DateIsInFuture.code)
        given([planned])
          .when(record({ heldOn: date }))
          .thenFails(DateIsInFuture.code)
      })
    )
  })

  it("person-times are the larger of the headcount and the persons named, never fewer than the persons", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        (headcount, participants) => {
          const times = personTimesOf(headcount === undefined ? { participants } : { headcount, participants })
          assert.isAtLeast(times, participants.length)
          assert.isAtLeast(times, headcount ?? 0)
          assert.isTrue(times === participants.length || times === headcount)
        }
      )
    )
  })
})

// Histories of many activities, built by the decider from random commands.

const ids = ["a1", "a2", "a3", "a4", "a5", "a6"].map((a) => ActivityId.make(a))
const stations = ["s1", "s2"].map((s) => StationId.make(s))
const people = ["p1", "p2", "p3", "p4", "p5"].map((p) => PersonId.make(p))
const day = fc
  .integer({ min: 0, max: 40 })
  .map((n) => Scalars.chinaDateOf(Date.parse("2024-06-01T04:00:00Z") + n * 86_400_000))

const command: fc.Arbitrary<Commands.Command> = fc.oneof(
  fc
    .record({
      activity: fc.constantFrom(...ids),
      station: fc.constantFrom(...stations),
      theme: fc.constantFrom(...ActivityTheme.literals),
      plannedOn: day
    })
    .map((r) => new Commands.PlanActivity({ ...r, title: "活动" })),
  {
    weight: 2,
    arbitrary: fc
      .record({
        activity: fc.constantFrom(...ids),
        heldOn: day,
        headcount: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        participants: fc.uniqueArray(fc.constantFrom(...people))
      })
      .filter((r) => personTimesOf(r) > 0)
      .map(({ headcount, ...r }) => new Commands.RecordActivity(headcount === undefined ? r : { ...r, headcount }))
  },
  fc.record({ activity: fc.constantFrom(...ids) }).map((r) => new Commands.CancelActivity({ ...r, reason: "天气" }))
)

/** A fresh log: each activity its own stream, positions in order. */
const newLog = () =>
  ProjectionLaws.recorder<Event>((event) => ({
    stream: streamOf(event.activity),
    occurredAt: Scalars.instantFromMillis(now),
    recordedAt: Scalars.instantFromMillis(now),
    actor: context.actor
  }))

const histories = fc.array(command, { maxLength: 40 }).map((commands) => {
  const states = new Map<string, ReturnType<typeof decider.evolve>>()
  const log: Array<Recorded<Event>> = []
  const record = newLog()
  for (const c of commands) {
    const before = states.get(c.activity) ?? decider.initialState
    const decided = decider.decide(c, before, context)
    if (Result.isFailure(decided)) continue
    log.push(...decided.success.map(record))
    states.set(c.activity, decided.success.reduce(decider.evolve, before))
  }
  return log
})

const june = { from: "2024-06-01", to: "2024-06-30" }

describe("activities: projection", () => {
  it("F10/F11: counts held activities and their person-times per station and theme; distinct persons apart", () => {
    const s2 = StationId.make("s2")
    const a = (id: string) => ActivityId.make(id)
    const log = [
      planned,
      held, // 30 person-times, 3 named
      new ActivityPlanned({ ...planned, activity: a("a2"), station: s2, theme: "Reading" }),
      new ActivityHeld({ activity: a("a2"), heldOn: "2024-06-29", participants: [children[0]!, PersonId.make("c9")] }),
      new ActivityPlanned({ ...planned, activity: a("a3"), station: s2 }),
      new ActivityCancelled({ activity: a("a3"), reason: "暴雨" }),
      new ActivityPlanned({ ...planned, activity: a("a4"), station: s2 }), // planned, never held
      new ActivityPlanned({ ...planned, activity: a("a5") }),
      // Held outside June.
      new ActivityHeld({ activity: a("a5"), heldOn: "2024-07-01", headcount: 12, participants: [] })
    ].map(newLog())
    const state = Projection.fold(Projections.heldIn(june), log)
    assert.strictEqual(state.county.activities, 2)
    assert.strictEqual(state.county.personTimes, 32)
    assert.strictEqual(state.county.persons.size, 4)
    assert.strictEqual(state.byStation.get(station)?.personTimes, 30)
    assert.strictEqual(state.byStation.get(s2)?.activities, 1)
    assert.strictEqual(state.byTheme.get("Reading")?.personTimes, 2)
    assert.deepStrictEqual([...state.pending.keys()], [a("a4")])
  })

  it("person-times count only held activities, and never fewer than the distinct persons", () => {
    fc.assert(
      fc.property(histories, (log) => {
        const state = Projection.fold(Projections.heldIn(june), log)
        const heldInJune = log.flatMap((r) =>
          r.event._tag === "ActivityHeld" && r.event.heldOn <= june.to ? [r.event] : []
        )
        assert.strictEqual(state.county.activities, heldInJune.length)
        assert.strictEqual(
          state.county.personTimes,
          heldInJune.reduce((n, e) => n + personTimesOf(e), 0)
        )
        assert.deepStrictEqual(new Set(state.county.persons), new Set(heldInJune.flatMap((e) => e.participants)))
        assert.isAtMost(state.county.persons.size, state.county.personTimes)
        let stations = 0
        for (const tally of state.byStation.values()) stations += tally.personTimes
        assert.strictEqual(stations, state.county.personTimes)
      }),
      { numRuns: 200 }
    )
  })

  it("gives the same answer in one batch or one by one, from zero or resumed", () => {
    ProjectionLaws.check(Projections.heldIn(june), histories)
  })
})

describe("activities: decider laws", () => {
  it("hold for random command sequences, in context and at random", () => {
    DeciderLaws.check({
      decider,
      command: fc.oneof({ weight: 4, arbitrary: command }, { weight: 1, arbitrary: Arbitrary.make(Commands.Command) }),
      context: fc
        .integer({ min: Date.parse("2024-06-01T00:00:00Z"), max: Date.parse("2024-07-15T00:00:00Z") })
        .map((now) => ({ ...context, now })),
      numRuns: 200
    })
  })
})
