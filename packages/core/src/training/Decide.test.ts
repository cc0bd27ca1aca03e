import { assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, IdGenerator } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { DateIsInFuture, startOfChinaDay } from "../shared/Dates.ts"
import { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import { WorkerHired, WorkerLeft, codec as workforceCodec } from "../workforce/Events.ts"
import { streamOf as workerStream } from "../workforce/Stream.ts"
import * as Commands from "./Commands.ts"
import {
  AttendeesNotOnPost,
  type Context,
  CourseAlreadyRecorded,
  decider,
  ExchangeVisitAlreadyRecorded,
  HostAmongVisitingStations,
  ParticipantFromOtherStation,
  PrintRunAlreadyRecorded,
  StationListedTwice,
  WorkerListedTwice
} from "./Decide.ts"
import * as Events from "./Events.ts"
import { handle } from "./Handler.ts"
import { ExchangeVisitId, PrintRunId } from "./Stream.ts"

const now = Date.parse("2025-08-04T10:00:00+08:00")
const tomorrow = "2025-08-05"

const huangpen = StationId.make("huangpen")
const yangcheng = StationId.make("yangcheng")
const lingbei = StationId.make("lingbei")
const qilong = StationId.make("qilong")
const w = (n: number) => WorkerId.make(`w${n}`)

// w1, w2 at 黄盆镇, w3 at 阳城镇, w4 at 岭背镇, w5 at 七拱镇; w9 is not on post.
const onPost = new Map([
  [w(1), huangpen],
  [w(2), huangpen],
  [w(3), yangcheng],
  [w(4), lingbei],
  [w(5), qilong]
])
const context: Context = { tenant: "yangshan", actor: { id: "bureau", role: "bureau" }, now, onPost }

const course = CourseId.make("course-2024-07")
const recordCourse = (attendees: ReadonlyArray<WorkerId>, heldOn = "2024-07-05") =>
  new Commands.RecordCourse({
    course,
    kind: "ProfessionalCapacity",
    title: "专业能力提升培训班",
    heldOn,
    attendees: attendees as [WorkerId, ...Array<WorkerId>]
  })
const courseHeld = (attendees: ReadonlyArray<Events.Participant>) =>
  new Events.CourseHeld({
    course,
    kind: "ProfessionalCapacity",
    title: "专业能力提升培训班",
    heldOn: "2024-07-05",
    attendees: attendees as [Events.Participant, ...Array<Events.Participant>]
  })

const exchangeVisit = ExchangeVisitId.make("exchange-2024-02")
const recordVisit = (
  host: StationId,
  visiting: ReadonlyArray<StationId>,
  participants: ReadonlyArray<WorkerId>,
  heldOn = "2024-02-20"
) =>
  new Commands.RecordExchangeVisit({
    exchangeVisit,
    host,
    visiting: visiting as [StationId, ...Array<StationId>],
    participants: participants as [WorkerId, ...Array<WorkerId>],
    heldOn
  })

const printRun = PrintRunId.make("brochures-2024-07")
const recordPrintRun = (quantity = 10_000, printedOn = "2024-07-15") =>
  new Commands.RecordPrintRun({
    printRun,
    kind: "Brochure",
    title: "乡镇社工站宣传手册",
    quantity,
    printedOn,
    scope: { _tag: "CountyWide" }
  })

const spec = DeciderSpec.make(decider, { now, onPost })

/** The events a command records on a new stream; throws if it is refused. */
const decided = (command: Commands.Command, overrides: Partial<Context> = {}) =>
  Result.getOrThrow(decider.decide(command, decider.initialState, { ...context, ...overrides }))

describe("training: courses", () => {
  it("records a course with each attendee's station that day", () =>
    spec
      .given([])
      .when(recordCourse([w(1), w(3)]))
      .then([
        courseHeld([
          { worker: w(1), station: huangpen },
          { worker: w(3), station: yangcheng }
        ])
      ]))

  it("recording the same course again records nothing", () => {
    const held = decided(recordCourse([w(1), w(3)]))
    spec
      .given(held)
      .when(recordCourse([w(1), w(3)]))
      .thenNothing()
  })

  it("CourseAlreadyRecorded: the same course id with other attendees", () => {
    const held = decided(recordCourse([w(1), w(3)]))
    spec
      .given(held)
      .when(recordCourse([w(1)]))
      .thenFails(CourseAlreadyRecorded)
  })

  it("CourseAlreadyRecorded: a course id already used by another kind of record", () => {
    const printed = decided(recordPrintRun())
    spec
      .given(printed)
      .when(recordCourse([w(1)]))
      .thenFails(CourseAlreadyRecorded)
  })

  it("AttendeesNotOnPost: names every attendee not on post that day", () => {
    const refused = spec
      .given([])
      .when(recordCourse([w(1), w(9), w(8)]))
      .thenFails(AttendeesNotOnPost)
    assert.deepStrictEqual(refused.fields, { workers: [w(9), w(8)], date: "2024-07-05" })
  })

  it("WorkerListedTwice: an attendee listed twice", () =>
    spec
      .given([])
      .when(recordCourse([w(1), w(2), w(1)]))
      .thenFails(WorkerListedTwice))

  it("DateIsInFuture: a course dated tomorrow", () =>
    spec
      .given([])
      .when(recordCourse([w(1)], tomorrow))
      .thenFails(DateIsInFuture))
})

describe("training: exchange visits", () => {
  it("records a visit with each participant's station", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng, lingbei], [w(1), w(3), w(4)]))
      .then([
        new Events.ExchangeVisitHeld({
          exchangeVisit,
          host: huangpen,
          visiting: [yangcheng, lingbei],
          participants: [
            { worker: w(1), station: huangpen },
            { worker: w(3), station: yangcheng },
            { worker: w(4), station: lingbei }
          ],
          heldOn: "2024-02-20"
        })
      ]))

  it("recording the same visit again records nothing", () => {
    const held = decided(recordVisit(huangpen, [yangcheng], [w(3)]))
    spec
      .given(held)
      .when(recordVisit(huangpen, [yangcheng], [w(3)]))
      .thenNothing()
  })

  it("ExchangeVisitAlreadyRecorded: the same id with another host", () => {
    const held = decided(recordVisit(huangpen, [yangcheng], [w(3)]))
    spec
      .given(held)
      .when(recordVisit(lingbei, [yangcheng], [w(3)]))
      .thenFails(ExchangeVisitAlreadyRecorded)
  })

  it("HostAmongVisitingStations: the host listed as a visitor", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng, huangpen], [w(3)]))
      .thenFails(HostAmongVisitingStations))

  it("StationListedTwice: a visiting station listed twice", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng, yangcheng], [w(3)]))
      .thenFails(StationListedTwice))

  it("WorkerListedTwice: a participant listed twice", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng], [w(3), w(3)]))
      .thenFails(WorkerListedTwice))

  it("AttendeesNotOnPost: a participant not on post that day", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng], [w(3), w(9)]))
      .thenFails(AttendeesNotOnPost))

  it("ParticipantFromOtherStation: a worker of a station that took no part", () => {
    const refused = spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng], [w(3), w(5)]))
      .thenFails(ParticipantFromOtherStation)
    assert.deepStrictEqual(refused.fields, { worker: w(5), station: qilong })
  })

  it("DateIsInFuture: a visit dated tomorrow", () =>
    spec
      .given([])
      .when(recordVisit(huangpen, [yangcheng], [w(3)], tomorrow))
      .thenFails(DateIsInFuture))
})

