import type { Scalars } from "@shuangbai/eventsourcing"
import type { PersonId, StationId } from "../shared/Ids.ts"
import type { ActivityTheme, Event } from "./Events.ts"

export interface Plan {
  readonly station: StationId
  readonly theme: ActivityTheme
  readonly title: Scalars.NonEmptyText
  readonly plannedOn: Scalars.LocalDate
  readonly scheduledFor?: Scalars.LocalDate
}

export interface Attendance {
  readonly heldOn: Scalars.LocalDate
  readonly headcount?: number
  readonly participants: ReadonlyArray<PersonId>
}

export type State =
  | { readonly _tag: "NotPlanned" }
  | { readonly _tag: "Planned"; readonly plan: Plan }
  | { readonly _tag: "Held"; readonly plan: Plan; readonly attendance: Attendance }
  | { readonly _tag: "Cancelled"; readonly plan: Plan; readonly reason: Scalars.NonEmptyText }

export const initial: State = { _tag: "NotPlanned" }

/** Pure and total: an event that does not fit the state (none should be stored) leaves it as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "ActivityPlanned":
      return state._tag === "NotPlanned"
        ? {
            _tag: "Planned",
            plan: {
              station: event.station,
              theme: event.theme,
              title: event.title,
              plannedOn: event.plannedOn,
              ...(event.scheduledFor === undefined ? {} : { scheduledFor: event.scheduledFor })
            }
          }
        : state
    case "ActivityHeld":
      return state._tag === "Planned"
        ? {
            _tag: "Held",
            plan: state.plan,
            attendance: {
              heldOn: event.heldOn,
              ...(event.headcount === undefined ? {} : { headcount: event.headcount }),
              participants: event.participants
            }
          }
        : state
    case "ActivityCancelled":
      return state._tag === "Planned" ? { _tag: "Cancelled", plan: state.plan, reason: event.reason } : state
  }
}
