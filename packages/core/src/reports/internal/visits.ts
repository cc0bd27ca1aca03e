import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { HashMap } from "effect"
import type { Event } from "../../Domain.ts"
import type { HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../../shared/Ids.ts"
import type { Modality } from "../../visits/Events.ts"
import { lookup } from "./narrow.ts"

/** A visit that counts: conducted, not voided, as last amended. */
export interface Visit {
  readonly household: HouseholdId
  readonly station: StationId
  readonly worker: WorkerId
  readonly visitedOn: Scalars.LocalDate
  readonly modality: Modality
  readonly persons: ReadonlyArray<PersonId>
}

/** The events `conducted` reads. */
export const conductedTypes = ["VisitConducted", "VisitAmended", "VisitVoided"] as const

/**
 * Every visit that counts, by id. Kept per visit because a correction may come at any time: an amendment
 * moves a visit to another day, another modality or other persons seen, a void takes it out of every count.
 */
export const conducted: Projection.Projection<Event, HashMap.HashMap<VisitId, Visit>> = {
  initial: HashMap.empty(),
  evolve: (visits, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "VisitConducted":
        return HashMap.set(visits, event.visit, {
          household: event.household,
          station: event.station,
          worker: event.worker,
          visitedOn: event.visitedOn,
          modality: event.modality,
          persons: event.personsSeen
        })
      case "VisitAmended": {
        const before = lookup(visits, event.visit)
        if (
          before === undefined ||
          (event.visitedOn === undefined && event.modality === undefined && event.personsSeen === undefined)
        ) {
          return visits
        }
        return HashMap.set(visits, event.visit, {
          ...before,
          visitedOn: event.visitedOn ?? before.visitedOn,
          modality: event.modality ?? before.modality,
          persons: event.personsSeen ?? before.persons
        })
      }
      case "VisitVoided":
        return HashMap.has(visits, event.visit) ? HashMap.remove(visits, event.visit) : visits
      default:
        return visits
    }
  }
}

/** A visit scheduled and not yet conducted, skipped or voided. */
export interface Scheduled {
  readonly household: HouseholdId
  readonly station: StationId
  readonly worker: WorkerId
  readonly persons: ReadonlyArray<PersonId>
  readonly dueOn: Scalars.LocalDate
}

/** The events `scheduled` reads. */
export const scheduledTypes = ["VisitScheduled", "VisitConducted", "VisitSkipped", "VisitVoided"] as const

export const scheduled: Projection.Projection<Event, HashMap.HashMap<VisitId, Scheduled>> = {
  initial: HashMap.empty(),
  evolve: (visits, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "VisitScheduled":
        return HashMap.set(visits, event.visit, {
          household: event.household,
          station: event.station,
          worker: event.worker,
          persons: event.persons,
          dueOn: event.dueOn
        })
      case "VisitConducted":
      case "VisitSkipped":
      case "VisitVoided":
        return HashMap.has(visits, event.visit) ? HashMap.remove(visits, event.visit) : visits
      default:
        return visits
    }
  }
}
