import type { Scalars } from "@shuangbai/eventsourcing"
import type { CampaignId, HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../shared/Ids.ts"
import type { Event, ItemGiven, Modality } from "./Events.ts"

export interface Scheduled {
  readonly _tag: "Scheduled"
  readonly visit: VisitId
  readonly household: HouseholdId
  readonly persons: ReadonlyArray<PersonId>
  readonly worker: WorkerId
  readonly station: StationId
  readonly dueOn: Scalars.LocalDate
}

export interface Conducted {
  readonly _tag: "Conducted"
  readonly visit: VisitId
  readonly household: HouseholdId
  readonly station: StationId
  readonly worker: WorkerId
  readonly visitedOn: Scalars.LocalDate
  readonly personsSeen: ReadonlyArray<PersonId>
  readonly modality: Modality
  readonly findings: Scalars.NonEmptyText
  readonly needs: ReadonlyArray<Scalars.NonEmptyText>
  readonly itemsGiven: ReadonlyArray<ItemGiven>
  readonly campaign?: CampaignId
  /** When it had been scheduled for, if it was. */
  readonly dueOn?: Scalars.LocalDate
  readonly amendments: number
}

export interface Skipped {
  readonly _tag: "Skipped"
  readonly visit: VisitId
  readonly household: HouseholdId
  readonly dueOn: Scalars.LocalDate
  readonly reason: Scalars.NonEmptyText
}

export interface Voided {
  readonly _tag: "Voided"
  readonly visit: VisitId
  readonly household: HouseholdId
  readonly reason: Scalars.NonEmptyText
  /** What was voided, kept for the auditor. */
  readonly voided: Scheduled | Conducted | Skipped
}

/** A visit's lifecycle: scheduled → conducted or skipped; any of them → voided. Conducted never goes back. */
export type State = { readonly _tag: "NotRecorded" } | Scheduled | Conducted | Skipped | Voided

export const initial: State = { _tag: "NotRecorded" }

const amend = (visit: Conducted, event: Extract<Event, { _tag: "VisitAmended" }>): Conducted => {
  const { campaign: _, ...withoutCampaign } = visit
  const campaign = event.campaign === undefined ? visit.campaign : (event.campaign ?? undefined)
  return {
    ...withoutCampaign,
    ...(event.visitedOn === undefined ? {} : { visitedOn: event.visitedOn }),
    ...(event.personsSeen === undefined ? {} : { personsSeen: event.personsSeen }),
    ...(event.modality === undefined ? {} : { modality: event.modality }),
    ...(event.findings === undefined ? {} : { findings: event.findings }),
    ...(event.needs === undefined ? {} : { needs: event.needs }),
    ...(event.itemsGiven === undefined ? {} : { itemsGiven: event.itemsGiven }),
    ...(campaign === undefined ? {} : { campaign }),
    amendments: visit.amendments + 1
  }
}

/** Pure and total: an event that does not fit the stage (none should be stored) leaves the state as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "VisitScheduled":
      return state._tag === "NotRecorded"
        ? {
            _tag: "Scheduled",
            visit: event.visit,
            household: event.household,
            persons: event.persons,
            worker: event.worker,
            station: event.station,
            dueOn: event.dueOn
          }
        : state
    case "VisitConducted":
      return state._tag === "NotRecorded" || state._tag === "Scheduled"
        ? {
            _tag: "Conducted",
            visit: event.visit,
            household: event.household,
            station: event.station,
            worker: event.worker,
            visitedOn: event.visitedOn,
            personsSeen: event.personsSeen,
            modality: event.modality,
            findings: event.findings,
            needs: event.needs,
            itemsGiven: event.itemsGiven,
            ...(event.campaign === undefined ? {} : { campaign: event.campaign }),
            ...(state._tag === "Scheduled" ? { dueOn: state.dueOn } : {}),
            amendments: 0
          }
        : state
    case "VisitSkipped":
      return state._tag === "Scheduled"
        ? { _tag: "Skipped", visit: state.visit, household: state.household, dueOn: state.dueOn, reason: event.reason }
        : state
    case "VisitAmended":
      return state._tag === "Conducted" ? amend(state, event) : state
    case "VisitVoided":
      return state._tag === "NotRecorded" || state._tag === "Voided"
        ? state
        : { _tag: "Voided", visit: state.visit, household: state.household, reason: event.reason, voided: state }
  }
}
