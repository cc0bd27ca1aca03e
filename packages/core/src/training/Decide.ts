import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import { notInFuture } from "../shared/Dates.ts"
import type { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import type * as Commands from "./Commands.ts"
import { CourseHeld, type Event, ExchangeVisitHeld, MaterialsPrinted, type Participant } from "./Events.ts"
import type { State } from "./State.ts"
import { evolve, initial } from "./State.ts"
import type { ExchangeVisitId, PrintRunId } from "./Stream.ts"

/** What a training decision knows besides its own stream: read by the handler from the workforce. */
export interface Context extends Decider.DecisionContext {
  /**
   * The station each worker the command names was on post for on the command's day. A worker who was
   * not on post that day is absent. Print runs name no worker and read nothing.
   */
  readonly onPost: ReadonlyMap<WorkerId, StationId>
}

// Rules, named as the facts that refuse a command. Dates after today: the shared `DateIsInFuture`.

export const CourseAlreadyRecorded = Rule.define<{ course: CourseId }>("CourseAlreadyRecorded", {
  en: (f) => `course ${f.course} is already recorded, with other details`,
  zh: (f) => `培训 ${f.course} 已登记，且登记信息不同`
})

export const ExchangeVisitAlreadyRecorded = Rule.define<{ exchangeVisit: ExchangeVisitId }>(
  "ExchangeVisitAlreadyRecorded",
  {
    en: (f) => `exchange visit ${f.exchangeVisit} is already recorded, with other details`,
    zh: (f) => `互访交流 ${f.exchangeVisit} 已登记，且登记信息不同`
  }
)

export const PrintRunAlreadyRecorded = Rule.define<{ printRun: PrintRunId }>("PrintRunAlreadyRecorded", {
  en: (f) => `print run ${f.printRun} is already recorded, with other details`,
  zh: (f) => `印制批次 ${f.printRun} 已登记，且登记信息不同`
})

export const WorkerListedTwice = Rule.define<{ worker: WorkerId }>("WorkerListedTwice", {
  en: (f) => `worker ${f.worker} is listed more than once`,
  zh: (f) => `社工 ${f.worker} 被重复登记`
})

// Not the workforce's `WorkerNotOnPost` (one worker, for a transfer or a leave): every attendee of a course or
// exchange visit who was not on post on its day, named together. A code names one rule.
export const AttendeesNotOnPost = Rule.define<{ workers: ReadonlyArray<WorkerId>; date: Scalars.LocalDate }>(
  "AttendeesNotOnPost",
  {
    en: (f) => `attendees not on post on ${f.date}: ${f.workers.join(", ")}`,
    zh: (f) => `以下参加人员于 ${f.date} 不在岗：${f.workers.join("、")}`
  }
)

export const HostAmongVisitingStations = Rule.define<{ host: StationId }>("HostAmongVisitingStations", {
  en: (f) => `the host station ${f.host} cannot also be a visiting station`,
  zh: (f) => `接待站 ${f.host} 不能同时是来访站`
})

export const StationListedTwice = Rule.define<{ station: StationId }>("StationListedTwice", {
  en: (f) => `station ${f.station} is listed more than once among the visiting stations`,
  zh: (f) => `来访站 ${f.station} 被重复登记`
})

export const ParticipantFromOtherStation = Rule.define<{ worker: WorkerId; station: StationId }>(
  "ParticipantFromOtherStation",
  {
    en: (f) => `worker ${f.worker} was on post for ${f.station}, which is neither the host nor a visiting station`,
    zh: (f) => `社工 ${f.worker} 所在的 ${f.station} 既不是接待站也不是来访站`
  }
)

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

const sameArray = <A>(a: ReadonlyArray<A>, b: ReadonlyArray<A>) =>
  a.length === b.length && a.every((x, i) => x === b[i])

const firstRepeated = <A>(list: ReadonlyArray<A>): A | undefined => list.find((x, i) => list.indexOf(x) !== i)

/** Each worker once, each on post on the day: returns them with their station. */
const onPostOn = (
  workers: ReadonlyArray<WorkerId>,
  date: Scalars.LocalDate,
  context: Context
): Result.Result<ReadonlyArray<Participant>, RuleViolation> => {
  const repeated = firstRepeated(workers)
  if (repeated !== undefined) return Result.fail(WorkerListedTwice({ worker: repeated }))
  const absent = workers.filter((w) => !context.onPost.has(w))
  if (absent.length > 0) return Result.fail(AttendeesNotOnPost({ workers: absent, date }))
  return Result.succeed(workers.map((worker) => ({ worker, station: context.onPost.get(worker)! })))
}

export const recordCourse = (cmd: Commands.RecordCourse, state: State, context: Context): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotRecorded") {
      const same =
        state._tag === "Course" &&
        state.held.kind === cmd.kind &&
        state.held.title === cmd.title &&
        state.held.heldOn === cmd.heldOn &&
        sameArray(
          state.held.attendees.map((a) => a.worker),
          cmd.attendees
        )
      if (same) return []
      return yield* Result.fail(CourseAlreadyRecorded({ course: cmd.course }))
    }
    yield* notInFuture("heldOn", cmd.heldOn, context.now)
    const attendees = yield* onPostOn(cmd.attendees, cmd.heldOn, context)
    return [
      new CourseHeld({
        course: cmd.course,
        kind: cmd.kind,
        title: cmd.title,
        heldOn: cmd.heldOn,
        attendees: attendees as [Participant, ...Array<Participant>]
      })
    ]
  })

