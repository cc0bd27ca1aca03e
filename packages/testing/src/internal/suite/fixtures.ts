import { randomBytes, randomUUID } from "node:crypto"
import type { Vitest } from "@effect/vitest"
import { assert } from "@effect/vitest"
import {
  ConcurrencyConflict,
  type Envelope,
  EventStore,
  EventStoreError,
  type ExpectedVersion,
  type IdempotencyMismatch,
  IdGenerator,
  StreamId
} from "@shuangbai/eventsourcing"
import { Duration, Effect, Result } from "effect"

export type It = Vitest.MethodsNonLive<EventStore.EventStore>

export interface Options {
  /** Runs of each property test (default 25). */
  readonly numRuns: number
  /** How long one test may take before it fails as hung (default 30 seconds). */
  readonly timeout: Duration.Duration
}

/**
 * A tenant no other test (nor an earlier run against the same database) has used, so one store serves
 * every test and a real server needs no cleaning between runs.
 */
export const freshTenant = (label: string): string => `conformance-${label}-${randomUUID().slice(0, 13)}`

export const freshId = (label: string): string => `${label}-${randomUUID()}`

export const eventId = (): string => IdGenerator.uuidV7(Date.now(), randomBytes(10))

export const stream = (id = freshId("s"), category = "conformance"): StreamId.StreamId => StreamId.make(category, id)

export const actor: Envelope.Actor = { id: "worker-1", role: "worker", station: "station-1" }

export const occurredAt = "2024-03-15T02:00:00.000Z"

export const event = (data: unknown = { n: 1 }, overrides: Partial<Envelope.NewEvent> = {}): Envelope.NewEvent => ({
  eventId: eventId(),
  type: "Noted",
  schemaVersion: 1,
  data,
  occurredAt,
  subjects: [],
  ...overrides
})

export const events = (count: number, label = "e"): ReadonlyArray<Envelope.NewEvent> =>
  Array.from({ length: count }, (_, i) => event({ label, i }))

export const request = (
  tenant: string,
  on: StreamId.StreamId,
  expected: ExpectedVersion.ExpectedVersion,
  batch: ReadonlyArray<Envelope.NewEvent>,
  commandId = freshId("cmd")
): EventStore.AppendRequest => ({
  tenant,
  stream: on,
  expected,
  events: batch,
  context: { actor, commandId, correlationId: `corr-${commandId}`, causationId: `cause-${commandId}` }
})

export const store = EventStore.EventStore

export const append = (req: EventStore.AppendRequest) => Effect.flatMap(store, (s) => s.append(req))

/** The append's outcome as a value, so a test can assert on refusals. */
export const attempt = (req: EventStore.AppendRequest) => Effect.result(append(req))

export const readAll = (tenant: string, after = 0, limit = 100_000) =>
  Effect.flatMap(store, (s) => s.readAll(tenant, { after, limit }))

export const head = (tenant: string) => Effect.flatMap(store, (s) => s.head(tenant))

export const positions = (list: ReadonlyArray<{ readonly position: number }>) => list.map((e) => e.position)
export const versions = (list: ReadonlyArray<{ readonly version: number }>) => list.map((e) => e.version)
export const ids = (list: ReadonlyArray<{ readonly eventId: string }>) => list.map((e) => e.eventId)
export const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)

type Outcome = Result.Result<EventStore.AppendResult, ConcurrencyConflict | IdempotencyMismatch | EventStoreError>

export const assertConflict = (outcome: Outcome, actual: number, message: string): ConcurrencyConflict => {
  if (Result.isSuccess(outcome))
    return assert.fail(`${message}: expected a ConcurrencyConflict, but the append was accepted`)
  assert.instanceOf(outcome.failure, ConcurrencyConflict, `${message}: ${outcome.failure.message}`)
  const conflict = outcome.failure as ConcurrencyConflict
  assert.strictEqual(conflict.actual, actual, `${message}: the conflict reports the stream's actual version`)
  return conflict
}

export const assertStoreError = (outcome: Outcome, reason: EventStoreError["reason"], message: string) => {
  if (Result.isSuccess(outcome))
    return assert.fail(`${message}: expected EventStoreError ${reason}, but the append was accepted`)
  assert.instanceOf(outcome.failure, EventStoreError, `${message}: ${outcome.failure.message}`)
  assert.strictEqual((outcome.failure as EventStoreError).reason, reason, `${message}: ${outcome.failure.message}`)
}

export const assertAccepted = (outcome: Outcome, message: string): EventStore.AppendResult => {
  if (Result.isFailure(outcome))
    return assert.fail(`${message}: refused with ${outcome.failure._tag}: ${outcome.failure.message}`)
  return outcome.success
}

/** Fails the test instead of hanging it when a broken store never answers. */
export const guarded =
  (options: Options, what: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | Error, R> =>
    Effect.timeoutOrElse(self, {
      duration: options.timeout,
      orElse: () =>
        Effect.fail(
          new Error(
            `${what} did not finish within ${Duration.format(options.timeout)}: the store hangs or lost an event`
          )
        )
    })

/** Registers one conformance test: an Effect with the store, a live clock and a hang guard. */
export const test =
  (it: It, options: Options) =>
  <A, E>(name: string, body: () => Effect.Effect<A, E, EventStore.EventStore>) =>
    it.effect(name, () => guarded(options, name)(Effect.suspend(body)), Duration.toMillis(options.timeout) + 5_000)
