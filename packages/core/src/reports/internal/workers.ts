import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { HashMap } from "effect"
import type { Event } from "../../Domain.ts"
import type { StationId, WorkerId } from "../../shared/Ids.ts"
import { lookup } from "./maps.ts"

/** A worker as the caseload report lists them: name, the station they serve (or last served), on post. */
export interface Worker {
  readonly name: Scalars.NonEmptyText
  readonly station: StationId
  readonly onPost: boolean
}

/** The events `workers` reads. */
export const types = ["WorkerHired", "WorkerTransferred", "WorkerLeft"] as const

/** Workers from their own streams: hired, transferred, left. */
export const workers: Projection.Projection<Event, HashMap.HashMap<WorkerId, Worker>> = {
  initial: HashMap.empty(),
  evolve: (state, { event }: Recorded<Event>) => {
    switch (event._tag) {
      case "WorkerHired":
        return HashMap.set(state, event.worker, { name: event.name, station: event.station, onPost: true })
      case "WorkerTransferred": {
        const before = lookup(state, event.worker)
        return before === undefined ? state : HashMap.set(state, event.worker, { ...before, station: event.to })
      }
      case "WorkerLeft": {
        const before = lookup(state, event.worker)
        return before === undefined ? state : HashMap.set(state, event.worker, { ...before, onPost: false })
      }
      default:
        return state
    }
  }
}
