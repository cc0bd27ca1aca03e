// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Recorded, type Scalars } from "@shuangbai/eventsourcing"
import { addDays, type Period, within } from "../shared/Dates.ts"
import type { CaseId, StationId, WorkerId } from "../shared/Ids.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import { type CaseType, dateOf, type Event } from "./Events.ts"
import { category } from "./Stream.ts"

export { addDays }

const caseOf = (recorded: Recorded<Event>): CaseId | undefined =>
  recorded.stream.category === category ? recorded.event.case : undefined

// Copied on write: keyed by station or case type, a dozen keys at most.
const increment = <K>(map: ReadonlyMap<K, number>, key: K): ReadonlyMap<K, number> =>
  new Map(map).set(key, (map.get(key) ?? 0) + 1)

// ---------------------------------------------------------------------------------------------------------
// F14: new cases opened in a period (68 in the first half year)

export interface Opened {
  readonly total: number
  readonly byStation: ReadonlyMap<StationId, number>
  readonly byType: ReadonlyMap<CaseType, number>
}

/** Cases opened (接案) with `openedOn` in the period; a reopened case is not a new one. */
export const openedIn = (period: Period): Projection.Projection<Event, Opened> =>
  Projection.make<Event, Opened>({
    initial: { total: 0, byStation: new Map(), byType: new Map() },
    evolve: (state, recorded) => {
      const { event } = recorded
      if (caseOf(recorded) === undefined || event._tag !== "CaseOpened" || !within(event.openedOn, period)) {
        return state
      }
      return {
        total: state.total + 1,
        byStation: increment(state.byStation, event.station),
        byType: increment(state.byType, event.caseType)
      }
    }
  })

// ---------------------------------------------------------------------------------------------------------
// F15: cases ongoing (in follow-up) at a date (118 at the end of the first half year)

export interface AsOf {
  readonly station: StationId
  readonly open: boolean
}

/**
 * Every case file opened on or before `date`, as it stood that day: open or closed, and at which station.
 * Events dated after the day are ignored; since a file's opening, closing and reopening days never go back
 * (decide refuses it), the last one dated on or before the day decides. A persistent map (shared/Persistent.ts):
 * an event costs O(log n), however many cases there are.
 */
export const ongoingAt = (date: Scalars.LocalDate): Projection.Projection<Event, ReadonlyMap<CaseId, AsOf>> =>
  Projection.make<Event, ReadonlyMap<CaseId, AsOf>>({
    initial: PersistentMap.empty(),
    evolve: (state, recorded) => {
      const id = caseOf(recorded)
      const { event } = recorded
      if (id === undefined || dateOf(event) > date) return state
      const files = PersistentMap.from(state)
      const before = files.get(id)
      switch (event._tag) {
        case "CaseOpened":
          return files.with(id, { station: event.station, open: true })
        case "CaseReopened":
        case "CaseClosed":
          return before === undefined ? state : files.with(id, { ...before, open: event._tag === "CaseReopened" })
        case "CaseTransferred":
          return before === undefined || event.station === undefined
            ? state
            : files.with(id, { ...before, station: event.station })
        default:
          return state
      }
    }
  })

export const ongoingCount = (state: ReadonlyMap<CaseId, AsOf>): number => {
  let n = 0
  for (const c of PersistentMap.from(state).values()) if (c.open) n++
  return n
}

export const ongoingByStation = (state: ReadonlyMap<CaseId, AsOf>): ReadonlyMap<StationId, number> => {
  const counts = new Map<StationId, number>()
  for (const c of PersistentMap.from(state).values())
    if (c.open) counts.set(c.station, (counts.get(c.station) ?? 0) + 1)
  return counts
}

// ---------------------------------------------------------------------------------------------------------
// Now: worker caseloads and crisis follow-ups

export interface CaseNow {
  readonly worker: WorkerId
  readonly station: StationId
  readonly open: boolean
  /** Days of crisis interventions no follow-up has answered yet, earliest first. */
  readonly pendingCrises: ReadonlyArray<Scalars.LocalDate>
}

