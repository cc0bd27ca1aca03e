import { type AppendValidation, type EventStore, EventStoreError } from "@shuangbai/eventsourcing"
import { Cause, type Context, Deferred, Effect, Exit, Scope } from "effect"
import type { Outcome, Pending } from "./batchDecision.ts"

type AppendError = Exclude<Outcome, EventStore.AppendResult>

interface Queued extends Pending {
  readonly deferred: Deferred.Deferred<EventStore.AppendResult, AppendError>
}

interface TenantQueue {
  readonly pending: Array<Queued>
  running: boolean
}

export const shuttingDown = new EventStoreError({
  reason: "Unavailable",
  message:
    "the event store is shutting down; the append may or may not have been written, retry with the same commandId"
})

/**
 * Group commit: an in-process queue per tenant with one writer fiber. When a request arrives and no writer
 * runs, one starts; it takes every request waiting (up to `maxEvents` events or `maxBytes` of payload) and
 * commits them as one batch, again and again until none wait. Each caller gets its own outcome. If a batch
 * fails for a reason that is not the connection's or the schema's, each of its requests is retried alone,
 * so one bad request cannot sink the others.
 */
export const make = (options: {
  readonly commit: (tenant: string, batch: ReadonlyArray<Pending>) => Effect.Effect<Array<Outcome>, EventStoreError>
  readonly maxEvents: number
  readonly maxBytes: number
  /** Where writer fibers run: closing it ends the queue (waiting callers are told the store is shutting down). */
  readonly scope: Scope.Scope
  /** The store's own context, which the writer fibers run in (never a caller's, transaction included). */
  readonly context: Context.Context<never>
}) =>
  Effect.gen(function* () {
    const { commit, maxEvents, maxBytes, scope, context } = options
    const queues = new Map<string, TenantQueue>()
    let closed = false
    yield* Scope.addFinalizer(
      scope,
      Effect.sync(() => {
        closed = true
      })
    )

    const settle = (item: Queued, outcome: Outcome) =>
      "events" in outcome
        ? Deferred.doneUnsafe(item.deferred, Effect.succeed(outcome))
        : Deferred.doneUnsafe(item.deferred, Effect.fail(outcome))

    const runBatch = (tenant: string, batch: ReadonlyArray<Queued>): Effect.Effect<void> =>
      Effect.flatMap(Effect.exit(commit(tenant, batch)), (exit) => {
        if (Exit.isSuccess(exit)) {
          for (let i = 0; i < batch.length; i++) settle(batch[i]!, exit.value[i]!)
          return Effect.void
        }
        const failure = exit.cause.reasons.find(Cause.isFailReason)
        const error =
          failure !== undefined
            ? failure.error
            : new EventStoreError({ reason: "Unknown", message: "the append transaction died", cause: exit.cause })
        if (batch.length > 1 && error.reason !== "Unavailable" && error.reason !== "NotMigrated") {
          return Effect.forEach(batch, (item) => runBatch(tenant, [item]), { discard: true })
        }
        for (const item of batch) settle(item, error)
        return Effect.void
      })

    const takeBatch = (queue: TenantQueue): Array<Queued> => {
      let events = 0
      let bytes = 0
      let n = 0
      while (n < queue.pending.length) {
        const next = queue.pending[n]!
        if (n > 0 && (events + next.request.events.length > maxEvents || bytes + next.bytes > maxBytes)) break
        events += next.request.events.length
        bytes += next.bytes
        n++
      }
      return queue.pending.splice(0, n)
    }

    // The tenant's writer: drains every waiting request into one batch, again and again, until none wait.
    const drain = (tenant: string, queue: TenantQueue): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (queue.pending.length === 0) {
          queue.running = false
          queues.delete(tenant)
          return Effect.void
        }
        const batch = takeBatch(queue)
        return runBatch(tenant, batch).pipe(
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              for (const item of [...batch, ...queue.pending.splice(0)]) settle(item, shuttingDown)
            })
          ),
          Effect.andThen(drain(tenant, queue))
        )
      })

    /** Queues a validated request on its tenant's writer and waits for its outcome. */
    const enqueue = (
      request: EventStore.AppendRequest,
      accepted: AppendValidation.Validated,
      fingerprint: string
    ): Effect.Effect<EventStore.AppendResult, AppendError> => {
      const item: Queued = {
        request,
        accepted,
        fingerprint,
        bytes: accepted.payloads.reduce((n, p) => n + p.length, 0),
        deferred: Deferred.makeUnsafe()
      }
      // Enqueueing and starting the tenant's writer happen together or not at all; only the wait
      // for the result can be interrupted (the append is then still written: its outcome is unknown).
      return Effect.uninterruptibleMask((restore) =>
        Effect.suspend(() => {
          let queue = queues.get(request.tenant)
          if (queue === undefined) {
            queue = { pending: [], running: false }
            queues.set(request.tenant, queue)
          }
          queue.pending.push(item)
          if (queue.running) return restore(Deferred.await(item.deferred))
          queue.running = true
          return Effect.forkIn(Effect.setContext(drain(request.tenant, queue), context), scope).pipe(
            Effect.andThen(restore(Deferred.await(item.deferred)))
          )
        })
      )
    }

    return { enqueue, isClosed: () => closed }
  })