export const recordExchangeVisit = (cmd: Commands.RecordExchangeVisit, state: State, context: Context): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotRecorded") {
      const same =
        state._tag === "ExchangeVisit" &&
        state.held.host === cmd.host &&
        state.held.heldOn === cmd.heldOn &&
        sameArray(state.held.visiting, cmd.visiting) &&
        sameArray(
          state.held.participants.map((p) => p.worker),
          cmd.participants
        )
      if (same) return []
      return yield* Result.fail(ExchangeVisitAlreadyRecorded({ exchangeVisit: cmd.exchangeVisit }))
    }
    yield* notInFuture("heldOn", cmd.heldOn, context.now)
    if (cmd.visiting.includes(cmd.host)) return yield* Result.fail(HostAmongVisitingStations({ host: cmd.host }))
    const repeated = firstRepeated(cmd.visiting)
    if (repeated !== undefined) return yield* Result.fail(StationListedTwice({ station: repeated }))
    const participants = yield* onPostOn(cmd.participants, cmd.heldOn, context)
    const outsider = participants.find((p) => p.station !== cmd.host && !cmd.visiting.includes(p.station))
    if (outsider !== undefined) return yield* Result.fail(ParticipantFromOtherStation(outsider))
    return [
      new ExchangeVisitHeld({
        exchangeVisit: cmd.exchangeVisit,
        host: cmd.host,
        visiting: cmd.visiting,
        participants: participants as [Participant, ...Array<Participant>],
        heldOn: cmd.heldOn
      })
    ]
  })

const samePrintRun = Schema.toEquivalence(MaterialsPrinted)

export const recordPrintRun = (cmd: Commands.RecordPrintRun, state: State, context: Context): Decision =>
  Result.gen(function* () {
    const printed = new MaterialsPrinted({
      printRun: cmd.printRun,
      kind: cmd.kind,
      title: cmd.title,
      quantity: cmd.quantity,
      printedOn: cmd.printedOn,
      scope: cmd.scope
    })
    if (state._tag !== "NotRecorded") {
      if (state._tag === "PrintRun" && samePrintRun(state.printed, printed)) return []
      return yield* Result.fail(PrintRunAlreadyRecorded({ printRun: cmd.printRun }))
    }
    yield* notInFuture("printedOn", cmd.printedOn, context.now)
    return [printed]
  })

export const decide = (command: Commands.Command, state: State, context: Context): Decision => {
  switch (command._tag) {
    case "RecordCourse":
      return recordCourse(command, state, context)
    case "RecordExchangeVisit":
      return recordExchangeVisit(command, state, context)
    case "RecordPrintRun":
      return recordPrintRun(command, state, context)
  }
}

export const decider = Decider.make<Commands.Command, Event, State, Context>({ initialState: initial, evolve, decide })
