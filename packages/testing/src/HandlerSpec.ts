import {
  type CommandHandler,
  type Envelope,
  type EventCodec,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  type RuleViolation,
  Scalars,
  type StreamId
} from "@shuangbai/eventsourcing"
import { Clock, Effect, Layer, Result } from "effect"
import { assert } from "vitest"
import { defaultContext } from "./DeciderSpec.ts"

/** Events already in one stream before the command: what `given` stores, in order. */
export interface Given<Event> {
  readonly stream: StreamId.StreamId
  readonly events: ReadonlyArray<Event>
}

export interface Options<Event extends { readonly _tag: string }> {
  /** Stores the given events and reads back what the command wrote: one codec for every type involved. */
  readonly codec: EventCodec.EventCodec<Event>
  /**
   * The store a scenario runs on, built afresh for each scenario (so a memory store starts empty). Default
   * `EventStore.layerMemory`; any store's layer will do (`PgEventStore.layer…`).
   */
  readonly store?: Layer.Layer<EventStore.EventStore, unknown>
  /**
   * The tenant the scenario writes to. Default: a new one per scenario (`test-county-…`), so a store that
   * keeps its data between scenarios (a database) starts each one empty all the same.
   */
  readonly tenant?: Envelope.Tenant
  /** Who sends the command. Default: `DeciderSpec.defaultContext.actor`. */
  readonly actor?: Envelope.Actor
  /** The store's time through the whole scenario, in epoch milliseconds. Default: `DeciderSpec.defaultContext.now`. */
  readonly now?: number
}

export interface Then<Event> {
  /** The command is accepted and writes exactly these events; returns them as stored (with their envelopes). */
  readonly then: (expected: ReadonlyArray<Event>) => Effect.Effect<ReadonlyArray<Envelope.StoredEvent>>
  /** The command is refused by the rule with this code (a `Rule` or its code), and nothing is written. */
  readonly thenFails: (rule: string | { readonly code: string }) => Effect.Effect<RuleViolation>
  /** The command is accepted and writes nothing: it was already done. */
  readonly thenNothing: () => Effect.Effect<void>
}

export interface When<Input, Event> {
  /** Sends the command through the handler; `metadata` overrides the default actor and commandId. */
  readonly when: (command: Input, metadata?: Partial<CommandHandler.CommandMetadata>) => Then<Event>
}

export interface Spec<Input, Event> {
  /** The events in the store before the command, stream by stream. */
  readonly given: (...streams: ReadonlyArray<Given<Event>>) => When<Input, Event>
}

/** Time stands at `now` for the scenario's reads of the clock; sleeping still takes real time. */
const clockAt = (now: number): Clock.Clock => {
  const live = Clock.Clock.defaultValue()
  const nanos = BigInt(now) * 1_000_000n
  return {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.succeed(now),
    currentTimeNanosUnsafe: () => nanos,
    currentTimeNanos: Effect.succeed(nanos),
    monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: live.monotonicTimeNanos,
    sleep: (duration) => live.sleep(duration)
  }
}

const freshTenant = (): Envelope.Tenant => `test-county-${Math.random().toString(36).slice(2, 10)}`

const tagOf = (value: unknown): string =>
  typeof value === "object" && value !== null && "_tag" in value ? String(value._tag) : String(value)

/**
 * Given/when/then for a command handler, on a real store: the given events are stored first, then the
 * command goes through `handle` as a host sends it (decoded, its context loaded from the store, decided,
 * appended), and each `then…` is an Effect for `it.effect` that checks the outcome and the store.
 *
 * ```ts
 * const spec = HandlerSpec.make(Visits.handle, { codec: Domain.codec })
 * it.effect("a visit to an archived household is refused", () =>
 *   spec.given({ stream: Registry.streamOf("h1"), events: [registered, archived] })
 *     .when({ _tag: "RecordVisit", … })
 *     .thenFails(Registry.Decide.HouseholdIsArchived))
 * ```
 */
