import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../../Domain.ts"
import type { StationId, WorkerId } from "../../shared/Ids.ts"
import { PersistentMap } from "../../shared/Persistent.ts"
import type { ExchangeVisitId } from "../../training/Stream.ts"

/** One exchange visit (互访交流): the host, every station taking part and its workers who took part. */
export interface ExchangeVisit {
  readonly host: StationId
  readonly heldOn: Scalars.LocalDate
  /** The host and the visiting stations, each once. */
  readonly stations: ReadonlyArray<StationId>
  /** Distinct workers taking part, by the station they were on post for that day. */
  readonly workers: ReadonlyArray<{ readonly worker: WorkerId; readonly station: StationId }>
}

/** The events `exchangeVisits` reads. */
export const types = ["ExchangeVisitHeld"] as const

/**
 * Every exchange visit held, by id, each once (the training context's `exchangeVisitsIn` counts the same;
 * this keeps who took part per station, for the station dashboard). Few and small: one row per visit.
 */
export const exchangeVisits: Projection.Projection<Event, PersistentMap<ExchangeVisitId, ExchangeVisit>> = {
  initial: PersistentMap.empty(),
  evolve: (state, { event }: Recorded<Event>) => {
    if (event._tag !== "ExchangeVisitHeld" || PersistentMap.from(state).has(event.exchangeVisit)) return state
    const workers = new Map(event.participants.map((p) => [p.worker, p] as const))
    return PersistentMap.from(state).with(event.exchangeVisit, {
      host: event.host,
      heldOn: event.heldOn,
      stations: [...new Set([event.host, ...event.visiting])],
      workers: [...workers.values()].map(({ worker, station }) => ({ worker, station }))
    })
  }
}
