// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Projection, Recorded } from "@shuangbai/eventsourcing"
import { personTimesOf } from "../../activities/Events.ts"
import type { Event } from "../../Domain.ts"
import type { ActivityId, PersonId, StationId } from "../../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../../shared/Persistent.ts"
import { type Period, within } from "../Period.ts"

export interface Tally {
  /** Activities held (场次). */
  readonly activities: number
  /** Person-times (人次): `personTimesOf` each activity held, summed. */
  readonly personTimes: number
}

export const noTally: Tally = { activities: 0, personTimes: 0 }

export interface Activities {
  /** Planned and neither held nor cancelled yet: where ActivityHeld finds its station. */
  readonly planned: PersistentMap<ActivityId, StationId>
  readonly held: Tally
  readonly byStation: PersistentMap<StationId, Tally>
  /** Named participants of activities held in `reachedIn` (F2). */
  readonly reached: PersistentSet<PersonId>
}

/** The events `make` reads. */
export const types = ["ActivityPlanned", "ActivityCancelled", "ActivityHeld"] as const

/**
 * Activities held in `heldIn`, for the county and per station, and the persons they reached in `reachedIn`.
 * Only held activities count: planned ones are waiting, cancelled ones never happened. A held activity
 * leaves `planned`, so the state grows with what is pending, not with what was done.
 */
export const make = (options: { readonly heldIn: Period; readonly reachedIn?: Period }) =>
  ({
    initial: {
      planned: PersistentMap.empty(),
      held: noTally,
      byStation: PersistentMap.empty(),
      reached: PersistentSet.empty()
    },
    evolve: (state: Activities, { event }: Recorded<Event>): Activities => {
      switch (event._tag) {
        case "ActivityPlanned":
          return PersistentMap.from(state.planned).has(event.activity)
            ? state
            : { ...state, planned: PersistentMap.from(state.planned).with(event.activity, event.station) }
        case "ActivityCancelled":
          return PersistentMap.from(state.planned).has(event.activity)
            ? { ...state, planned: PersistentMap.from(state.planned).without(event.activity) }
            : state
        case "ActivityHeld": {
          const station = PersistentMap.from(state.planned).get(event.activity)
          if (station === undefined) return state
          const planned = PersistentMap.from(state.planned).without(event.activity)
          let reached = state.reached
          if (options.reachedIn !== undefined && within(event.heldOn, options.reachedIn)) {
            for (const person of event.participants) reached = PersistentSet.from(reached).with(person)
          }
          if (!within(event.heldOn, options.heldIn)) return { ...state, planned, reached }
          const times = personTimesOf(event)
          const before = PersistentMap.from(state.byStation).get(station) ?? noTally
          return {
            planned,
            held: { activities: state.held.activities + 1, personTimes: state.held.personTimes + times },
            byStation: PersistentMap.from(state.byStation).with(station, {
              activities: before.activities + 1,
              personTimes: before.personTimes + times
            }),
            reached
          }
        }
        default:
          return state
      }
    }
  }) satisfies Projection.Projection<Event, Activities>
