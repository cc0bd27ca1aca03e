// What the replay folds the log into: the county dashboard (every figure of FIGURES.md) when the core
// package exports it, else the context projections it is composed of, fed the whole log in one pass.

import * as Core from "@shuangbai/core"
import {
  Activities,
  Casework,
  type Domain,
  Recruitment,
  Registry,
  Relief,
  Stations,
  Training,
  Visits,
  Workforce
} from "@shuangbai/core"
import { type EventCodec, Projection, type Recorded } from "@shuangbai/eventsourcing"

export interface Target {
  readonly name: string
  readonly projection: Projection.Projection<Domain.Event, unknown>
  /** A few figures of the folded state, to show the fold did its work. */
  readonly summary: (state: unknown) => string
}

/** A context's projection fed the whole log: it sees the events its codec owns. */
const only = <E, S>(codec: EventCodec.EventCodec<any>, projection: Projection.Projection<E, S>) => {
  const types = new Set(codec.types)
  return Projection.make<Domain.Event, S>({
    initial: projection.initial,
    evolve: (state, recorded) =>
      types.has(recorded.event._tag) ? projection.evolve(state, recorded as unknown as Recorded<E>) : state
  })
}

const year = (asOf: string) => ({ from: `${asOf.slice(0, 4)}-01-01`, to: asOf })

/** The context projections the county dashboard is built from, combined into one fold. */
const contextProjections = (asOf: string): Target => {
  const ytd = year(asOf)
  const firstHalf = { from: ytd.from, to: `${asOf.slice(0, 4)}-06-30` }
  const projection = Projection.combine({
    coverage: only(Stations.codec, Stations.Projections.coverage),
    staffing: only(Workforce.codec, Workforce.Projections.staffing),
    drives: only(Recruitment.codec, Recruitment.Projections.drives),
    households: only(Registry.codec, Registry.Projections.households),
    visits: Projection.make<Domain.Event, Visits.Projections.HouseholdsAndVisits>({
      ...Visits.Projections.householdsAndVisitsByStation(ytd),
      evolve: (state, recorded) => {
        const type = recorded.event._tag
        return Registry.codec.types.includes(type) || Visits.codec.types.includes(type)
          ? Visits.Projections.householdsAndVisitsByStation(ytd).evolve(state, recorded as never)
          : state
      }
    }),
    opened: only(Casework.codec, Casework.Projections.openedIn(firstHalf)),
    ongoing: only(Casework.codec, Casework.Projections.ongoingAt(firstHalf.to)),
    activities: only(Activities.codec, Activities.Projections.heldIn(ytd)),
    campaigns: only(Relief.codec, Relief.Projections.campaigns),
    training: only(Training.codec, Training.Projections.participationIn(ytd))
  })
  return {
    name: "context projections (CountyDashboard not exported yet)",
    projection: projection as Projection.Projection<Domain.Event, unknown>,
    summary: (state) => {
      const s = state as typeof projection.initial
      const counts = Visits.Projections.report(s.visits).total
      return `households on file ${counts.householdsOnFile}, visited ${counts.householdsVisited} (year to date)`
    }
  }
}

/** The county dashboard, read through the namespace so that this compiles before core exports it. */
const countyDashboard = (asOf: string): Target | undefined => {
  const reports = (Core as Record<string, any>).Reports
  const dashboard = reports?.CountyDashboard
  if (dashboard === undefined) return undefined
  return {
    name: "CountyDashboard",
    projection: dashboard.projection(dashboard.periods(asOf)),
    summary: (state) => {
      const figures: ReadonlyArray<{ measure: string; value: number | undefined }> = dashboard.view(state).figures
      const of = (measure: string) => figures.find((f) => f.measure === measure)?.value
      return `F9 households visited ${of("F9.households")}, F13 on file ${of("F13.households")}, F10 activities ${of("F10.activities")}`
    }
  }
}

export const target = (asOf: string): Target => countyDashboard(asOf) ?? contextProjections(asOf)
