// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Recorded } from "@shuangbai/eventsourcing"
import { type Period, within } from "../shared/Dates.ts"
import type { ActivityId, PersonId, StationId } from "../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../shared/Persistent.ts"
import { type ActivityTheme, type Event, personTimesOf } from "./Events.ts"
import { category } from "./Stream.ts"

export interface Tally {
  /** Activities held (场次, F10: 422). */
  readonly activities: number
  /** Person-times (人次, F11: 8,969): `personTimesOf` each activity held, summed. */
  readonly personTimes: number
  /** Distinct named persons reached; always at most the person-times. A persistent set (shared/Persistent.ts). */
  readonly persons: ReadonlySet<PersonId>
}

export const emptyTally: Tally = { activities: 0, personTimes: 0, persons: PersistentSet.empty() }

export interface Held {
  /**
   * Activities planned and not yet held or cancelled: where a later ActivityHeld finds its station and theme.
   * A persistent map (shared/Persistent.ts).
   */
  readonly pending: ReadonlyMap<ActivityId, { readonly station: StationId; readonly theme: ActivityTheme }>
  readonly county: Tally
  /** Copied on write: a county has a dozen stations and a handful of themes. */
  readonly byStation: ReadonlyMap<StationId, Tally>
  readonly byTheme: ReadonlyMap<ActivityTheme, Tally>
}

// The persons and the pending activities grow with the log: persistent, so that an event costs O(log n) and
// earlier states stay valid for whoever holds them (`from` also takes back a state saved and read back).
const add = (tally: Tally, personTimes: number, participants: ReadonlyArray<PersonId>): Tally => ({
  activities: tally.activities + 1,
  personTimes: tally.personTimes + personTimes,
  persons: PersistentSet.from(tally.persons).withAll(participants)
})

const activityOf = (recorded: Recorded<Event>): ActivityId | undefined =>
  recorded.stream.category === category ? recorded.event.activity : undefined

/**
 * Activities held with `heldOn` in the period, for the county, per station and per theme. Only held
 * activities count: planned ones are waiting, cancelled ones never happened.
 */
export const heldIn = (period: Period): Projection.Projection<Event, Held> =>
  Projection.make<Event, Held>({
    initial: { pending: PersistentMap.empty(), county: emptyTally, byStation: new Map(), byTheme: new Map() },
    evolve: (state, recorded) => {
      const id = activityOf(recorded)
      if (id === undefined) return state
      const { event } = recorded
      const pending = PersistentMap.from(state.pending)
      switch (event._tag) {
        case "ActivityPlanned":
          return pending.has(id)
            ? state
            : { ...state, pending: pending.with(id, { station: event.station, theme: event.theme }) }
        case "ActivityCancelled":
          return pending.has(id) ? { ...state, pending: pending.without(id) } : state
        case "ActivityHeld": {
          const planned = pending.get(id)
          if (planned === undefined) return state
          if (!within(event.heldOn, period)) return { ...state, pending: pending.without(id) }
          const times = personTimesOf(event)
          return {
            pending: pending.without(id),
            county: add(state.county, times, event.participants),
            byStation: new Map(state.byStation).set(
              planned.station,
              add(state.byStation.get(planned.station) ?? emptyTally, times, event.participants)
            ),
            byTheme: new Map(state.byTheme).set(
              planned.theme,
              add(state.byTheme.get(planned.theme) ?? emptyTally, times, event.participants)
            )
          }
        }
      }
    }
  })
