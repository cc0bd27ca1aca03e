import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { notInFuture } from "../shared/Dates.ts"
import type { DriveId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import type * as Commands from "./Commands.ts"
import {
  ApplicantHired,
  ApplicantRejected,
  ApplicantShortlisted,
  ApplicationReceived,
  DriveClosed,
  DriveOpened,
  type Event,
  OfferAccepted,
  OfferDeclined,
  OfferMade,
  type Stage
} from "./Events.ts"
import { type Application, type Drive, evolve, hiredCount, initial, postsTaken, type State } from "./State.ts"

// Rules, named as the facts that refuse a command.

export const DriveAlreadyOpened = Rule.define<{ drive: DriveId }>("DriveAlreadyOpened", {
  en: (f) => `recruitment drive ${f.drive} is already open, with other details`,
  zh: (f) => `招聘 ${f.drive} 已发布，且信息不同`
})
export const DriveNotOpened = Rule.define<{ drive: DriveId }>("DriveNotOpened", {
  en: (f) => `recruitment drive ${f.drive} has not been opened`,
  zh: (f) => `招聘 ${f.drive} 尚未发布`
})
export const DriveIsClosed = Rule.define<{ drive: DriveId; closedOn: Scalars.LocalDate }>("DriveIsClosed", {
  en: (f) => `recruitment drive ${f.drive} closed on ${f.closedOn}: nothing more may be recorded`,
  zh: (f) => `招聘 ${f.drive} 已于 ${f.closedOn} 结束，不能再登记`
})
export const ApplicationAlreadyReceived = Rule.define<{ drive: DriveId; applicant: PersonId }>(
  "ApplicationAlreadyReceived",
  {
    en: (f) => `${f.applicant} has already applied to drive ${f.drive}: one application per person`,
    zh: (f) => `${f.applicant} 已报名招聘 ${f.drive}，每人限报一次`
  }
)
export const ApplicationNotReceived = Rule.define<{ drive: DriveId; applicant: PersonId }>("ApplicationNotReceived", {
  en: (f) => `drive ${f.drive} has no application from ${f.applicant}`,
  zh: (f) => `招聘 ${f.drive} 没有 ${f.applicant} 的报名`
})
export const ApplicantNotInStage = Rule.define<{ applicant: PersonId; stage: Stage; expected: ReadonlyArray<Stage> }>(
  "ApplicantNotInStage",
  {
    en: (f) => `the application of ${f.applicant} is ${f.stage}; this step needs it ${f.expected.join(" or ")}`,
    zh: (f) => `${f.applicant} 的报名处于 ${f.stage} 阶段，此操作须在 ${f.expected.join("或")} 阶段`
  }
)
export const VacanciesFilled = Rule.define<{ drive: DriveId; vacancies: number; taken: number }>("VacanciesFilled", {
  en: (f) => `all ${f.vacancies} posts of drive ${f.drive} are offered or filled (${f.taken})`,
  zh: (f) => `招聘 ${f.drive} 的 ${f.vacancies} 个岗位已全部发出录用或已录用（${f.taken}）`
})
export const StationNotInDrive = Rule.define<{ drive: DriveId; station: StationId }>("StationNotInDrive", {
  en: (f) => `drive ${f.drive} does not recruit for station ${f.station}`,
  zh: (f) => `招聘 ${f.drive} 不含社工站 ${f.station} 的岗位`
})
export const WorkerAlreadyLinked = Rule.define<{ drive: DriveId; worker: WorkerId; applicant: PersonId }>(
  "WorkerAlreadyLinked",
  {
    en: (f) => `worker ${f.worker} is already the hire of applicant ${f.applicant} in drive ${f.drive}`,
    zh: (f) => `社工 ${f.worker} 已对应招聘 ${f.drive} 的报名人 ${f.applicant}`
  }
)
export const ApplicationOutsideWindow = Rule.define<{
  receivedOn: Scalars.LocalDate
  opensOn: Scalars.LocalDate
  closesOn: Scalars.LocalDate
}>("ApplicationOutsideWindow", {
  en: (f) => `an application received on ${f.receivedOn} is outside the window ${f.opensOn}–${f.closesOn}`,
  zh: (f) => `报名日期 ${f.receivedOn} 不在报名期 ${f.opensOn} 至 ${f.closesOn} 内`
})
export const RecruitmentDateOutOfOrder = Rule.define<{
  field: string
  date: Scalars.LocalDate
  earliest: Scalars.LocalDate
}>("RecruitmentDateOutOfOrder", {
  en: (f) => `${f.field} ${f.date} is before ${f.earliest}, the day of the previous step`,
  zh: (f) => `${f.field} ${f.date} 早于上一步的日期 ${f.earliest}`
})

type DecisionContext = Decider.DecisionContext
type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

const notBefore = (field: string, date: Scalars.LocalDate, earliest: Scalars.LocalDate | undefined) =>
  earliest !== undefined && date < earliest
    ? Result.fail(RecruitmentDateOutOfOrder({ field, date, earliest }))
    : Result.succeed(date)

/** The open drive: before it opens and after it closes, nothing is recorded on it. */
const open = (drive: DriveId, state: State): Result.Result<Drive, RuleViolation> => {
  switch (state._tag) {
    case "NotOpened":
      return Result.fail(DriveNotOpened({ drive }))
    case "Closed":
      return Result.fail(DriveIsClosed({ drive, closedOn: state.closedOn }))
    case "Open":
      return Result.succeed(state.drive)
  }
}

const application = (drive: Drive, applicant: PersonId): Result.Result<Application, RuleViolation> => {
  const found = drive.applications.get(applicant)
  return found === undefined
    ? Result.fail(ApplicationNotReceived({ drive: drive.drive, applicant }))
    : Result.succeed(found)
}

const inStage = (a: Application, expected: ReadonlyArray<Stage>): Result.Result<Application, RuleViolation> =>
  expected.includes(a.stage)
    ? Result.succeed(a)
    : Result.fail(ApplicantNotInStage({ applicant: a.applicant, stage: a.stage, expected }))

const sameDrive = (d: Drive, cmd: Commands.OpenDrive): boolean =>
  d.title === cmd.title &&
  d.vacancies === cmd.vacancies &&
  d.opensOn === cmd.opensOn &&
  d.closesOn === cmd.closesOn &&
  d.stations.length === cmd.stations.length &&
  d.stations.every((s, i) => s === cmd.stations[i])

/** The window is a plan: it may lie ahead. Announcing the same drive again records nothing. */
export const openDrive = (cmd: Commands.OpenDrive, state: State): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotOpened") {
      if (sameDrive(state.drive, cmd)) return []
      return yield* Result.fail(DriveAlreadyOpened({ drive: cmd.drive }))
    }
    return [
      new DriveOpened({
        drive: cmd.drive,
        title: cmd.title,
        vacancies: cmd.vacancies,
        stations: cmd.stations,
        opensOn: cmd.opensOn,
        closesOn: cmd.closesOn
      })
    ]
  })