describe("training: print runs", () => {
  it("records a print run", () =>
    spec
      .given([])
      .when(recordPrintRun())
      .then([
        new Events.MaterialsPrinted({
          printRun,
          kind: "Brochure",
          title: "乡镇社工站宣传手册",
          quantity: 10_000,
          printedOn: "2024-07-15",
          scope: { _tag: "CountyWide" }
        })
      ]))

  it("recording the same print run again records nothing", () => {
    const printed = decided(recordPrintRun())
    spec.given(printed).when(recordPrintRun()).thenNothing()
  })

  it("PrintRunAlreadyRecorded: the same print run with another quantity", () => {
    const printed = decided(recordPrintRun())
    spec.given(printed).when(recordPrintRun(5_000)).thenFails(PrintRunAlreadyRecorded)
  })

  it("DateIsInFuture: a print run dated tomorrow", () =>
    spec.given([]).when(recordPrintRun(10_000, tomorrow)).thenFails(DateIsInFuture))

  it("quantities are positive integers: the command schema refuses 0, -5 and 2.5 and names the field", () => {
    const decode = Schema.decodeUnknownResult(Commands.Command)
    const encoded = { ...Schema.encodeSync(Commands.Command)(recordPrintRun()) }
    assert.isTrue(Result.isSuccess(decode(encoded)))
    for (const quantity of [0, -5, 2.5]) {
      const result = decode({ ...encoded, quantity })
      assert.isTrue(Result.isFailure(result), `quantity ${quantity} was accepted`)
      if (Result.isFailure(result)) assert.include(String(result.failure), "quantity")
    }
  })
})

