import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../../Domain.ts"
import type { HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../../shared/Ids.ts"
import { PersistentMap } from "../../shared/Persistent.ts"
import type { Modality } from "../../visits/Events.ts"

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
export const conducted: Projection.Projection<Event, PersistentMap<VisitId, Visit>> = {
  initial: PersistentMap.empty(),
  evolve: (visits, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "VisitConducted":
        return PersistentMap.from(visits).with(event.visit, {
          household: event.household,
          station: event.station,
          worker: event.worker,
          visitedOn: event.visitedOn,
          modality: event.modality,
          persons: event.personsSeen
        })
      case "VisitAmended": {
        const before = PersistentMap.from(visits).get(event.visit)
        if (
          before === undefined ||
          (event.visitedOn === undefined && event.modality === undefined && event.personsSeen === undefined)
        ) {
          return visits
        }
        return PersistentMap.from(visits).with(event.visit, {
          ...before,
          visitedOn: event.visitedOn ?? before.visitedOn,
          modality: event.modality ?? before.modality,
          persons: event.personsSeen ?? before.persons
        })
      }
      case "VisitVoided":
        return PersistentMap.from(visits).has(event.visit) ? PersistentMap.from(visits).without(event.visit) : visits
      default:
        return visits
    }
  }
}

/**
 * The visits of one household that count, as the county figures read them (F2, F9, F12), in columns: the
 * i-th visit is `ids[i]`, on the day `days[i] >> 1` (`YYYYMMDD` as a number) and a home visit when
 * `days[i] & 1`, by the station `stations[station[i]]`, seeing the persons whose bits are set in `seen[i]`
 * (bit j: `persons[j]`; a list of indices instead past 30 persons). A county log holds hundreds of thousands
 * of visits: each costs its id and four small numbers, and a household's stations and persons are kept once.
 */
export interface HouseholdVisits {
  readonly persons: ReadonlyArray<PersonId>
  readonly stations: ReadonlyArray<StationId>
  readonly ids: ReadonlyArray<VisitId>
  readonly days: ReadonlyArray<number>
  readonly station: ReadonlyArray<number>
  readonly seen: ReadonlyArray<number | ReadonlyArray<number>>
}

/** A business date as the number YYYYMMDD (`Scalars.LocalDate` is always `YYYY-MM-DD`): ordered as the dates. */
export const dayNumber = (date: Scalars.LocalDate): number => {
  let n = 0
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) n = n * 10 + (date.charCodeAt(i) - 48)
  return n
}

/** A period as `days` values bound it, both ends included: the home bit does not change the order. */
export interface Days {
  readonly from: number
  readonly to: number
}

export const daysOf = (period: { readonly from: Scalars.LocalDate; readonly to: Scalars.LocalDate }): Days => ({
  from: dayNumber(period.from) * 2,
  to: dayNumber(period.to) * 2 + 1
})

/** A `days` value inside a period of `daysOf`. */
export const within = (day: number, days: Days): boolean => day >= days.from && day <= days.to

/** A `days` value of a home visit (入户探访). */
export const isHomeVisit = (day: number): boolean => (day & 1) === 1

const bitLimit = 30

/** Calls `f` with each person `seen` names. */
export const forEachSeen = (
  visits: HouseholdVisits,
  seen: number | ReadonlyArray<number>,
  f: (person: PersonId) => void
) => {
  if (typeof seen === "number") {
    for (let j = 0; seen >> j !== 0; j++) if ((seen >> j) & 1) f(visits.persons[j]!)
  } else for (const j of seen) f(visits.persons[j]!)
}

// Arrays copied to their exact length: a spread leaves room to grow in each, which a state of thousands of
// households keeps.
const appended = <A>(list: ReadonlyArray<A>, value: A): ReadonlyArray<A> => list.concat([value])

const indexIn = <A>(list: ReadonlyArray<A>, value: A): readonly [ReadonlyArray<A>, number] => {
  const i = list.indexOf(value)
  return i >= 0 ? [list, i] : [appended(list, value), list.length]
}

