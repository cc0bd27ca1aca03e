import { Projection, type Recorded, type Text } from "@shuangbai/eventsourcing"
import type { ActivityId, PersonId, StationId } from "../shared/Ids.ts"
import { type ActivityTheme, type Event, personTimesOf } from "./Events.ts"
import { category } from "./Stream.ts"

/** A span of business days, both ends included. */
export interface Period {
  readonly from: Text.LocalDate
  readonly to: Text.LocalDate
}

export const within = (date: Text.LocalDate, period: Period): boolean => date >= period.from && date <= period.to

export interface Tally {
  /** Activities held (场次, F10: 422). */
  readonly activities: number
  /** Person-times (人次, F11: 8,969): `personTimesOf` each activity held, summed. */
  readonly personTimes: number
  /** Distinct named persons reached; always at most the person-times. */
  readonly persons: ReadonlySet<PersonId>
}

export const emptyTally: Tally = { activities: 0, personTimes: 0, persons: new Set() }

export interface Held {
  /** Activities planned and not yet held or cancelled: where a later ActivityHeld finds its station and theme. */
  readonly pending: ReadonlyMap<ActivityId, { readonly station: StationId; readonly theme: ActivityTheme }>
  readonly county: Tally
  readonly byStation: ReadonlyMap<StationId, Tally>
  readonly byTheme: ReadonlyMap<ActivityTheme, Tally>
}

// Copy-on-write: the same set back when no one is new, so earlier states stay valid for whoever holds them.
const add = (tally: Tally, personTimes: number, participants: ReadonlyArray<PersonId>): Tally => {
  const fresh = participants.filter((p) => !tally.persons.has(p))
  const persons = fresh.length === 0 ? tally.persons : new Set([...tally.persons, ...fresh])
  return { activities: tally.activities + 1, personTimes: tally.personTimes + personTimes, persons }
}

const activityOf = (recorded: Recorded<Event>): ActivityId | undefined =>
  recorded.stream.category === category ? recorded.event.activity : undefined

/**
 * Activities held with `heldOn` in the period, for the county, per station and per theme. Only held
 * activities count: planned ones are waiting, cancelled ones never happened.
 */
export const heldIn = (period: Period): Projection.Projection<Event, Held> =>
  Projection.make<Event, Held>({
    initial: { pending: new Map(), county: emptyTally, byStation: new Map(), byTheme: new Map() },
    evolve: (state, recorded) => {
      const id = activityOf(recorded)
      if (id === undefined) return state
      const { event } = recorded
      switch (event._tag) {
        case "ActivityPlanned":
          return state.pending.has(id)
            ? state
            : { ...state, pending: new Map(state.pending).set(id, { station: event.station, theme: event.theme }) }
        case "ActivityCancelled": {
          if (!state.pending.has(id)) return state
          const pending = new Map(state.pending)
          pending.delete(id)
          return { ...state, pending }
        }
        case "ActivityHeld": {
          const planned = state.pending.get(id)
          if (planned === undefined) return state
          const pending = new Map(state.pending)
          pending.delete(id)
          if (!within(event.heldOn, period)) return { ...state, pending }
          const times = personTimesOf(event)
          return {
            pending,
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