describe("training: properties", () => {
  const workerArb = fc.integer({ min: 1, max: 12 }).map(w)
  const stationArb = fc.constantFrom(huangpen, yangcheng, lingbei, qilong)
  const onPostArb = fc
    .array(fc.tuple(workerArb, stationArb), { maxLength: 12 })
    .map((pairs) => new Map(pairs) as ReadonlyMap<WorkerId, StationId>)

  it("a course is recorded exactly when every attendee is on post, with their stations", () =>
    fc.assert(
      fc.property(fc.uniqueArray(workerArb, { minLength: 1, maxLength: 8 }), onPostArb, (attendees, onPost) => {
        const when = spec.given([]).when(recordCourse(attendees), { onPost })
        const absent = attendees.filter((a) => !onPost.has(a))
        if (absent.length > 0) {
          assert.deepStrictEqual(when.thenFails(AttendeesNotOnPost).fields.workers, absent)
        } else {
          const [held] = decided(recordCourse(attendees), { onPost }) as [Events.CourseHeld]
          assert.deepStrictEqual(
            [...held.attendees],
            attendees.map((worker) => ({ worker, station: onPost.get(worker)! }))
          )
        }
      })
    ))

  it("an exchange visit never has its host among the visitors, nor a participant from elsewhere", () =>
    fc.assert(
      fc.property(
        stationArb,
        fc.uniqueArray(stationArb, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(workerArb, { minLength: 1, maxLength: 8 }),
        onPostArb,
        (host, visiting, participants, onPost) => {
          const result = decider.decide(recordVisit(host, visiting, participants), decider.initialState, {
            ...context,
            onPost
          })
          if (Result.isSuccess(result)) {
            const [held] = result.success as [Events.ExchangeVisitHeld]
            assert.notInclude(held.visiting, held.host)
            for (const p of held.participants) assert.isTrue(p.station === host || visiting.includes(p.station))
          } else if (visiting.includes(host)) {
            assert.strictEqual(Result.isFailure(result) && result.failure.code, HostAmongVisitingStations.code)
          }
        }
      )
    ))

  it("every command, once recorded, records nothing when sent again", () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uniqueArray(fc.integer({ min: 1, max: 5 }).map(w), { minLength: 1 }).map((ws) => recordCourse(ws)),
          fc.constant(recordVisit(huangpen, [yangcheng, lingbei], [w(1), w(3), w(4)])),
          fc.integer({ min: 1, max: 100_000 }).map((q) => recordPrintRun(q))
        ),
        (command) => {
          const first = decided(command)
          assert.lengthOf(first, 1)
          spec.given(first).when(command).thenNothing()
        }
      )
    ))
})

