import type { Scalars } from "@shuangbai/eventsourcing"
import { addDays } from "../shared/Dates.ts"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import type { Event } from "./Events.ts"

// ---- a station's posts ("post-quota" stream) ------------------------------------------------------

export interface Quota {
  /** Posts allotted to the station (0 until the bureau allots some). */
  readonly posts: number
  /** Workers holding one of the station's posts. Never more than `posts` once decided. */
  readonly holders: ReadonlySet<WorkerId>
}

export const quotaInitial: Quota = { posts: 0, holders: new Set() }

export const openPosts = (quota: Quota): number => Math.max(0, quota.posts - quota.holders.size)

export const evolveQuota = (state: Quota, event: Event): Quota => {
  switch (event._tag) {
    case "PostsAllotted":
      return { ...state, posts: event.posts }
    case "PostFilled":
      return state.holders.has(event.worker) ? state : { ...state, holders: new Set(state.holders).add(event.worker) }
    case "PostVacated": {
      if (!state.holders.has(event.worker)) return state
      const holders = new Set(state.holders)
      holders.delete(event.worker)
      return { ...state, holders }
    }
    default:
      return state
  }
}

// ---- a worker ("worker" stream) -----------------------------------------------------------------

/** A stretch of days at one station: from `from`, up to but not including `until` (open while on it). */
export interface Posting {
  readonly station: StationId
  readonly from: Scalars.LocalDate
  readonly until?: Scalars.LocalDate
}

export type State =
  | { readonly _tag: "NotHired" }
  | {
      readonly _tag: "OnPost"
      readonly worker: WorkerId
      readonly name: Scalars.NonEmptyText
      readonly station: StationId
      /** The day the current period began (hired or transferred in). */
      readonly since: Scalars.LocalDate
      readonly periods: ReadonlyArray<Posting>
    }
  | {
      readonly _tag: "Left"
      readonly worker: WorkerId
      readonly name: Scalars.NonEmptyText
      readonly station: StationId
      readonly leftOn: Scalars.LocalDate
      readonly periods: ReadonlyArray<Posting>
    }

export const initial: State = { _tag: "NotHired" }

/** The calendar day after `date`. */
export const nextDay = (date: Scalars.LocalDate): Scalars.LocalDate => addDays(date, 1)

const closeLast = (periods: ReadonlyArray<Posting>, until: Scalars.LocalDate): ReadonlyArray<Posting> =>
  periods.map((p, i) => (i === periods.length - 1 ? { station: p.station, from: p.from, until } : p))

/** Pure and total: an event that does not fit the stage (none is ever decided) leaves the state as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "WorkerHired":
      return state._tag === "OnPost"
        ? state
        : {
            _tag: "OnPost",
            worker: event.worker,
            name: event.name,
            station: event.station,
            since: event.hiredOn,
            periods: [...(state._tag === "Left" ? state.periods : []), { station: event.station, from: event.hiredOn }]
          }
    case "WorkerTransferred":
      return state._tag === "OnPost"
        ? {
            ...state,
            station: event.to,
            since: event.transferredOn,
            periods: [
              ...closeLast(state.periods, event.transferredOn),
              { station: event.to, from: event.transferredOn }
            ]
          }
        : state
    case "WorkerLeft":
      return state._tag === "OnPost"
        ? {
            _tag: "Left",
            worker: state.worker,
            name: state.name,
            station: state.station,
            leftOn: event.leftOn,
            periods: closeLast(state.periods, nextDay(event.leftOn))
          }
        : state
    default:
      return state
  }
}

/**
 * The station a worker was on post for on a day, from their hires, transfers and leaving; undefined
 * when they were not on post that day. A transfer day belongs to the new station; a leaving day
 * (`leftOn`) is still on post.
 */
export const stationOn = (state: State, date: Scalars.LocalDate): StationId | undefined => {
  if (state._tag === "NotHired") return undefined
  for (let i = state.periods.length - 1; i >= 0; i--) {
    const p = state.periods[i]!
    if (p.from <= date && (p.until === undefined || date < p.until)) return p.station
  }
  return undefined
}