/** One application per person: the same one again records nothing, a different one is refused. */
export const receiveApplication = (
  cmd: Commands.ReceiveApplication,
  state: State,
  context: DecisionContext
): Decision =>
  Result.gen(function* () {
    const drive = yield* open(cmd.drive, state)
    const existing = drive.applications.get(cmd.applicant)
    if (existing !== undefined) {
      if (existing.name === cmd.name && existing.receivedOn === cmd.receivedOn) return []
      return yield* Result.fail(ApplicationAlreadyReceived({ drive: cmd.drive, applicant: cmd.applicant }))
    }
    yield* notInFuture("receivedOn", cmd.receivedOn, context.now)
    if (cmd.receivedOn < drive.opensOn || cmd.receivedOn > drive.closesOn) {
      return yield* Result.fail(
        ApplicationOutsideWindow({ receivedOn: cmd.receivedOn, opensOn: drive.opensOn, closesOn: drive.closesOn })
      )
    }
    return [
      new ApplicationReceived({
        drive: cmd.drive,
        applicant: cmd.applicant,
        name: cmd.name,
        receivedOn: cmd.receivedOn
      })
    ]
  })

/** The common shape of a step: open drive, a received application, the right stage, a date in order. */
const advance = (
  state: State,
  cmd: { readonly drive: DriveId; readonly applicant: PersonId },
  target: Stage,
  from: ReadonlyArray<Stage>,
  date: { readonly field: string; readonly on: Scalars.LocalDate },
  context: DecisionContext,
  make: (drive: Drive, application: Application) => Decision
): Decision =>
  Result.gen(function* () {
    const drive = yield* open(cmd.drive, state)
    const a = yield* application(drive, cmd.applicant)
    if (a.stage === target) return []
    yield* inStage(a, from)
    yield* notInFuture(date.field, date.on, context.now)
    yield* notBefore(date.field, date.on, a.lastOn)
    return yield* make(drive, a)
  })

export const shortlistApplicant = (cmd: Commands.ShortlistApplicant, state: State, context: DecisionContext) =>
  advance(state, cmd, "Shortlisted", ["Received"], { field: "shortlistedOn", on: cmd.shortlistedOn }, context, () =>
    Result.succeed([
      new ApplicantShortlisted({ drive: cmd.drive, applicant: cmd.applicant, shortlistedOn: cmd.shortlistedOn })
    ])
  )