describe("training: handler", () => {
  const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
  const actor = { id: "bureau", role: "bureau" }
  const workerEvents = (id: WorkerId, events: ReadonlyArray<WorkerHired | WorkerLeft>, n: number) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const ids = yield* IdGenerator.IdGenerator
      const stored = []
      for (const event of events) {
        const encoded = workforceCodec.encode(event)
        stored.push({
          eventId: yield* ids.next,
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data: encoded.data,
          occurredAt: "2024-01-01T00:00:00.000Z",
          subjects: [id]
        })
      }
      yield* store.append({
        tenant: "yangshan",
        stream: workerStream(id),
        expected: ExpectedVersion.noStream,
        events: stored,
        context: { actor, commandId: `seed-${n}`, correlationId: `seed-${n}`, causationId: `seed-${n}` }
      })
    })

  it.effect("reads who was on post, and where, from the workforce", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* workerEvents(
        w(1),
        [new WorkerHired({ worker: w(1), name: "陈社工", station: huangpen, hiredOn: "2023-03-01" })],
        1
      )
      yield* workerEvents(
        w(2),
        [
          new WorkerHired({ worker: w(2), name: "林社工", station: yangcheng, hiredOn: "2023-03-01" }),
          new WorkerLeft({ worker: w(2), station: yangcheng, leftOn: "2024-06-30", reason: "Resigned" })
        ],
        2
      )
      const send = (command: Commands.Command, commandId: string) =>
        handle("yangshan", Schema.encodeSync(Commands.Command)(command), { actor, commandId })
      const error = yield* Effect.flip(send(recordCourse([w(1), w(2)]), "c1"))
      assert.strictEqual(error._tag === "RuleViolation" && error.code, AttendeesNotOnPost.code)
      const done = yield* send(
        new Commands.RecordCourse({
          ...recordCourse([w(1), w(2)]),
          course: CourseId.make("c-june"),
          heldOn: "2024-06-30"
        }),
        "c2"
      )
      assert.deepStrictEqual(done.events[0]!.data, {
        course: "c-june",
        kind: "ProfessionalCapacity",
        title: "专业能力提升培训班",
        heldOn: "2024-06-30",
        attendees: [
          { worker: "w1", station: "huangpen" },
          { worker: "w2", station: "yangcheng" }
        ]
      })
      assert.deepStrictEqual(done.events[0]!.stream, { category: "course", id: "c-june" })
      assert.deepStrictEqual(done.events[0]!.subjects, ["w1", "w2"])
      assert.strictEqual(done.events[0]!.occurredAt, new Date(startOfChinaDay("2024-06-30")).toISOString())
      const printed = yield* send(recordPrintRun(), "c3")
      assert.deepStrictEqual(printed.events[0]!.stream, { category: "publicity", id: "brochures-2024-07" })
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("training: laws", () => {
  const dateArb = fc.constantFrom("2023-10-01", "2024-02-20", "2024-07-05", "2026-01-01")
  const workersArb = fc.uniqueArray(fc.integer({ min: 1, max: 9 }).map(w), { minLength: 1, maxLength: 5 })
  const stationArb = fc.constantFrom(huangpen, yangcheng, lingbei, qilong)
  // Commands over small pools of ids, so that the same course, visit or print run comes up again.
  const focused: fc.Arbitrary<Commands.Command> = fc.oneof(
    fc
      .record({ attendees: workersArb, heldOn: dateArb, course: fc.constantFrom("c1", "c2").map(CourseId.make) })
      .map((f) => new Commands.RecordCourse({ ...recordCourse(f.attendees, f.heldOn), course: f.course })),
    fc
      .record({
        host: stationArb,
        visiting: fc.uniqueArray(stationArb, { minLength: 1, maxLength: 3 }),
        participants: workersArb,
        heldOn: dateArb
      })
      .map((f) => recordVisit(f.host, f.visiting, f.participants, f.heldOn)),
    fc
      .record({ quantity: fc.integer({ min: 1, max: 20_000 }), printedOn: dateArb })
      .map((f) => recordPrintRun(f.quantity, f.printedOn))
  )
  const contextArb = fc
    .tuple(
      DeciderLaws.defaultContext,
      fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }).map(w), stationArb), { maxLength: 9 })
    )
    .map(([base, pairs]): Context => ({ ...base, onPost: new Map(pairs) }))

  it("the training decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider,
      command: fc.oneof({ weight: 4, arbitrary: focused }, { weight: 1, arbitrary: Arbitrary.make(Commands.Command) }),
      context: contextArb,
      numRuns: 300
    }))
})
