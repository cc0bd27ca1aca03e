import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import type { CaseType } from "../casework/Events.ts"
import type { Event } from "../Domain.ts"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import * as Cases from "./internal/cases.ts"
import { until } from "./internal/dates.ts"
import { byKey } from "./internal/order.ts"
import * as Workers from "./internal/workers.ts"

// Open cases per worker and per station: whose charge each open case file is in (after transfers), next to
// the workers on post, so that a worker on post with no case shows as 0. "Open" is read at the end of the
// log, or on `asOf` (events dated later left out).

const make = (asOf: Scalars.LocalDate | undefined) => {
  const end = asOf ?? "9999-12-31"
  return Projection.combine({
    asOf: Projection.constant(asOf),
    cases: Projection.reading(Cases.types, until(end, Cases.make())),
    workers: Projection.reading(Workers.types, until(end, Workers.workers))
  })
}

export type State = ReturnType<typeof make>["initial"]

export const projection = (options: { readonly asOf?: Scalars.LocalDate } = {}): Projection.Projection<Event, State> =>
  make(options.asOf)

export interface WorkerLoad {
  readonly worker: WorkerId
  /** From the workforce (undefined for a worker it does not know). */
  readonly name: string | undefined
  /** The station the worker serves (or last served); for an unknown worker, that of their cases. */
  readonly station: StationId | undefined
  readonly onPost: boolean
  readonly openCases: number
  readonly byType: Readonly<Partial<Record<CaseType, number>>>
}

export interface StationLoad {
  readonly station: StationId
  readonly openCases: number
  readonly workersOnPost: number
  /** Open cases ÷ workers on post; undefined without workers on post. */
  readonly casesPerWorker: number | undefined
}

export interface Caseloads {
  readonly asOf: Scalars.LocalDate | undefined
  /** Workers on post and workers with an open case, by worker id. */
  readonly workers: ReadonlyArray<WorkerLoad>
  /** By the station of the case (its latest transfer), station ids in order. */
  readonly stations: ReadonlyArray<StationLoad>
  readonly openCases: number
}

export const view = (state: State): Caseloads => {
  const loads = new Map<
    WorkerId,
    { openCases: number; byType: Partial<Record<CaseType, number>>; station: StationId }
  >()
  const stations = new Map<StationId, { openCases: number; workersOnPost: number }>()
  let openCases = 0
  for (const file of PersistentMap.from(state.cases.files).values()) {
    if (!file.open) continue
    openCases += 1
    const load = loads.get(file.worker) ?? { openCases: 0, byType: {}, station: file.station }
    load.openCases += 1
    load.byType[file.caseType] = (load.byType[file.caseType] ?? 0) + 1
    loads.set(file.worker, load)
    const station = stations.get(file.station) ?? { openCases: 0, workersOnPost: 0 }
    station.openCases += 1
    stations.set(file.station, station)
  }
  const rows: Array<WorkerLoad> = []
  for (const [worker, known] of PersistentMap.from(state.workers)) {
    if (known.onPost) {
      const station = stations.get(known.station) ?? { openCases: 0, workersOnPost: 0 }
      station.workersOnPost += 1
      stations.set(known.station, station)
    }
    const load = loads.get(worker)
    if (!known.onPost && load === undefined) continue
    rows.push({
      worker,
      name: known.name,
      station: known.station,
      onPost: known.onPost,
      openCases: load?.openCases ?? 0,
      byType: load?.byType ?? {}
    })
    loads.delete(worker)
  }
  for (const [worker, load] of loads) {
    rows.push({
      worker,
      name: undefined,
      station: load.station,
      onPost: false,
      openCases: load.openCases,
      byType: load.byType
    })
  }
  return {
    asOf: state.asOf,
    workers: rows.sort(byKey((r) => r.worker)),
    stations: [...stations]
      .map(([station, s]) => ({
        station,
        openCases: s.openCases,
        workersOnPost: s.workersOnPost,
        casesPerWorker: s.workersOnPost === 0 ? undefined : s.openCases / s.workersOnPost
      }))
      .sort(byKey((s) => s.station)),
    openCases
  }
}
