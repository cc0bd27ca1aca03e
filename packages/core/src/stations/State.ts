import type { Scalars } from "@shuangbai/eventsourcing"
import type { StationId, TownshipId, VillageId } from "../shared/Ids.ts"
import type { ClosureReason, Event, Township } from "./Events.ts"

export interface ServicePoint {
  readonly village: VillageId
  readonly name: Scalars.NonEmptyText
  readonly openedOn: Scalars.LocalDate
  /** Set while the point is closed; a point opened again starts without it. */
  readonly closedOn?: Scalars.LocalDate
}

export interface Station {
  readonly township: TownshipId
  readonly station: StationId
  readonly name: Scalars.NonEmptyText
  readonly establishedOn: Scalars.LocalDate
  /** Every service point the township's station ever opened, open or closed, by village. */
  readonly servicePoints: ReadonlyMap<VillageId, ServicePoint>
}

/**
 * A township's station. Closed is not the end: the township may establish a station again (a new
 * service contract, a merger undone), under the same station id or a new one, and it starts Active.
 */
export type State =
  | { readonly _tag: "NotEstablished" }
  | { readonly _tag: "Active"; readonly station: Station }
  | {
      readonly _tag: "Closed"
      readonly station: Station
      readonly closedOn: Scalars.LocalDate
      readonly reason: ClosureReason
    }

export const initial: State = { _tag: "NotEstablished" }

export const isOpen = (point: ServicePoint): boolean => point.closedOn === undefined

export const openServicePoints = (station: Station): ReadonlyArray<ServicePoint> =>
  [...station.servicePoints.values()].filter(isOpen)

const withPoint = (station: Station, point: ServicePoint): Station => {
  const servicePoints = new Map(station.servicePoints)
  servicePoints.set(point.village, point)
  return { ...station, servicePoints }
}

/** Pure and total: an event that does not fit the stage (none is ever decided) leaves the state as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "StationEstablished":
      return state._tag === "Active"
        ? state
        : {
            _tag: "Active",
            station: {
              township: event.township,
              station: event.station,
              name: event.name,
              establishedOn: event.establishedOn,
              servicePoints: state._tag === "Closed" ? state.station.servicePoints : new Map()
            }
          }
    case "ServicePointOpened":
      return state._tag === "Active"
        ? {
            _tag: "Active",
            station: withPoint(state.station, { village: event.village, name: event.name, openedOn: event.openedOn })
          }
        : state
    case "ServicePointClosed": {
      if (state._tag !== "Active") return state
      const point = state.station.servicePoints.get(event.village)
      return point === undefined
        ? state
        : { _tag: "Active", station: withPoint(state.station, { ...point, closedOn: event.closedOn }) }
    }
    case "StationClosed":
      return state._tag === "Active"
        ? { _tag: "Closed", station: state.station, closedOn: event.closedOn, reason: event.reason }
        : state
    case "CountyConfigured":
      return state
  }
}

/** The county's settings stream. */
export type CountyState =
  | { readonly _tag: "NotConfigured" }
  | { readonly _tag: "Configured"; readonly name: Scalars.NonEmptyText; readonly townships: ReadonlyArray<Township> }

export const countyInitial: CountyState = { _tag: "NotConfigured" }

export const evolveCounty = (state: CountyState, event: Event): CountyState =>
  event._tag === "CountyConfigured" ? { _tag: "Configured", name: event.name, townships: event.townships } : state
