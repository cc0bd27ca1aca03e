import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../../Domain.ts"
import type { StationId, WorkerId } from "../../shared/Ids.ts"
import { PersistentMap } from "../../shared/Persistent.ts"

/** A worker as the caseload report lists them: name, the station they serve (or last served), on post. */
export interface Worker {
  readonly name: Scalars.NonEmptyText
  readonly station: StationId
  readonly onPost: boolean
}

/** The events `workers` reads. */
export const types = ["WorkerHired", "WorkerTransferred", "WorkerLeft"] as const

/** Workers from their own streams: hired, transferred, left. */
export const workers: Projection.Projection<Event, PersistentMap<WorkerId, Worker>> = {
  initial: PersistentMap.empty(),
  evolve: (state, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "WorkerHired":
        return PersistentMap.from(state).with(event.worker, { name: event.name, station: event.station, onPost: true })
      case "WorkerTransferred": {
        const before = PersistentMap.from(state).get(event.worker)
        return before === undefined
          ? state
          : PersistentMap.from(state).with(event.worker, { ...before, station: event.to })
      }
      case "WorkerLeft": {
        const before = PersistentMap.from(state).get(event.worker)
        return before === undefined ? state : PersistentMap.from(state).with(event.worker, { ...before, onPost: false })
      }
      default:
        return state
    }
  }
}
