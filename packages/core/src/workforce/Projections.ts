// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection } from "@shuangbai/eventsourcing"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import type { Event } from "./Events.ts"

/**
 * A station's posts and who holds them, from its post-quota stream. A post is filled one step before
 * the worker's hire is recorded (see Handler.ts), so "on post" here is the count the rule is kept on.
 */
export interface StationStaffing {
  readonly posts: number
  readonly onPost: ReadonlySet<WorkerId>
}

/** Posts and workers on post per station: what F16–F18 (posts, on post, to recruit) are computed from. */
export interface Staffing {
  readonly stations: ReadonlyMap<StationId, StationStaffing>
}

export const emptyStaffing: Staffing = { stations: new Map() }

const emptyStation: StationStaffing = { posts: 0, onPost: new Set() }

const update = (state: Staffing, station: StationId, f: (s: StationStaffing) => StationStaffing): Staffing => {
  const before = state.stations.get(station) ?? emptyStation
  const after = f(before)
  if (after === before && state.stations.has(station)) return state
  const stations = new Map(state.stations)
  stations.set(station, after)
  return { stations }
}

/** Pure and copy-on-write: the same in one batch or one by one, from zero or resumed from a saved state. */
export const staffing = Projection.make<Event, Staffing>({
  initial: emptyStaffing,
  evolve: (state, { event }) => {
    switch (event._tag) {
      case "PostsAllotted":
        return update(state, event.station, (s) => (s.posts === event.posts ? s : { ...s, posts: event.posts }))
      case "PostFilled":
        return update(state, event.station, (s) =>
          s.onPost.has(event.worker) ? s : { ...s, onPost: new Set(s.onPost).add(event.worker) }
        )
      case "PostVacated":
        return update(state, event.station, (s) => {
          if (!s.onPost.has(event.worker)) return s
          const onPost = new Set(s.onPost)
          onPost.delete(event.worker)
          return { ...s, onPost }
        })
      default:
        return state
    }
  }
})

export interface StaffingSummary {
  /** Posts allotted (F16: 196 in the county). */
  readonly posts: number
  /** Workers on post (F17: 142). */
  readonly onPost: number
  /** Posts to recruit: allotted and not filled (F18: 54). */
  readonly vacancies: number
}

const summarize = (s: StationStaffing): StaffingSummary => ({
  posts: s.posts,
  onPost: s.onPost.size,
  vacancies: Math.max(0, s.posts - s.onPost.size)
})

export const stationSummary = (state: Staffing, station: StationId): StaffingSummary =>
  summarize(state.stations.get(station) ?? emptyStation)

/** Per station, by station id. */
export const stationSummaries = (state: Staffing): ReadonlyMap<StationId, StaffingSummary> =>
  new Map([...state.stations].map(([station, s]) => [station, summarize(s)]))

/** The county: the sum of its stations. */
export const countySummary = (state: Staffing): StaffingSummary =>
  [...state.stations.values()].map(summarize).reduce(
    (total, s) => ({
      posts: total.posts + s.posts,
      onPost: total.onPost + s.onPost,
      vacancies: total.vacancies + s.vacancies
    }),
    { posts: 0, onPost: 0, vacancies: 0 }
  )