export const rejectApplicant = (cmd: Commands.RejectApplicant, state: State, context: DecisionContext) =>
  advance(
    state,
    cmd,
    "Rejected",
    ["Received", "Shortlisted"],
    { field: "rejectedOn", on: cmd.rejectedOn },
    context,
    () =>
      Result.succeed([
        new ApplicantRejected({
          drive: cmd.drive,
          applicant: cmd.applicant,
          reason: cmd.reason,
          rejectedOn: cmd.rejectedOn,
          ...(cmd.note === undefined ? {} : { note: cmd.note })
        })
      ])
  )

/** Offers only to the shortlisted, at one of the drive's stations, while a post is not yet offered or filled. */
export const makeOffer = (cmd: Commands.MakeOffer, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    const drive = yield* open(cmd.drive, state)
    const a = yield* application(drive, cmd.applicant)
    if (a.stage === "Offered" && a.station === cmd.station) return []
    yield* inStage(a, ["Shortlisted"])
    if (!drive.stations.includes(cmd.station)) {
      return yield* Result.fail(StationNotInDrive({ drive: cmd.drive, station: cmd.station }))
    }
    const taken = postsTaken(drive)
    if (taken >= drive.vacancies) {
      return yield* Result.fail(VacanciesFilled({ drive: cmd.drive, vacancies: drive.vacancies, taken }))
    }
    yield* notInFuture("offeredOn", cmd.offeredOn, context.now)
    yield* notBefore("offeredOn", cmd.offeredOn, a.lastOn)
    return [
      new OfferMade({ drive: cmd.drive, applicant: cmd.applicant, station: cmd.station, offeredOn: cmd.offeredOn })
    ]
  })

export const acceptOffer = (cmd: Commands.AcceptOffer, state: State, context: DecisionContext) =>
  advance(state, cmd, "Accepted", ["Offered"], { field: "acceptedOn", on: cmd.acceptedOn }, context, () =>
    Result.succeed([new OfferAccepted({ drive: cmd.drive, applicant: cmd.applicant, acceptedOn: cmd.acceptedOn })])
  )

/** A declined offer frees its post for another offer. */
export const declineOffer = (cmd: Commands.DeclineOffer, state: State, context: DecisionContext) =>
  advance(state, cmd, "Declined", ["Offered"], { field: "declinedOn", on: cmd.declinedOn }, context, () =>
    Result.succeed([
      new OfferDeclined({
        drive: cmd.drive,
        applicant: cmd.applicant,
        declinedOn: cmd.declinedOn,
        ...(cmd.note === undefined ? {} : { note: cmd.note })
      })
    ])
  )

/** Hires an applicant who accepted; never more hires than vacancies; one applicant per worker id. */
export const hireApplicant = (cmd: Commands.HireApplicant, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    const drive = yield* open(cmd.drive, state)
    const a = yield* application(drive, cmd.applicant)
    if (a.stage === "Hired" && a.worker === cmd.worker) return []
    yield* inStage(a, ["Accepted"])
    const other = [...drive.applications.values()].find((x) => x.worker === cmd.worker)
    if (other !== undefined) {
      return yield* Result.fail(
        WorkerAlreadyLinked({ drive: cmd.drive, worker: cmd.worker, applicant: other.applicant })
      )
    }
    const hired = hiredCount(drive)
    if (hired >= drive.vacancies) {
      return yield* Result.fail(VacanciesFilled({ drive: cmd.drive, vacancies: drive.vacancies, taken: hired }))
    }
    yield* notInFuture("hiredOn", cmd.hiredOn, context.now)
    yield* notBefore("hiredOn", cmd.hiredOn, a.lastOn)
    return [
      new ApplicantHired({ drive: cmd.drive, applicant: cmd.applicant, worker: cmd.worker, hiredOn: cmd.hiredOn })
    ]
  })

/** Closing ends the drive; closing it again records nothing. */
export const closeDrive = (cmd: Commands.CloseDrive, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Closed") return []
    const drive = yield* open(cmd.drive, state)
    yield* notInFuture("closedOn", cmd.closedOn, context.now)
    yield* notBefore("closedOn", cmd.closedOn, drive.latest)
    return [new DriveClosed({ drive: cmd.drive, closedOn: cmd.closedOn })]
  })

export const decide = (command: Commands.Command, state: State, context: DecisionContext): Decision => {
  switch (command._tag) {
    case "OpenDrive":
      return openDrive(command, state)
    case "ReceiveApplication":
      return receiveApplication(command, state, context)
    case "ShortlistApplicant":
      return shortlistApplicant(command, state, context)
    case "RejectApplicant":
      return rejectApplicant(command, state, context)
    case "MakeOffer":
      return makeOffer(command, state, context)
    case "AcceptOffer":
      return acceptOffer(command, state, context)
    case "DeclineOffer":
      return declineOffer(command, state, context)
    case "HireApplicant":
      return hireApplicant(command, state, context)
    case "CloseDrive":
      return closeDrive(command, state, context)
  }
}

export const decider = Decider.make<Commands.Command, Event, State>({ initialState: initial, evolve, decide })
