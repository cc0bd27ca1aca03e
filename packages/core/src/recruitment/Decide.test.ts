import { assert, describe, it } from "@effect/vitest"
import { Decider, EventStore, IdGenerator, Projection } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec, ProjectionLaws } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import type { DriveId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import { decider } from "./Decide.ts"
import * as Events from "./Events.ts"
import { handle } from "./Handler.ts"
import * as Projections from "./Projections.ts"
import { streamOf } from "./Stream.ts"

const now = Date.parse("2025-08-04T10:00:00+08:00")
const context: Decider.DecisionContext = { tenant: "yangshan", actor: { id: "bureau-1", role: "bureau" }, now }
const D = "drive-2025" as DriveId
const P = (s: string) => s as PersonId
const S = (s: string) => s as StationId
const W = (s: string) => s as WorkerId

const given = DeciderSpec.make(decider, { tenant: "yangshan", now }).given

const opened = new Events.DriveOpened({
  drive: D,
  title: "阳山县“双百”社工招聘",
  vacancies: 1,
  stations: [S("huangpen"), S("qigong")],
  opensOn: "2025-07-20",
  closesOn: "2025-08-04"
})
const open = new Commands.OpenDrive({
  drive: D,
  title: opened.title,
  vacancies: opened.vacancies,
  stations: opened.stations,
  opensOn: opened.opensOn,
  closesOn: opened.closesOn
})
const received = (p: string, on = "2025-07-21") =>
  new Events.ApplicationReceived({ drive: D, applicant: P(p), name: `报名人${p}`, receivedOn: on })
const shortlisted = (p: string) =>
  new Events.ApplicantShortlisted({ drive: D, applicant: P(p), shortlistedOn: "2025-07-25" })
const offered = (p: string) =>
  new Events.OfferMade({ drive: D, applicant: P(p), station: S("huangpen"), offeredOn: "2025-07-28" })
const accepted = (p: string) => new Events.OfferAccepted({ drive: D, applicant: P(p), acceptedOn: "2025-07-29" })
const hired = (p: string) =>
  new Events.ApplicantHired({ drive: D, applicant: P(p), worker: W(`w-${p}`), hiredOn: "2025-08-01" })
const closed = new Events.DriveClosed({ drive: D, closedOn: "2025-08-04" })

const receive = (p: string, on = "2025-07-21") =>
  new Commands.ReceiveApplication({ drive: D, applicant: P(p), name: `报名人${p}`, receivedOn: on })
const shortlist = (p: string, on = "2025-07-25") =>
  new Commands.ShortlistApplicant({ drive: D, applicant: P(p), shortlistedOn: on })
const offer = (p: string, station = "huangpen") =>
  new Commands.MakeOffer({ drive: D, applicant: P(p), station: S(station), offeredOn: "2025-07-28" })
const accept = (p: string) => new Commands.AcceptOffer({ drive: D, applicant: P(p), acceptedOn: "2025-07-29" })
const decline = (p: string) => new Commands.DeclineOffer({ drive: D, applicant: P(p), declinedOn: "2025-07-29" })
const hire = (p: string, worker = `w-${p}`) =>
  new Commands.HireApplicant({ drive: D, applicant: P(p), worker: W(worker), hiredOn: "2025-08-01" })
const close = new Commands.CloseDrive({ drive: D, closedOn: "2025-08-04" })

describe("recruitment: the drive", () => {
  it("opens a drive; the same announcement again records nothing", () => {
    given([]).when(open).then([opened])
    given([opened]).when(open).thenNothing()
  })

  it("DriveAlreadyOpened: a drive is announced once", () =>
    given([opened])
      .when(new Commands.OpenDrive({ ...open, vacancies: 54 }))
      .thenFails("DriveAlreadyOpened"))

  it("DriveNotOpened: no application to a drive not announced", () =>
    given([]).when(receive("p1")).thenFails("DriveNotOpened"))

  it("refuses a window that ends before it starts, or a station listed twice", () => {
    const decode = Schema.decodeUnknownResult(Commands.OpenDrive)
    const encoded = Schema.encodeSync(Commands.OpenDrive)(open)
    assert.isTrue(Result.isSuccess(decode(encoded)))
    assert.isTrue(Result.isFailure(decode({ ...encoded, closesOn: "2025-07-19" })))
    assert.isTrue(Result.isFailure(decode({ ...encoded, stations: ["huangpen", "huangpen"] })))
    assert.isTrue(Result.isFailure(decode({ ...encoded, vacancies: 0 })))
  })

  it("DriveIsClosed: nothing after close; closing again records nothing", () => {
    given([opened, closed]).when(receive("p1")).thenFails("DriveIsClosed")
    given([opened, received("p1"), shortlisted("p1"), offered("p1"), closed])
      .when(accept("p1"))
      .thenFails("DriveIsClosed")
    given([opened, received("p1"), closed])
      .when(shortlist("p1"))
      .thenFails("DriveIsClosed")
    given([opened, closed]).when(close).thenNothing()
    given([opened]).when(close).then([closed])
  })
})

describe("recruitment: applications", () => {
  it("receives an application within the window", () =>
    given([opened])
      .when(receive("p1"))
      .then([received("p1")]))

  it("ApplicationAlreadyReceived: one application per person; the same one again records nothing", () => {
    given([opened, received("p1")])
      .when(receive("p1", "2025-07-22"))
      .thenFails("ApplicationAlreadyReceived")
    given([opened, received("p1")])
      .when(receive("p1"))
      .thenNothing()
  })

  it("ApplicationOutsideWindow: received between opensOn and closesOn", () => {
    given([opened]).when(receive("p1", "2025-07-19")).thenFails("ApplicationOutsideWindow")
    given([opened])
      .when(receive("p1", "2025-07-20"))
      .then([received("p1", "2025-07-20")])
  })

  it("DateIsInFuture: an application is received on a day that has come", () =>
    given([new Events.DriveOpened({ ...opened, closesOn: "2025-09-01" })])
      .when(receive("p1", "2025-08-05"))
      .thenFails("DateIsInFuture"))

  it("ApplicationNotReceived: steps only for a received application", () => {
    given([opened]).when(shortlist("p1")).thenFails("ApplicationNotReceived")
    given([opened]).when(offer("p1")).thenFails("ApplicationNotReceived")
    given([opened]).when(hire("p1")).thenFails("ApplicationNotReceived")
  })
})

describe("recruitment: stages", () => {
  it("shortlists, offers, accepts, hires, in order; each step again records nothing", () => {
    given([opened, received("p1")])
      .when(shortlist("p1"))
      .then([shortlisted("p1")])
    given([opened, received("p1"), shortlisted("p1")])
      .when(shortlist("p1"))
      .thenNothing()
    given([opened, received("p1"), shortlisted("p1")])
      .when(offer("p1"))
      .then([offered("p1")])
    given([opened, received("p1"), shortlisted("p1"), offered("p1")])
      .when(offer("p1"))
      .thenNothing()
    given([opened, received("p1"), shortlisted("p1"), offered("p1")])
      .when(accept("p1"))
      .then([accepted("p1")])
    given([opened, received("p1"), shortlisted("p1"), offered("p1"), accepted("p1")])
      .when(hire("p1"))
      .then([hired("p1")])
    given([opened, received("p1"), shortlisted("p1"), offered("p1"), accepted("p1"), hired("p1")])
      .when(hire("p1"))
      .thenNothing()
  })

  it("ApplicantNotInStage: each step from the right stage only", () => {
    given([opened, received("p1")])
      .when(offer("p1"))
      .thenFails("ApplicantNotInStage")
    given([opened, received("p1")])
      .when(accept("p1"))
      .thenFails("ApplicantNotInStage")
    given([opened, received("p1"), shortlisted("p1")])
      .when(hire("p1"))
      .thenFails("ApplicantNotInStage")
    given([opened, received("p1"), shortlisted("p1"), offered("p1")])
      .when(shortlist("p1"))
      .thenFails("ApplicantNotInStage")
    given([opened, received("p1"), shortlisted("p1"), offered("p1")])
      .when(new Commands.RejectApplicant({ drive: D, applicant: P("p1"), reason: "Other", rejectedOn: "2025-07-30" }))
      .thenFails("ApplicantNotInStage")
    given([opened, received("p1"), shortlisted("p1"), offered("p1")])
      .when(offer("p1", "qigong"))
      .thenFails("ApplicantNotInStage")
  })

  it("rejects a received or shortlisted applicant", () => {
    const reject = new Commands.RejectApplicant({
      drive: D,
      applicant: P("p1"),
      reason: "FailedExam",
      rejectedOn: "2025-07-26"
    })
    given([opened, received("p1"), shortlisted("p1")])
      .when(reject)
      .then([
        new Events.ApplicantRejected({ drive: D, applicant: P("p1"), reason: "FailedExam", rejectedOn: "2025-07-26" })
      ])
  })

  it("StationNotInDrive: offers are for the drive's stations", () =>
    given([opened, received("p1"), shortlisted("p1")])
      .when(offer("p1", "yangcheng"))
      .thenFails("StationNotInDrive"))

  it("VacanciesFilled: no offer beyond the vacancies; a declined offer frees its post", () => {
    const history = [opened, received("p1"), received("p2"), shortlisted("p1"), shortlisted("p2"), offered("p1")]
    given(history).when(offer("p2")).thenFails("VacanciesFilled")
    given([...history, accepted("p1"), hired("p1")])
      .when(offer("p2"))
      .thenFails("VacanciesFilled")
    given(history)
      .when(decline("p1"))
      .then([new Events.OfferDeclined({ drive: D, applicant: P("p1"), declinedOn: "2025-07-29" })])
    given([...history, new Events.OfferDeclined({ drive: D, applicant: P("p1"), declinedOn: "2025-07-29" })])
      .when(offer("p2"))
      .then([offered("p2")])
  })

  it("WorkerAlreadyLinked: one applicant per worker id", () => {
    const two = new Events.DriveOpened({ ...opened, vacancies: 2 })
    given([
      two,
      received("p1"),
      received("p2"),
      shortlisted("p1"),
      shortlisted("p2"),
      offered("p1"),
      offered("p2"),
      accepted("p1"),
      accepted("p2"),
      hired("p1")
    ])
      .when(hire("p2", "w-p1"))
      .thenFails("WorkerAlreadyLinked")
  })

  it("RecruitmentDateOutOfOrder: no step before the previous one; no close before the last step", () => {
    given([opened, received("p1", "2025-07-26")])
      .when(shortlist("p1", "2025-07-25"))
      .thenFails("RecruitmentDateOutOfOrder")
    given([opened, received("p1", "2025-07-26")])
      .when(new Commands.CloseDrive({ drive: D, closedOn: "2025-07-25" }))
      .thenFails("RecruitmentDateOutOfOrder")
  })

  it("DateIsInFuture: no step on a day that has not come", () =>
    given([opened, received("p1")])
      .when(shortlist("p1", "2025-08-05"))
      .thenFails("DateIsInFuture"))
})

// ---- Model-based: random sequences of steps against a simple model ------------------------------------

const persons = ["p1", "p2", "p3", "p4"]
type Step =
  | { readonly _tag: "Receive" | "Shortlist" | "Reject" | "Accept" | "Decline" | "Hire"; readonly person: string }
  | { readonly _tag: "Offer"; readonly person: string; readonly station: string }
  | { readonly _tag: "Close" }

const weighted = (
  tag: "Receive" | "Shortlist" | "Reject" | "Accept" | "Decline" | "Hire",
  weight: number
): fc.WeightedArbitrary<Step> => ({
  arbitrary: fc.record({ _tag: fc.constant(tag), person: fc.constantFrom(...persons) }),
  weight
})

// Weighted towards the steps that move an application on, so that runs reach offers, hires and full drives.
const step: fc.Arbitrary<Step> = fc.oneof(
  weighted("Receive", 12),
  weighted("Shortlist", 12),
  weighted("Reject", 3),
  {
    arbitrary: fc.record({
      _tag: fc.constant("Offer" as const),
      person: fc.constantFrom(...persons),
      station: fc.constantFrom("huangpen", "qigong", "yangcheng")
    }),
    weight: 16
  },
  weighted("Accept", 8),
  weighted("Decline", 3),
  weighted("Hire", 8),
  { arbitrary: fc.constant({ _tag: "Close" as const }), weight: 1 }
)

const dayOf = (i: number) => new Date(Date.UTC(2025, 0, 2 + i)).toISOString().slice(0, 10)

const commandOf = (s: Step, i: number): Commands.Command => {
  const on = dayOf(i)
  switch (s._tag) {
    case "Receive":
      return receive(s.person, on)
    case "Shortlist":
      return shortlist(s.person, on)
    case "Reject":
      return new Commands.RejectApplicant({ drive: D, applicant: P(s.person), reason: "Other", rejectedOn: on })
    case "Offer":
      return new Commands.MakeOffer({ drive: D, applicant: P(s.person), station: S(s.station), offeredOn: on })
    case "Accept":
      return new Commands.AcceptOffer({ drive: D, applicant: P(s.person), acceptedOn: on })
    case "Decline":
      return new Commands.DeclineOffer({ drive: D, applicant: P(s.person), declinedOn: on })
    case "Hire":
      return new Commands.HireApplicant({ drive: D, applicant: P(s.person), worker: W(`w-${s.person}`), hiredOn: on })
    case "Close":
      return new Commands.CloseDrive({ drive: D, closedOn: on })
  }
}

interface Model {
  readonly vacancies: number
  readonly closesOn: string
  readonly stage: Map<string, string>
  readonly offeredAt: Map<string, string>
  closed: boolean
}

/** What the step should do, by the model; updates the model when the step is accepted. */
const predict = (m: Model, s: Step, on: string): string => {
  if (s._tag === "Close") {
    m.closed = true
    return "ok"
  }
  if (m.closed) return "DriveIsClosed"
  const stage = m.stage.get(s.person)
  if (s._tag === "Receive") {
    if (stage !== undefined) return "ApplicationAlreadyReceived"
    if (on > m.closesOn) return "ApplicationOutsideWindow"
    m.stage.set(s.person, "Received")
    return "ok"
  }
  if (stage === undefined) return "ApplicationNotReceived"
  const move = (target: string, from: ReadonlyArray<string>) => {
    if (stage === target) return "ok"
    if (!from.includes(stage)) return "ApplicantNotInStage"
    m.stage.set(s.person, target)
    return "ok"
  }
  switch (s._tag) {
    case "Shortlist":
      return move("Shortlisted", ["Received"])
    case "Reject":
      return move("Rejected", ["Received", "Shortlisted"])
    case "Accept":
      return move("Accepted", ["Offered"])
    case "Decline":
      return move("Declined", ["Offered"])
    case "Hire":
      return move("Hired", ["Accepted"])
    case "Offer": {
      if (stage === "Offered") return m.offeredAt.get(s.person) === s.station ? "ok" : "ApplicantNotInStage"
      if (stage !== "Shortlisted") return "ApplicantNotInStage"
      if (s.station === "yangcheng") return "StationNotInDrive"
      const taken = [...m.stage.values()].filter((x) => x === "Offered" || x === "Accepted" || x === "Hired").length
      if (taken >= m.vacancies) return "VacanciesFilled"
      m.stage.set(s.person, "Offered")
      m.offeredAt.set(s.person, s.station)
      return "ok"
    }
  }
}

const outcomes = new Set<string>()

describe("recruitment: model-based", () => {
  it("random steps keep to the model: hires ≤ vacancies, one application per person, nothing after close", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(step, { minLength: 1, maxLength: 80, size: "max" }),
        (vacancies, windowDays, steps) => {
          const drive = new Events.DriveOpened({
            drive: D,
            title: "招聘",
            vacancies,
            stations: [S("huangpen"), S("qigong")],
            opensOn: dayOf(0),
            closesOn: dayOf(windowDays)
          })
          const model: Model = {
            vacancies,
            closesOn: dayOf(windowDays),
            stage: new Map(),
            offeredAt: new Map(),
            closed: false
          }
          const log: Array<Events.Event> = [drive]
          let state = Decider.fold(decider, log)
          for (const [i, s] of steps.entries()) {
            const on = dayOf(i + 1)
            const expected = predict(model, s, on)
            const decided = decider.decide(commandOf(s, i + 1), state, context)
            const actual = Result.isSuccess(decided) ? "ok" : decided.failure.code
            outcomes.add(actual)
            if (Result.isSuccess(decided)) for (const e of decided.success) outcomes.add(e._tag)
            assert.strictEqual(actual, expected, `step ${i} ${JSON.stringify(s)}`)
            if (Result.isSuccess(decided)) {
              log.push(...decided.success)
              state = Decider.fold(decider, decided.success, state)
            }
            // Invariants over the log so far.
            const hires = log.filter((e) => e._tag === "ApplicantHired").length
            assert.isAtMost(hires, vacancies)
            const applications = log.filter((e) => e._tag === "ApplicationReceived").map((e) => e.applicant)
            assert.strictEqual(new Set(applications).size, applications.length)
            const closedAt = log.findIndex((e) => e._tag === "DriveClosed")
            assert.isTrue(closedAt === -1 || closedAt === log.length - 1, "an event after DriveClosed")
          }
          // The read model agrees with the log.
          const status = Projection.fold(Projections.drive, log.map(newLog()))
          assert.strictEqual(status.applicants, model.stage.size)
          assert.strictEqual(status.hired, [...model.stage.values()].filter((x) => x === "Hired").length)
          assert.isAtMost(status.hired, status.vacancies)
        }
      ),
      { numRuns: 300 }
    )
    // The runs reached every outcome, not only the easy refusals.
    const wanted = [
      "ok",
      "DriveIsClosed",
      "ApplicationAlreadyReceived",
      "ApplicationOutsideWindow",
      "ApplicationNotReceived",
      "ApplicantNotInStage",
      "StationNotInDrive",
      "VacanciesFilled",
      "OfferAccepted",
      "OfferDeclined",
      "ApplicantHired",
      "DriveClosed"
    ]
    assert.deepStrictEqual(
      wanted.filter((o) => !outcomes.has(o)),
      []
    )
  })
})