/**
 * Every case file as it stands after the events seen: whose charge, open or not, crises awaiting follow-up.
 * A persistent map (shared/Persistent.ts): an event costs O(log n), however many cases there are.
 */
export const cases = Projection.make<Event, ReadonlyMap<CaseId, CaseNow>>({
  initial: PersistentMap.empty(),
  evolve: (state, recorded) => {
    const id = caseOf(recorded)
    if (id === undefined) return state
    const { event } = recorded
    const files = PersistentMap.from(state)
    if (event._tag === "CaseOpened") {
      return files.with(id, { worker: event.worker, station: event.station, open: true, pendingCrises: [] })
    }
    const before = files.get(id)
    if (before === undefined) return state
    const set = (next: CaseNow) => files.with(id, next)
    switch (event._tag) {
      case "CaseClosed":
        return set({ ...before, open: false })
      case "CaseReopened":
        return set({ ...before, open: true })
      case "CaseTransferred":
        return set({ ...before, worker: event.worker ?? before.worker, station: event.station ?? before.station })
      case "ServiceDelivered":
        return event.service === "CrisisIntervention"
          ? set({ ...before, pendingCrises: [...before.pendingCrises, event.deliveredOn].sort() })
          : state
      case "FollowUpRecorded": {
        const pendingCrises = before.pendingCrises.filter((d) => d > event.followedUpOn)
        return pendingCrises.length === before.pendingCrises.length ? state : set({ ...before, pendingCrises })
      }
      default:
        return state
    }
  }
})

/** Open cases per worker (a worker with none is absent). */
export const caseloads = (state: ReadonlyMap<CaseId, CaseNow>): ReadonlyMap<WorkerId, number> => {
  const counts = new Map<WorkerId, number>()
  for (const c of PersistentMap.from(state).values()) if (c.open) counts.set(c.worker, (counts.get(c.worker) ?? 0) + 1)
  return counts
}

/** Open cases per station. */
export const openByStation = (state: ReadonlyMap<CaseId, CaseNow>): ReadonlyMap<StationId, number> => {
  const counts = new Map<StationId, number>()
  for (const c of PersistentMap.from(state).values())
    if (c.open) counts.set(c.station, (counts.get(c.station) ?? 0) + 1)
  return counts
}

export interface FollowUpOptions {
  /** Days after a crisis intervention within which it needs a follow-up. Default 7. */
  readonly deadlineDays?: number
}

export const defaultDeadlineDays = 7

export interface FollowUpDue {
  readonly case: CaseId
  readonly worker: WorkerId
  readonly station: StationId
  /** The earliest crisis intervention not yet followed up. */
  readonly since: Scalars.LocalDate
  readonly dueBy: Scalars.LocalDate
}

/**
 * Crisis follow-ups owed on `asOf`: due (the deadline not passed) and overdue (passed). Overdue is computed
 * here from the dates and the deadline, never stored.
 */
export const crisisFollowUps = (
  state: ReadonlyMap<CaseId, CaseNow>,
  asOf: Scalars.LocalDate,
  options: FollowUpOptions = {}
): { readonly due: ReadonlyArray<FollowUpDue>; readonly overdue: ReadonlyArray<FollowUpDue> } => {
  const deadline = options.deadlineDays ?? defaultDeadlineDays
  const due: Array<FollowUpDue> = []
  const overdue: Array<FollowUpDue> = []
  for (const [id, c] of PersistentMap.from(state)) {
    const since = c.pendingCrises[0]
    if (!c.open || since === undefined) continue
    const item: FollowUpDue = { case: id, worker: c.worker, station: c.station, since, dueBy: addDays(since, deadline) }
    if (asOf > item.dueBy) overdue.push(item)
    else due.push(item)
  }
  const byDue = (a: FollowUpDue, b: FollowUpDue) => (a.dueBy < b.dueBy ? -1 : a.dueBy > b.dueBy ? 1 : 0)
  return { due: due.sort(byDue), overdue: overdue.sort(byDue) }
}
