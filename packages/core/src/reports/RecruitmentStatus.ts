// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../Domain.ts"
import * as Recruitment from "../recruitment/index.ts"
import type { StationId } from "../shared/Ids.ts"
import * as Workforce from "../workforce/index.ts"
import { until } from "./internal/dates.ts"
import { byKey } from "./internal/order.ts"

// Posts, workers on post and vacancies (the workforce's staffing), next to the recruitment drives and
// their applicants: both context projections, fed the whole log, read on `asOf`.

const make = (asOf: Scalars.LocalDate) =>
  Projection.combine({
    asOf: Projection.constant(asOf),
    staffing: Projection.reading(Workforce.codec.types, until(asOf, Workforce.Projections.staffing)),
    drives: Projection.reading(Recruitment.codec.types, until(asOf, Recruitment.Projections.drives))
  })

export type State = ReturnType<typeof make>["initial"]

/** Recruitment status on `asOf` (events dated later left out). */
export const projection = (asOf: Scalars.LocalDate): Projection.Projection<Event, State> => make(asOf)

export interface Drive {
  readonly drive: string
  readonly title: string | undefined
  /** Posts the drive recruits for. */
  readonly vacancies: number
  readonly applicants: number
  /** Applicants ÷ the drive's vacancies. */
  readonly applicantsPerPost: number | undefined
  readonly shortlisted: number
  readonly offers: number
  readonly hired: number
  readonly open: boolean
}

export interface Station {
  readonly station: StationId
  readonly posts: number
  readonly onPost: number
  readonly vacancies: number
}

export interface Status {
  readonly asOf: Scalars.LocalDate
  /** Posts allotted (F16). */
  readonly posts: number
  /** Workers on post (F17). */
  readonly onPost: number
  /** Posts to recruit: allotted and not filled (F18). */
  readonly vacancies: number
  /** Applications received by every drive (F19). */
  readonly applicants: number
  /** Applicants ÷ posts to recruit (600 ÷ 54 in the article); undefined without vacancies. */
  readonly applicantsPerPost: number | undefined
  readonly drives: ReadonlyArray<Drive>
  readonly stations: ReadonlyArray<Station>
}

export const view = (state: State): Status => {
  const county = Workforce.Projections.countySummary(state.staffing)
  const drives = [...state.drives]
    .map(
      ([drive, d]): Drive => ({
        drive,
        title: d.title,
        vacancies: d.vacancies,
        applicants: d.applicants,
        applicantsPerPost: Recruitment.Projections.applicantsPerPost(d),
        shortlisted: d.shortlisted,
        offers: d.offers,
        hired: d.hired,
        open: d.title !== undefined && d.closedOn === undefined
      })
    )
    .sort(byKey((d) => d.drive))
  const applicants = drives.reduce((n, d) => n + d.applicants, 0)
  return {
    asOf: state.asOf,
    posts: county.posts,
    onPost: county.onPost,
    vacancies: county.vacancies,
    applicants,
    applicantsPerPost: county.vacancies === 0 ? undefined : applicants / county.vacancies,
    drives,
    stations: [...Workforce.Projections.stationSummaries(state.staffing)]
      .map(([station, s]) => ({ station, ...s }))
      .sort(byKey((s) => s.station))
  }
}