// ---- Read model -----------------------------------------------------------------------------------

/** A fresh log: each drive its own stream, positions in order. */
const newLog = () =>
  ProjectionLaws.recorder<Events.Event>((event) => ({
    stream: streamOf(event.drive),
    actor: { id: "bureau-1", role: "bureau" }
  }))

describe("recruitment: status read model", () => {
  const anyEvent: fc.Arbitrary<Events.Event> = fc.oneof(
    fc.constantFrom<Events.Event>(opened, closed, new Events.DriveOpened({ ...opened, drive: "d2" as DriveId })),
    fc
      .constantFrom(...persons)
      .chain((p) =>
        fc.constantFrom<Events.Event>(
          received(p),
          shortlisted(p),
          offered(p),
          accepted(p),
          hired(p),
          received(p, "2025-08-05")
        )
      )
  )

  it("is the same in one batch, one by one, and resumed from a saved state", () =>
    ProjectionLaws.check(
      Projections.drives,
      fc.array(anyEvent, { maxLength: 40 }).map((events) => events.map(newLog()))
    ))

  it("reproduces F19: more than 600 applicants by 4 August for 54 posts", () => {
    const drive = new Events.DriveOpened({ ...opened, vacancies: 54 })
    const events: Array<Events.Event> = [drive]
    for (let i = 0; i < 640; i++) events.push(received(`a${i}`, i < 610 ? "2025-08-03" : "2025-08-05"))
    events.push(shortlisted("a1"), offered("a1"))
    const state = Projection.fold(Projections.drives, events.map(newLog()))
    const county = Projections.county(state, "2025-08-04")
    assert.strictEqual(county.applicants, 610)
    assert.isAbove(county.applicants, 600)
    assert.strictEqual(county.vacancies, 54)
    assert.strictEqual(county.applicantsPerPost, 610 / 54)
    assert.strictEqual(county.offers, 1)
    assert.strictEqual(county.openDrives, 1)
    assert.strictEqual(Projections.county(state).applicants, 640)
  })
})

