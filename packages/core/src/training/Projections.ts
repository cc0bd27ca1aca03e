// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import { allTime, type Period, within } from "../shared/Dates.ts"
import type { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../shared/Persistent.ts"
import type { CourseKind, Event, MaterialKind } from "./Events.ts"
import type { ExchangeVisitId, PrintRunId } from "./Stream.ts"

// The collections that grow with the log (courses, visits, print runs, workers) are persistent
// (shared/Persistent.ts): an event costs O(log n), and `from` takes back a state saved and read back. The same
// collection comes back when nothing changes.
const withMember = <A extends string>(set: ReadonlySet<A>, member: A): ReadonlySet<A> => {
  const before = PersistentSet.from(set)
  const after = before.with(member)
  return after === before ? set : after
}
const withMembers = <A extends string>(set: ReadonlySet<A>, members: Iterable<A>): ReadonlySet<A> => {
  const before = PersistentSet.from(set)
  const after = before.withAll(members)
  return after === before ? set : after
}
const withEntry = <K extends string, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  PersistentMap.from(map).with(key, value)

// Per station, copied on write: a county has a dozen stations, each a few dozen workers.
const withStationEntry = (
  map: ReadonlyMap<StationId, StationParticipation>,
  station: StationId,
  value: StationParticipation
): ReadonlyMap<StationId, StationParticipation> => new Map(map).set(station, value)
const withStationWorker = (set: ReadonlySet<WorkerId>, worker: WorkerId): ReadonlySet<WorkerId> =>
  set.has(worker) ? set : new Set(set).add(worker)

// ---- training participation (F22) ------------------------------------------------------------------

export interface Tally {
  readonly courses: number
  /** Attendances (人次): a worker at two courses counts twice. */
  readonly personTimes: number
}

export interface StationParticipation {
  readonly personTimes: number
  readonly workers: ReadonlySet<WorkerId>
}

export interface Participation {
  /** Courses held; each counted once, however often its event is delivered. */
  readonly courses: ReadonlySet<CourseId>
  readonly personTimes: number
  /** Distinct workers who attended at least one course. */
  readonly workersTrained: ReadonlySet<WorkerId>
  /** F22 reads `byKind.ProfessionalCapacity`: 2 courses, 74 person-times. */
  readonly byKind: Readonly<Record<CourseKind, Tally>>
  /** By the station each attendee was on post for on the day of the course. */
  readonly byStation: ReadonlyMap<StationId, StationParticipation>
}

const noTally: Tally = { courses: 0, personTimes: 0 }

export const noParticipation: Participation = {
  courses: PersistentSet.empty(),
  personTimes: 0,
  workersTrained: PersistentSet.empty(),
  byKind: { ProfessionalCapacity: noTally, ChildWelfare: noTally, Other: noTally },
  byStation: new Map()
}

/** Courses held within a period. */
export const participationIn = (period: Period): Projection.Projection<Event, Participation> =>
  Projection.make({
    initial: noParticipation,
    evolve: (state, { event }) => {
      if (event._tag !== "CourseHeld" || !within(event.heldOn, period)) return state
      if (PersistentSet.from(state.courses).has(event.course)) return state
      const attendance = event.attendees.length
      let byStation = state.byStation
      for (const { worker, station } of event.attendees) {
        const before = byStation.get(station) ?? { personTimes: 0, workers: new Set<WorkerId>() }
        byStation = withStationEntry(byStation, station, {
          personTimes: before.personTimes + 1,
          workers: withStationWorker(before.workers, worker)
        })
      }
      const tally = state.byKind[event.kind]
      return {
        courses: withMember(state.courses, event.course),
        personTimes: state.personTimes + attendance,
        workersTrained: withMembers(
          state.workersTrained,
          event.attendees.map((a) => a.worker)
        ),
        byKind: {
          ...state.byKind,
          [event.kind]: { courses: tally.courses + 1, personTimes: tally.personTimes + attendance }
        },
        byStation
      }
    }
  })

/** All courses ever held. */
export const participation = participationIn(allTime)

// ---- exchange visits (F20, F21) --------------------------------------------------------------------

export interface ExchangeVisitSummary {
  readonly host: StationId
  readonly heldOn: Scalars.LocalDate
  /** Stations taking part: the host and the visiting stations (F20: 6). */
  readonly stations: number
  /** Workers taking part (F20: 25). */
  readonly workers: number
}

export interface ExchangeVisits {
  /** Each visit held, by id (F21: 4 held). */
  readonly visits: ReadonlyMap<ExchangeVisitId, ExchangeVisitSummary>
  /** Stations that ever took part, as host or visitor (F21: all 13). */
  readonly stationsTakingPart: ReadonlySet<StationId>
  /** Distinct workers who ever took part. */
  readonly workersTakingPart: ReadonlySet<WorkerId>
}

export const noExchangeVisits: ExchangeVisits = {
  visits: PersistentMap.empty(),
  stationsTakingPart: PersistentSet.empty(),
  workersTakingPart: PersistentSet.empty()
}

/** Exchange visits held within a period. */
export const exchangeVisitsIn = (period: Period): Projection.Projection<Event, ExchangeVisits> =>
  Projection.make({
    initial: noExchangeVisits,
    evolve: (state, { event }) => {
      if (event._tag !== "ExchangeVisitHeld" || !within(event.heldOn, period)) return state
      if (PersistentMap.from(state.visits).has(event.exchangeVisit)) return state
      const stations = new Set([event.host, ...event.visiting])
      const workers = new Set(event.participants.map((p) => p.worker))
      return {
        visits: withEntry(state.visits, event.exchangeVisit, {
          host: event.host,
          heldOn: event.heldOn,
          stations: stations.size,
          workers: workers.size
        }),
        stationsTakingPart: withMembers(state.stationsTakingPart, stations),
        workersTakingPart: withMembers(state.workersTakingPart, workers)
      }
    }
  })

/** All exchange visits ever held. */
export const exchangeVisits = exchangeVisitsIn(allTime)

// ---- printed materials (F23) -----------------------------------------------------------------------

export interface Printed {
  readonly runs: number
  readonly copies: number
}

export interface PrintedMaterials {
  /** Print runs counted, each once. */
  readonly runs: ReadonlySet<PrintRunId>
  /** F23 reads `byKind.Brochure.copies`: 10,000. */
  readonly byKind: Readonly<Record<MaterialKind, Printed>>
}

const noPrinted: Printed = { runs: 0, copies: 0 }

export const noPrintedMaterials: PrintedMaterials = {
  runs: PersistentSet.empty(),
  byKind: { Brochure: noPrinted, Leaflet: noPrinted, TvShort: noPrinted, Other: noPrinted }
}

/** Materials printed within a period, by kind. */
export const printedMaterialsIn = (period: Period): Projection.Projection<Event, PrintedMaterials> =>
  Projection.make({
    initial: noPrintedMaterials,
    evolve: (state, { event }) => {
      if (event._tag !== "MaterialsPrinted" || !within(event.printedOn, period)) return state
      if (PersistentSet.from(state.runs).has(event.printRun)) return state
      const before = state.byKind[event.kind]
      return {
        runs: withMember(state.runs, event.printRun),
        byKind: { ...state.byKind, [event.kind]: { runs: before.runs + 1, copies: before.copies + event.quantity } }
      }
    }
  })

/** All materials ever printed. */
export const printedMaterials = printedMaterialsIn(allTime)
