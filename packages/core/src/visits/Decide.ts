import { Decider, HashChain, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { consentToProcess, householdOnFile, memberOnFile, noNotesAbout } from "../registry/Decide.ts"
import type * as Registry from "../registry/State.ts"
import type { AfterWithdrawalOf } from "../shared/Consent.ts"
import { notInFuture } from "../shared/Dates.ts"
import type { HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../shared/Ids.ts"
import { onPostAt } from "../workforce/Decide.ts"
import type * as Commands from "./Commands.ts"
import { type Event, VisitAmended, VisitConducted, VisitScheduled, VisitSkipped, VisitVoided } from "./Events.ts"
import { type Conducted, evolve, initial, type Scheduled, type State } from "./State.ts"

/**
 * What a visit decision knows besides the visit's own stream. The handler's context loader fills it in
 * from other streams, for the rules that span them.
 */
export interface VisitContext extends Decider.DecisionContext {
  /**
   * The registry file of the household a new visit names (or an amendment that changes the persons seen, the
   * findings or the needs): its members and the consents withdrawn. Absent means not loaded: not on file.
   */
  readonly household?: Registry.State
  /**
   * The station the visit's worker was on post at on the visit's day (due day for a schedule, the corrected
   * day for an amendment that moves the date), from the workforce context. A worker absent, or the map absent
   * (not loaded), was not on post.
   */
  readonly onPost?: ReadonlyMap<WorkerId, StationId>
}

// Rules, named as the facts that refuse a command. An unknown or archived household is refused with the
// registry's own rules (HouseholdNotRegistered, HouseholdIsArchived), a person who withdrew consent to
// processing with ProcessingConsentWithdrawn or NotesAboutWithdrawnPerson; a worker not on post at the visit's
// station that day with the workforce's (WorkerNotOnPostAtStation); a future date with DateIsInFuture.

export const VisitAlreadyScheduled = Rule.define<{ visit: VisitId }>("VisitAlreadyScheduled", {
  en: (f) => `visit ${f.visit} is already scheduled, with other details`,
  zh: (f) => `探访 ${f.visit} 已安排，且安排内容不同`
})
export const VisitAlreadyConducted = Rule.define<{ visit: VisitId }>("VisitAlreadyConducted", {
  en: (f) => `visit ${f.visit} has been conducted: correct it with an amendment`,
  zh: (f) => `探访 ${f.visit} 已完成，如需更正请提交更正记录`
})
export const VisitWasSkipped = Rule.define<{ visit: VisitId }>("VisitWasSkipped", {
  en: (f) => `visit ${f.visit} was skipped: schedule or record a new visit`,
  zh: (f) => `探访 ${f.visit} 已取消，请另行安排或登记新的探访`
})
export const VisitIsVoided = Rule.define<{ visit: VisitId }>("VisitIsVoided", {
  en: (f) => `visit ${f.visit} is void: nothing more may be recorded on it`,
  zh: (f) => `探访 ${f.visit} 已作废，不能再登记`
})
export const VisitNotScheduled = Rule.define<{ visit: VisitId }>("VisitNotScheduled", {
  en: (f) => `visit ${f.visit} is not scheduled`,
  zh: (f) => `探访 ${f.visit} 未安排`
})
export const VisitNotConducted = Rule.define<{ visit: VisitId }>("VisitNotConducted", {
  en: (f) => `visit ${f.visit} has not been conducted: only a conducted visit can be amended`,
  zh: (f) => `探访 ${f.visit} 尚未完成，只有已完成的探访可以更正`
})
export const VisitNotRecorded = Rule.define<{ visit: VisitId }>("VisitNotRecorded", {
  en: (f) => `visit ${f.visit} is not recorded`,
  zh: (f) => `探访 ${f.visit} 不存在`
})
export const VisitIsForAnotherHousehold = Rule.define<{
  visit: VisitId
  household: HouseholdId
  scheduledFor: HouseholdId
}>("VisitIsForAnotherHousehold", {
  en: (f) => `visit ${f.visit} was scheduled for household ${f.scheduledFor}, not ${f.household}`,
  zh: (f) => `探访 ${f.visit} 安排给户 ${f.scheduledFor}，不是户 ${f.household}`
})

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

const same = (a: unknown, b: unknown): boolean => HashChain.canonicalJson(a) === HashChain.canonicalJson(b)

/**
 * The rules a new visit meets across streams: for a household on file (registered, not archived), by a
 * worker on post at the visit's station on its day ("a visit needs a worker on post at that station that day"),
 * naming no one who withdrew consent to the processing of their data.
 */
const spanningRules = (
  visit: { readonly household: HouseholdId; readonly worker: WorkerId; readonly station: StationId },
  persons: ReadonlyArray<PersonId>,
  date: Scalars.LocalDate,
  context: VisitContext
): Result.Result<void, RuleViolation> =>
  Result.gen(function* () {
    yield* membersOnFile(visit.household, persons, context)
    yield* onPostAt(visit.worker, visit.station, date, context.onPost?.get(visit.worker))
    for (const person of persons) yield* consentToProcess(context.household, person)
  })

/**
 * The household on file, and every person a visit names a current member of it (the registry's
 * PersonNotMember otherwise): a visit's persons are its subjects, so a stranger named here would put this
 * household's notes in another's history.
 */
const membersOnFile = (
  household: HouseholdId,
  persons: ReadonlyArray<PersonId>,
  context: VisitContext
): Result.Result<void, RuleViolation> =>
  Result.gen(function* () {
    const file = yield* householdOnFile(household, context.household)
    for (const person of persons) yield* memberOnFile(file, person)
  })

const scheduleOf = (visit: Scheduled | Commands.ScheduleVisit) => ({
  household: visit.household,
  persons: visit.persons,
  worker: visit.worker,
  station: visit.station,
  dueOn: visit.dueOn
})

const recordOf = (visit: Conducted | Commands.RecordVisit) => ({
  household: visit.household,
  station: visit.station,
  worker: visit.worker,
  visitedOn: visit.visitedOn,
  personsSeen: visit.personsSeen,
  modality: visit.modality,
  findings: visit.findings,
  needs: visit.needs,
  itemsGiven: visit.itemsGiven,
  campaign: visit.campaign
})

export const scheduleVisit = (cmd: Commands.ScheduleVisit, state: State, context: VisitContext): Decision =>
  Result.gen(function* () {
    switch (state._tag) {
      case "Scheduled":
        if (same(scheduleOf(state), scheduleOf(cmd))) return []
        return yield* Result.fail(VisitAlreadyScheduled({ visit: cmd.visit }))
      case "Conducted":
        return yield* Result.fail(VisitAlreadyConducted({ visit: cmd.visit }))
      case "Skipped":
        return yield* Result.fail(VisitWasSkipped({ visit: cmd.visit }))
      case "Voided":
        return yield* Result.fail(VisitIsVoided({ visit: cmd.visit }))
      case "NotRecorded":
        yield* spanningRules(cmd, cmd.persons, cmd.dueOn, context)
        return [
          new VisitScheduled({
            visit: cmd.visit,
            household: cmd.household,
            persons: cmd.persons,
            worker: cmd.worker,
            station: cmd.station,
            dueOn: cmd.dueOn
          })
        ]
    }
  })

export const recordVisit = (cmd: Commands.RecordVisit, state: State, context: VisitContext): Decision =>
  Result.gen(function* () {
    switch (state._tag) {
      case "Conducted":
        if (same(recordOf(state), recordOf(cmd))) return []
        return yield* Result.fail(VisitAlreadyConducted({ visit: cmd.visit }))
      case "Skipped":
        return yield* Result.fail(VisitWasSkipped({ visit: cmd.visit }))
      case "Voided":
        return yield* Result.fail(VisitIsVoided({ visit: cmd.visit }))
      case "Scheduled":
        if (state.household !== cmd.household) {
          return yield* Result.fail(
            VisitIsForAnotherHousehold({ visit: cmd.visit, household: cmd.household, scheduledFor: state.household })
          )
        }
        break
      case "NotRecorded":
        break
    }
    yield* notInFuture("visitedOn", cmd.visitedOn, context.now)
    yield* spanningRules(cmd, cmd.personsSeen, cmd.visitedOn, context)
    return [
      new VisitConducted({
        visit: cmd.visit,
        household: cmd.household,
        station: cmd.station,
        worker: cmd.worker,
        visitedOn: cmd.visitedOn,
        personsSeen: cmd.personsSeen,
        modality: cmd.modality,
        findings: cmd.findings,
        needs: cmd.needs,
        itemsGiven: cmd.itemsGiven,
        ...(cmd.campaign === undefined ? {} : { campaign: cmd.campaign })
      })
    ]
  })

export const skipVisit = (cmd: Commands.SkipVisit, state: State): Decision => {
  switch (state._tag) {
    case "Scheduled":
      return Result.succeed([new VisitSkipped({ visit: cmd.visit, household: state.household, reason: cmd.reason })])
    case "Skipped":
      return Result.succeed([])
    case "Conducted":
      return Result.fail(VisitAlreadyConducted({ visit: cmd.visit }))
    case "Voided":
      return Result.fail(VisitIsVoided({ visit: cmd.visit }))
    case "NotRecorded":
      return Result.fail(VisitNotScheduled({ visit: cmd.visit }))
  }
}

/**
 * Only the fields that differ from the record are amended; an amendment that changes nothing records nothing.
 * The amended visit meets the rules a visit recorded afresh with its fields would: the date not after today
 * and, when the date moves, the visit's worker on post at its station on the new day. Household, station and
 * worker are not amendable (void the visit and record it again), so the household rule, checked when the
 * visit was recorded, still holds of them, as does the worker rule for a date that stays.
 */
export const amendVisit = (cmd: Commands.AmendVisit, state: State, context: VisitContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Voided") return yield* Result.fail(VisitIsVoided({ visit: cmd.visit }))
    if (state._tag !== "Conducted") return yield* Result.fail(VisitNotConducted({ visit: cmd.visit }))
    const changes = {
      ...(cmd.visitedOn !== undefined && cmd.visitedOn !== state.visitedOn ? { visitedOn: cmd.visitedOn } : {}),
      ...(cmd.personsSeen !== undefined && !same(cmd.personsSeen, state.personsSeen)
        ? { personsSeen: cmd.personsSeen }
        : {}),
      ...(cmd.modality !== undefined && cmd.modality !== state.modality ? { modality: cmd.modality } : {}),
      ...(cmd.findings !== undefined && cmd.findings !== state.findings ? { findings: cmd.findings } : {}),
      ...(cmd.needs !== undefined && !same(cmd.needs, state.needs) ? { needs: cmd.needs } : {}),
      ...(cmd.itemsGiven !== undefined && !same(cmd.itemsGiven, state.itemsGiven)
        ? { itemsGiven: cmd.itemsGiven }
        : {}),
      ...(cmd.campaign !== undefined && cmd.campaign !== (state.campaign ?? null) ? { campaign: cmd.campaign } : {})
    }
    if (Object.keys(changes).length === 0) return []
    if (changes.personsSeen !== undefined) {
      yield* membersOnFile(state.household, changes.personsSeen, context)
      for (const person of changes.personsSeen) {
        if (!state.personsSeen.includes(person)) yield* consentToProcess(context.household, person)
      }
    }
    // New free text about the persons seen is refused while one of them has withdrawn; other corrections run.
    for (const person of changes.personsSeen ?? state.personsSeen) {
      if (changes.findings !== undefined) yield* noNotesAbout(context.household, person, "findings", changes.findings)
      if (changes.needs !== undefined) yield* noNotesAbout(context.household, person, "needs", changes.needs.join(" "))
    }
    if (changes.visitedOn !== undefined) {
      yield* notInFuture("visitedOn", changes.visitedOn, context.now)
      yield* onPostAt(state.worker, state.station, changes.visitedOn, context.onPost?.get(state.worker))
    }
    return [new VisitAmended({ visit: cmd.visit, household: state.household, reason: cmd.reason, ...changes })]
  })

export const voidVisit = (cmd: Commands.VoidVisit, state: State): Decision => {
  switch (state._tag) {
    case "NotRecorded":
      return Result.fail(VisitNotRecorded({ visit: cmd.visit }))
    case "Voided":
      return Result.succeed([])
    default:
      return Result.succeed([new VisitVoided({ visit: cmd.visit, household: state.household, reason: cmd.reason })])
  }
}

/** What each visit command does for a person who withdrew consent to processing (shared/Consent.ts). */
export const afterWithdrawal: AfterWithdrawalOf<Commands.Command["_tag"]> = {
  ScheduleVisit: { _tag: "Refused", why: "plans new processing: a visit naming the person could not be recorded" },
  RecordVisit: {
    _tag: "Refused",
    why: "its findings and needs are new data about the persons seen (an emergency visit is relief field work)"
  },
  SkipVisit: { _tag: "Runs", why: "records that a visit will not take place: nothing about the person" },
  AmendVisit: {
    _tag: "FieldsRefused",
    fields: ["findings", "needs"],
    why: "a correction of the date, modality or items, or one that takes the person out, runs; new text about them does not, nor adding them to personsSeen (ProcessingConsentWithdrawn)"
  },
  VoidVisit: { _tag: "Runs", why: "a void record no longer counts anywhere: less processing" }
}

export const decide = (command: Commands.Command, state: State, context: VisitContext): Decision => {
  switch (command._tag) {
    case "ScheduleVisit":
      return scheduleVisit(command, state, context)
    case "RecordVisit":
      return recordVisit(command, state, context)
    case "SkipVisit":
      return skipVisit(command, state)
    case "AmendVisit":
      return amendVisit(command, state, context)
    case "VoidVisit":
      return voidVisit(command, state)
  }
}

export const decider = Decider.make<Commands.Command, Event, State, VisitContext>({
  initialState: initial,
  evolve,
  decide
})