/** The household's persons list with `seen` in it, and `seen` as bits (or indices past `bitLimit`). */
const encodeSeen = (
  persons: ReadonlyArray<PersonId>,
  seen: ReadonlyArray<PersonId>
): readonly [ReadonlyArray<PersonId>, number | ReadonlyArray<number>] => {
  let list = persons
  const indices: Array<number> = []
  for (const person of seen) {
    const [next, j] = indexIn(list, person)
    list = next
    if (!indices.includes(j)) indices.push(j)
  }
  if (indices.every((j) => j < bitLimit)) return [list, indices.reduce((bits, j) => bits | (1 << j), 0)]
  return [list, indices.sort((a, b) => a - b)]
}

const replaced = <A>(list: ReadonlyArray<A>, i: number, value: A): ReadonlyArray<A> => {
  const next = list.slice()
  next[i] = value
  return next
}

const without = <A>(list: ReadonlyArray<A>, i: number): ReadonlyArray<A> => list.slice(0, i).concat(list.slice(i + 1))

const none: HouseholdVisits = { persons: [], stations: [], ids: [], days: [], station: [], seen: [] }

/**
 * `conducted` for the county figures: the same visits, amended and voided the same way, kept per household.
 * An amendment or a void names the visit's household (the visits decider writes it from the visit's own
 * stream), so the visit is found under it. A persistent map of plain data: a saved state read back with
 * `structuredClone` or JSON is the same value.
 */
export const counted: Projection.Projection<Event, ReadonlyMap<HouseholdId, HouseholdVisits>> = {
  initial: PersistentMap.empty(),
  evolve: (state, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "VisitConducted": {
        const map = PersistentMap.from(state)
        const before = map.get(event.household) ?? none
        const [stations, s] = indexIn(before.stations, event.station)
        const [persons, seen] = encodeSeen(before.persons, event.personsSeen)
        const day = dayNumber(event.visitedOn) * 2 + (event.modality === "HomeVisit" ? 1 : 0)
        const i = before.ids.indexOf(event.visit)
        const after: HouseholdVisits =
          i >= 0
            ? {
                persons,
                stations,
                ids: before.ids,
                days: replaced(before.days, i, day),
                station: replaced(before.station, i, s),
                seen: replaced(before.seen, i, seen)
              }
            : {
                persons,
                stations,
                ids: appended(before.ids, event.visit),
                days: appended(before.days, day),
                station: appended(before.station, s),
                seen: appended(before.seen, seen)
              }
        return map.with(event.household, after)
      }
      case "VisitAmended": {
        if (event.visitedOn === undefined && event.modality === undefined && event.personsSeen === undefined) {
          return state
        }
        const map = PersistentMap.from(state)
        const before = map.get(event.household)
        const i = before === undefined ? -1 : before.ids.indexOf(event.visit)
        if (before === undefined || i < 0) return state
        const was = before.days[i]!
        const day = event.visitedOn === undefined ? was >> 1 : dayNumber(event.visitedOn)
        const home = event.modality === undefined ? was & 1 : event.modality === "HomeVisit" ? 1 : 0
        const [persons, seen] =
          event.personsSeen === undefined
            ? [before.persons, before.seen[i]!]
            : encodeSeen(before.persons, event.personsSeen)
        return map.with(event.household, {
          ...before,
          persons,
          days: replaced(before.days, i, day * 2 + home),
          seen: replaced(before.seen, i, seen)
        })
      }
      case "VisitVoided": {
        const map = PersistentMap.from(state)
        const before = map.get(event.household)
        const i = before === undefined ? -1 : before.ids.indexOf(event.visit)
        if (before === undefined || i < 0) return state
        return map.with(event.household, {
          ...before,
          ids: without(before.ids, i),
          days: without(before.days, i),
          station: without(before.station, i),
          seen: without(before.seen, i)
        })
      }
      default:
        return state
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

export const scheduled: Projection.Projection<Event, PersistentMap<VisitId, Scheduled>> = {
  initial: PersistentMap.empty(),
  evolve: (visits, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "VisitScheduled":
        return PersistentMap.from(visits).with(event.visit, {
          household: event.household,
          station: event.station,
          worker: event.worker,
          persons: event.persons,
          dueOn: event.dueOn
        })
      case "VisitConducted":
      case "VisitSkipped":
      case "VisitVoided":
        return PersistentMap.from(visits).has(event.visit) ? PersistentMap.from(visits).without(event.visit) : visits
      default:
        return visits
    }
  }
}
