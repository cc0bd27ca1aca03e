// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import type { StationId, TownshipId, VillageId } from "../shared/Ids.ts"
import type { Event } from "./Events.ts"

/** A station as the dashboard lists it. */
export interface StationEntry {
  readonly township: TownshipId
  readonly name: Scalars.NonEmptyText
  readonly active: boolean
  /** Villages with an open service point (社工点) of this station. */
  readonly servicePoints: ReadonlySet<VillageId>
}

/** Stations and the county's townships: what station coverage (F1) is computed from. */
export interface Coverage {
  readonly county: Scalars.NonEmptyText | undefined
  /** The county's townships, from its latest configuration. */
  readonly townships: ReadonlySet<TownshipId>
  /** Every station ever established, by id. */
  readonly stations: ReadonlyMap<StationId, StationEntry>
}

export const emptyCoverage: Coverage = { county: undefined, townships: new Set(), stations: new Map() }

const withStation = (state: Coverage, station: StationId, update: (entry: StationEntry) => StationEntry): Coverage => {
  const entry = state.stations.get(station)
  if (entry === undefined) return state
  const stations = new Map(state.stations)
  stations.set(station, update(entry))
  return { ...state, stations }
}

/** Station coverage: pure, copy-on-write, the same in one batch or one by one, from zero or resumed. */
export const coverage = Projection.make<Event, Coverage>({
  initial: emptyCoverage,
  evolve: (state, { event }) => {
    switch (event._tag) {
      case "CountyConfigured":
        return { ...state, county: event.name, townships: new Set(event.townships.map((t) => t.township)) }
      case "StationEstablished": {
        const stations = new Map(state.stations)
        const before = state.stations.get(event.station)
        stations.set(event.station, {
          township: event.township,
          name: event.name,
          active: true,
          servicePoints: before?.servicePoints ?? new Set()
        })
        return { ...state, stations }
      }
      case "ServicePointOpened":
        return withStation(state, event.station, (entry) => ({
          ...entry,
          servicePoints: new Set(entry.servicePoints).add(event.village)
        }))
      case "ServicePointClosed":
        return withStation(state, event.station, (entry) => {
          const servicePoints = new Set(entry.servicePoints)
          servicePoints.delete(event.village)
          return { ...entry, servicePoints }
        })
      case "StationClosed":
        return withStation(state, event.station, (entry) => ({ ...entry, active: false }))
    }
  }
})

export interface CoverageSummary {
  readonly county: Scalars.NonEmptyText | undefined
  /** The county's townships (13 in Yangshan). */
  readonly townships: number
  /** Stations open now, wherever they are. */
  readonly activeStations: number
  /** The county's townships with an open station. */
  readonly coveredTownships: number
  /** coveredTownships ÷ townships (F1: 100%); undefined while the county is not configured. */
  readonly coverage: number | undefined
  /** Open village service points of open stations. */
  readonly servicePoints: number
}

export const summary = (state: Coverage): CoverageSummary => {
  const active = [...state.stations.values()].filter((s) => s.active)
  const covered = new Set(active.map((s) => s.township).filter((t) => state.townships.has(t)))
  return {
    county: state.county,
    townships: state.townships.size,
    activeStations: active.length,
    coveredTownships: covered.size,
    coverage: state.townships.size === 0 ? undefined : covered.size / state.townships.size,
    servicePoints: active.reduce((n, s) => n + s.servicePoints.size, 0)
  }
}