export const make = <Input, State, LoadError, Event extends { readonly _tag: string }>(
  handle: CommandHandler.Handle<Input, State, LoadError, EventStore.EventStore>,
  options: Options<Event>
): Spec<Input, Event> => ({
  given: (...streams) => ({
    when: (command, metadata) => {
      const where = `given [${streams
        .map((g) => `${g.stream.category}/${g.stream.id}: ${g.events.map(tagOf).join(", ")}`)
        .join("; ")}] when ${tagOf(command)}`
      const now = options.now ?? defaultContext.now
      const actor = options.actor ?? defaultContext.actor

      // Stores the givens, sends the command, and hands its outcome and the store's head before it to `check`.
      const scenario = <A>(
        check: (
          outcome: Result.Result<CommandHandler.Handled<State>, unknown>,
          before: number,
          store: EventStore.EventStoreShape,
          tenant: Envelope.Tenant
        ) => Effect.Effect<A>
      ): Effect.Effect<A> =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const ids = yield* IdGenerator.IdGenerator
          const tenant = options.tenant ?? freshTenant()
          for (const [i, given] of streams.entries()) {
            if (given.events.length === 0) continue
            const events = yield* Effect.forEach(given.events, (event) =>
              Effect.map(ids.next, (eventId) => ({
                eventId,
                ...options.codec.encode(event),
                occurredAt: Scalars.instantFromMillis(now),
                subjects: []
              }))
            )
            const commandId = `given-${i}`
            yield* store
              .append({
                tenant,
                stream: given.stream,
                expected: ExpectedVersion.any,
                events,
                context: { actor, commandId, correlationId: commandId, causationId: commandId }
              })
              .pipe(Effect.mapError((error) => new Error(`${where}: the given events could not be stored: ${error}`)))
          }
          const before = (yield* Effect.orDie(store.head(tenant))).position
          const outcome = yield* Effect.result(
            handle(tenant, command, { actor, commandId: "test-command", ...metadata })
          )
          return yield* check(outcome, before, store, tenant)
        }).pipe(
          Effect.provide(Layer.mergeAll(options.store ?? EventStore.layerMemory, IdGenerator.layer)),
          Effect.provideService(Clock.Clock, clockAt(now)),
          Effect.orDie
        )

      const describe = (outcome: Result.Result<CommandHandler.Handled<State>, unknown>): string => {
        if (Result.isFailure(outcome)) {
          const error = outcome.failure as { readonly _tag?: string; readonly code?: string; readonly message?: string }
          const code = error._tag === "RuleViolation" ? ` ${error.code}` : ""
          return `it failed with ${error._tag ?? "an error"}${code}: ${error.message ?? String(error)}`
        }
        const written = outcome.success.events
        return written.length === 0 ? "it wrote nothing" : `it wrote [${written.map((e) => e.type).join(", ")}]`
      }

      const headOf = (store: EventStore.EventStoreShape, tenant: Envelope.Tenant) =>
        Effect.map(Effect.orDie(store.head(tenant)), (head) => head.position)

      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then names it; being awaited is refused below
        then: (expected) => {
          if (typeof expected === "function")
            throw new TypeError("a HandlerSpec is not a promise: yield* its .then([...events]) in an Effect")
          return scenario((outcome, before, store, tenant) =>
            Effect.gen(function* () {
              if (Result.isFailure(outcome) || outcome.success.duplicate)
                assert.fail(`${where}: expected events, but ${describe(outcome)}`)
              const written = outcome.success.events
              const decoded = written.map((stored) => {
                const event = options.codec.decode(stored)
                if (Result.isFailure(event)) assert.fail(`${where}: a written event does not decode: ${event.failure}`)
                return event.success.event
              })
              assert.deepStrictEqual(decoded, expected, `${where}: written events differ`)
              assert.strictEqual(yield* headOf(store, tenant), before + expected.length, `${where}: the store's head`)
              return written
            })
          )
        },
        thenFails: (rule) => {
          const code = typeof rule === "string" ? rule : rule.code
          return scenario((outcome, before, store, tenant) =>
            Effect.gen(function* () {
              const failure = Result.isFailure(outcome) ? (outcome.failure as RuleViolation) : undefined
              if (failure?._tag !== "RuleViolation")
                assert.fail(`${where}: expected a refusal by ${code}, but ${describe(outcome)}`)
              assert.strictEqual(failure.code, code, `${where}: refused by another rule (${failure.message})`)
              assert.strictEqual(yield* headOf(store, tenant), before, `${where}: a refused command wrote events`)
              return failure
            })
          )
        },
        thenNothing: () =>
          scenario((outcome, before, store, tenant) =>
            Effect.gen(function* () {
              if (Result.isFailure(outcome) || outcome.success.events.length > 0)
                assert.fail(`${where}: expected nothing written, but ${describe(outcome)}`)
              assert.strictEqual(yield* headOf(store, tenant), before, `${where}: the store's head`)
            })
          )
      }
    }
  })
})