describe("recruitment: laws and schemas", () => {
  it("the decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider,
      command: fc.oneof(
        { arbitrary: fc.constant<Commands.Command>(open), weight: 1 },
        {
          arbitrary: fc.tuple(step, fc.nat({ max: 40 })).map(([s, i]) => commandOf(s, i)),
          weight: 8
        },
        { arbitrary: Arbitrary.make(Commands.Command), weight: 1 }
      ),
      numRuns: 200,
      maxCommands: 40
    }))
})

describe("recruitment: handler", () => {
  it.effect("records a drive and an application with the applicant as subject, back-dated to the day", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      const actor = { id: "bureau-1", role: "bureau" }
      yield* handle("yangshan", Schema.encodeSync(Commands.OpenDrive)(open), { actor, commandId: "c1" })
      const result = yield* handle(
        "yangshan",
        { _tag: "ReceiveApplication", drive: D, applicant: "p1", name: "报名人", receivedOn: "2025-07-21" },
        { actor, commandId: "c2" }
      )
      assert.deepStrictEqual(result.events[0]!.subjects, ["p1"])
      assert.strictEqual(result.events[0]!.occurredAt, "2025-07-20T16:00:00.000Z")
      const again = yield* Effect.flip(
        handle(
          "yangshan",
          { _tag: "ReceiveApplication", drive: D, applicant: "p1", name: "报名人", receivedOn: "2025-07-22" },
          { actor, commandId: "c3" }
        )
      )
      assert.strictEqual(again._tag === "RuleViolation" && again.code, "ApplicationAlreadyReceived")
    }).pipe(Effect.provide(Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())))
  )
})
