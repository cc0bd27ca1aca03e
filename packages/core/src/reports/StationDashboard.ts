// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Projection, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../Domain.ts"
import type { StationId, TownshipId } from "../shared/Ids.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import * as Workforce from "../workforce/index.ts"
import * as CountyDashboard from "./CountyDashboard.ts"
import { type Covers, type Figure, figure, ratio, type Scope } from "./Figures.ts"
import { byKey } from "./internal/order.ts"

// The county's figures per station, from the same state as the county dashboard. A figure is given for a
// station where its events name a station: F1 (is the township's station open), F2 (recipients of the
// station's households), F3–F8 (the station's field work in each campaign), F9–F15 (visits, activities,
// households and cases of the station), F16–F18 (its posts), F21 (exchange visits it took part in) and F22
// (its workers' attendance). F19 (a drive recruits for several stations), F20 (one visit's totals) and F23
// (printed for the county) have no station.

export type State = CountyDashboard.State

/** The same projection as the county dashboard's: fold once, read both. */
export const projection = (
  periods: CountyDashboard.Periods,
  options: CountyDashboard.Options = {}
): Projection.Projection<Event, State> => CountyDashboard.projection(periods, options)

export interface StationFigures {
  readonly station: StationId
  /** The station's name, or its id when the stations context does not know it. */
  readonly name: string
  readonly township: TownshipId | undefined
  readonly figures: ReadonlyArray<Figure>
}

export interface Dashboard {
  readonly county: string | undefined
  readonly asOf: Scalars.LocalDate
  readonly stations: ReadonlyArray<StationFigures>
}

export interface ViewOptions extends CountyDashboard.ViewOptions {
  /** Only these stations. Default: every station established or named by an event. */
  readonly stations?: ReadonlyArray<StationId>
}

/** Figures per station, stations by id. */
export const view = (state: State, options: ViewOptions = {}): Dashboard => {
  const { periods } = state.config
  const now: Covers = { to: periods.asOf }
  const served = CountyDashboard.serviceCoverage(state).byStation
  const ytdVisits = CountyDashboard.homeVisits(state, periods.yearToDate).byStation
  const h1Visits = CountyDashboard.homeVisits(state, periods.firstHalf).byStation
  const onFile = CountyDashboard.householdsOnFile(state).byStation
  const ongoing = CountyDashboard.ongoingCases(state).byStation
  const campaigns = CountyDashboard.selectedCampaigns(state, options.campaigns)
  const exchange = new Map<StationId, number>()
  for (const visit of PersistentMap.from(state.exchangeVisits).values()) {
    for (const s of visit.stations) exchange.set(s, (exchange.get(s) ?? 0) + 1)
  }

  const ids = new Set<StationId>(state.coverage.stations.keys())
  if (options.stations === undefined) {
    for (const map of [served, ytdVisits, h1Visits, onFile, ongoing, exchange]) for (const s of map.keys()) ids.add(s)
    for (const s of state.staffing.stations.keys()) ids.add(s)
    for (const s of PersistentMap.from(state.activities.byStation).keys()) ids.add(s)
    for (const s of PersistentMap.from(state.cases.openedByStation).keys()) ids.add(s)
    for (const s of state.courses.byStation.keys()) ids.add(s)
    for (const { campaign } of campaigns) for (const s of PersistentMap.from(campaign.stations).keys()) ids.add(s)
  }
  const wanted = options.stations === undefined ? [...ids] : options.stations

  const stations = wanted.map((station): StationFigures => {
    const entry = state.coverage.stations.get(station)
    const covered =
      entry === undefined ? undefined : entry.active && state.coverage.townships.has(entry.township) ? 1 : 0
    const coverage = served.get(station) ?? { recipients: 0, reached: 0 }
    const activities = PersistentMap.from(state.activities.byStation).get(station) ?? { activities: 0, personTimes: 0 }
    const staffing = Workforce.Projections.stationSummary(state.staffing, station)
    const figures: Array<Figure> = [
      figure("F1.coverage", covered, now),
      figure("F2.coverage", ratio(coverage.reached, coverage.recipients), periods.coverage),
      figure("F2.recipients", coverage.recipients, { to: periods.coverage.to }),
      figure("F2.reached", coverage.reached, periods.coverage)
    ]
    for (const { id, campaign, covers } of campaigns) {
      const work = PersistentMap.from(campaign.stations).get(station)
      if (work === undefined) continue
      const scope: Scope = { kind: "campaign", id, title: campaign.title }
      figures.push(...CountyDashboard.campaignFigures(campaign.kind, work, covers, scope))
    }
    figures.push(
      figure("F9.households", ytdVisits.get(station) ?? 0, periods.yearToDate),
      figure("F10.activities", activities.activities, periods.yearToDate),
      figure("F11.personTimes", activities.personTimes, periods.yearToDate),
      figure("F12.households", h1Visits.get(station) ?? 0, periods.firstHalf),
      figure("F13.households", onFile.get(station) ?? 0, now),
      figure("F14.cases", PersistentMap.from(state.cases.openedByStation).get(station) ?? 0, periods.firstHalf),
      figure("F15.cases", ongoing.get(station) ?? 0, { to: periods.firstHalf.to }),
      figure("F16.posts", staffing.posts, now),
      figure("F17.onPost", staffing.onPost, now),
      figure("F18.toRecruit", staffing.vacancies, now),
      figure("F21.visits", exchange.get(station) ?? 0, now),
      figure("F22.personTimes", state.courses.byStation.get(station)?.personTimes ?? 0, periods.training)
    )
    return { station, name: CountyDashboard.stationName(state, station), township: entry?.township, figures }
  })

  return {
    county: state.coverage.county,
    asOf: periods.asOf,
    stations: stations.sort(byKey((s) => s.station))
  }
}
