import { Domain, Reports } from "@shuangbai/core"
import {
  type Envelope,
  EventStore,
  type EventStoreError,
  type InvalidEvent,
  type Projection,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import * as Progress from "./Progress.ts"

/**
 * Reads the tenant's log (as of a bound when given: Reports.Snapshot), decodes every event with the domain's
 * codec (an event it cannot decode stops the fold, naming the event) and folds the projection; a progress
 * bar on a terminal.
 */
export const fold = <S>(
  tenant: Envelope.Tenant,
  projection: Projection.Projection<Domain.Event, S>,
  label = "replay",
  bound?: Reports.Snapshot.Bound
): Effect.Effect<
  { readonly state: S; readonly events: number; readonly through: Reports.Snapshot.Through },
  EventStoreError | UnknownEventType | InvalidEvent,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const head = yield* (yield* EventStore.EventStore).head(tenant)
    const progress = Progress.bar(label, head.position)
    let state = projection.initial
    let events = 0
    const through = yield* Reports.Snapshot.forEachPage(tenant, bound, (page) =>
      Effect.gen(function* () {
        for (const stored of page) {
          const decoded = Domain.codec.decode(stored)
          if (Result.isFailure(decoded)) return yield* Effect.fail(decoded.failure)
          state = projection.evolve(state, decoded.success)
        }
        events += page.length
        yield* progress.update(page[page.length - 1]!.position)
      })
    )
    yield* progress.finish
    return { state, events, through }
  })
