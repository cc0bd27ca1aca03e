// F1…F23 are the article's figures, each defined in docs/figures.md.
import {
  type Envelope,
  type InvalidEvent,
  Projection,
  type Recorded,
  type Scalars,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Result } from "effect"
import * as Registry from "../registry/index.ts"
import type { Period } from "../shared/Dates.ts"
import type { HouseholdId, StationId, VisitId } from "../shared/Ids.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import { codec, type Event } from "./Events.ts"
import { category } from "./Stream.ts"

/** What the reports here read: household and visit events. */
export type Input = Registry.Events.Event | Event

/**
 * Decodes a stored event for these reports: one of a household or visit stream, decoded or failing with a
 * typed error naming it; an event of any other stream is none of their business (undefined).
 */
export const decode = (
  stored: Envelope.StoredEvent
): Result.Result<Recorded<Input>, UnknownEventType | InvalidEvent> | undefined => {
  switch (stored.stream.category) {
    case Registry.category:
      return Registry.codec.decode(stored)
    case category:
      return codec.decode(stored)
    default:
      return undefined
  }
}

/** Decodes a page of the log (from `readAll`), keeping the events these reports read, in order. */
export const decodeAll = (
  stored: Iterable<Envelope.StoredEvent>
): Result.Result<ReadonlyArray<Recorded<Input>>, UnknownEventType | InvalidEvent> => {
  const recorded: Array<Recorded<Input>> = []
  for (const event of stored) {
    const decoded = decode(event)
    if (decoded === undefined) continue
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    recorded.push(decoded.success)
  }
  return Result.succeed(recorded)
}

export interface Counts {
  /** Households registered by the end of the period and not archived by then. */
  readonly householdsOnFile: number
  /** Distinct households with at least one visit held in the period. */
  readonly householdsVisited: number
  /** Visits conducted in the period, as amended, void ones left out. */
  readonly visitsHeld: number
}

export interface StationCounts extends Counts {
  readonly station: StationId
}

export interface Report {
  readonly period: Period
  /** One row per station with a household or a visit, by station id. */
  readonly stations: ReadonlyArray<StationCounts>
  /** The county: a household visited by two stations counts once. */
  readonly total: Counts
}

/**
 * What the households-and-visits report folds: the households on file by the end of the period and every
 * visit that counts (conducted, not void), as last amended — a visit amended into or out of the period
 * moves with it. Persistent maps, so a saved state stays valid while the fold goes on.
 */
export interface HouseholdsAndVisits {
  readonly period: Period
  readonly households: PersistentMap<
    HouseholdId,
    { readonly station: StationId; readonly archivedOn?: Scalars.LocalDate }
  >
  readonly visits: PersistentMap<
    VisitId,
    { readonly household: HouseholdId; readonly station: StationId; readonly visitedOn: Scalars.LocalDate }
  >
}

const evolveHouseholdsAndVisits = (state: HouseholdsAndVisits, { event }: Recorded<Input>): HouseholdsAndVisits => {
  switch (event._tag) {
    case "HouseholdRegistered":
      return event.registeredOn > state.period.to || PersistentMap.from(state.households).has(event.household)
        ? state
        : {
            ...state,
            households: PersistentMap.from(state.households).with(event.household, { station: event.station })
          }
    case "HouseholdArchived": {
      const households = PersistentMap.from(state.households)
      const household = households.get(event.household)
      return household === undefined
        ? state
        : { ...state, households: households.with(event.household, { ...household, archivedOn: event.archivedOn }) }
    }
    case "VisitConducted":
      return {
        ...state,
        visits: PersistentMap.from(state.visits).with(event.visit, {
          household: event.household,
          station: event.station,
          visitedOn: event.visitedOn
        })
      }
    case "VisitAmended": {
      const visitedOn = event.visitedOn
      const visits = PersistentMap.from(state.visits)
      const visit = visits.get(event.visit)
      return visitedOn === undefined || visit === undefined
        ? state
        : { ...state, visits: visits.with(event.visit, { ...visit, visitedOn }) }
    }
    case "VisitVoided":
      return PersistentMap.from(state.visits).has(event.visit)
        ? { ...state, visits: PersistentMap.from(state.visits).without(event.visit) }
        : state
    default:
      return state
  }
}

/**
 * Households on file, households visited and visits held, per station and for the county, in a period
 * (F9, F12, F13 of the article). Fold it over household and visit events, then read it with `report`.
 */
export const householdsAndVisitsByStation = (period: Period): Projection.Projection<Input, HouseholdsAndVisits> =>
  Projection.make({
    initial: { period, households: PersistentMap.empty(), visits: PersistentMap.empty() },
    evolve: evolveHouseholdsAndVisits
  })

/** The counts a folded state stands for. */
export const report = (state: HouseholdsAndVisits): Report => {
  const { from, to } = state.period
  const rows = new Map<StationId, { onFile: number; visited: Set<HouseholdId>; visits: number }>()
  const row = (station: StationId) => {
    let found = rows.get(station)
    if (found === undefined) {
      found = { onFile: 0, visited: new Set(), visits: 0 }
      rows.set(station, found)
    }
    return found
  }
  for (const household of PersistentMap.from(state.households).values()) {
    if (household.archivedOn === undefined || household.archivedOn > to) row(household.station).onFile += 1
  }
  const visited = new Set<HouseholdId>()
  let visitsHeld = 0
  for (const visit of PersistentMap.from(state.visits).values()) {
    if (visit.visitedOn < from || visit.visitedOn > to) continue
    const r = row(visit.station)
    r.visits += 1
    r.visited.add(visit.household)
    visited.add(visit.household)
    visitsHeld += 1
  }
  const stations = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([station, r]) => ({
      station,
      householdsOnFile: r.onFile,
      householdsVisited: r.visited.size,
      visitsHeld: r.visits
    }))
  return {
    period: state.period,
    stations,
    total: {
      householdsOnFile: stations.reduce((n, s) => n + s.householdsOnFile, 0),
      householdsVisited: visited.size,
      visitsHeld
    }
  }
}
