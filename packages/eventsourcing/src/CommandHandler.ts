import { Cause, Clock, Duration, Effect, Exit, Result, Schedule, Schema } from "effect"
import * as AppendValidation from "./AppendValidation.ts"
import type { Decider, DecisionContext } from "./Decider.ts"
import type { Actor, NewEvent, StoredEvent, Tenant } from "./Envelope.ts"
import {
  ConcurrencyConflict,
  type EventStoreError,
  type IdempotencyMismatch,
  InvalidCommand,
  type InvalidEvent,
  issuesOf,
  type RuleViolation,
  type UnknownEventType
} from "./Errors.ts"
import type { EventCodec } from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import { IdGenerator } from "./IdGenerator.ts"
import * as StreamStates from "./internal/streamStates.ts"
import * as Personal from "./Personal.ts"
import { instantFromMillis } from "./Scalars.ts"
import * as StateCache from "./StateCache.ts"
import type { StreamId } from "./StreamId.ts"

/** Who sends a command and how it ties to what came before. */
export interface CommandMetadata {
  readonly actor: Actor
  /** The idempotency key: the same commandId twice returns the first result and writes nothing. */
  readonly commandId: string
  /** Defaults to the commandId: the first command of a conversation starts its correlation. */
  readonly correlationId?: string
  /** Defaults to the commandId. */
  readonly causationId?: string
}

/** What reading a stream and folding it may fail with: a context loader's reads fail the same way. */
export type LoadError = EventStoreError | UnknownEventType | InvalidEvent

/**
 * What a command handler is made of. A context exports its own (`Visits.definition`), so that a host can
 * make a handler with one more rule (`withRule`) that runs the library's decision, loaders, subjects and
 * business times unchanged.
 */
export interface Definition<
  C,
  I,
  E extends { readonly _tag: string },
  S,
  Ctx extends DecisionContext = DecisionContext,
  ER = never,
  R = never
> {
  /**
   * Decodes and validates input into a command (the union of the context's command classes). `I`, its
   * encoded side, is what `handle` takes.
   */
  readonly command: Schema.Codec<C, I, never, never>
  readonly decider: Decider<C, E, S, Ctx>
  readonly codec: EventCodec<E>
  readonly stream: (command: C) => StreamId
  /**
   * The households or persons an event concerns, for audit queries and erasure. `state` is the stream's
   * state just before this event, for events that do not repeat whom their stream is about.
   */
  readonly subjects: (event: E, state: S) => ReadonlyArray<string>
  /** Business time of an event when it is not now (a back-dated visit). */
  readonly occurredAt?: (event: E) => number | undefined
  /**
   * Loads what a decision needs from other streams (the household a visit is for, the worker's post):
   * the rules that span streams are checked here, against state read in the same attempt. `state` is the
   * command's own stream as the handler just loaded it, so a loader never reads that stream again.
   */
  readonly loadContext?: (command: C, state: S, base: DecisionContext) => Effect.Effect<Ctx, ER, R>
  /** How many times a decision is retried when another writer moves the stream on. Default 5. */
  readonly maxAttempts?: number
}

export interface Handled<S> {
  readonly events: ReadonlyArray<StoredEvent>
  readonly version: number
  readonly state: S
  /** True when the commandId had been handled before and nothing was written now. */
  readonly duplicate: boolean
}

export type HandleError =
  | InvalidCommand
  | RuleViolation
  | ConcurrencyConflict
  | IdempotencyMismatch
  | EventStoreError
  | UnknownEventType
  | InvalidEvent

/**
 * A command handler: what `make` returns. It takes the encoded side of its command Schema (`I`), so a
 * misspelt `_tag` or field is a compile error; whatever it is given, it decodes with the Schema before
 * anything else, so a malformed value at run time fails with InvalidCommand and reads nothing.
 */
export type Handle<I, S, ER = never, R = never> = (
  tenant: Tenant,
  command: I,
  metadata: CommandMetadata
) => Effect.Effect<Handled<S>, HandleError | ER, EventStore | IdGenerator | R>

/**
 * The same handler for input not checked at compile time (a request body, a queue message). Every `Handle`
 * decodes its input with its command Schema first (`make` does; a hand-written one must), so this only
 * widens the parameter's type: the check happens at run time, as InvalidCommand naming each field.
 */
export const acceptUnknown = <I, S, ER, R>(handle: Handle<I, S, ER, R>): Handle<unknown, S, ER, R> =>
  handle as Handle<unknown, S, ER, R>

/** The `_tag` an input claims, for errors and spans, before it is decoded. */
const tagOf = (input: unknown): string =>
  typeof input === "object" && input !== null && "_tag" in input ? String(input._tag) : "command"

/**
 * Decodes input with a command Schema, failing with InvalidCommand that names the command's tag (when it has
 * one) and every field that is wrong. What every handler does first.
 */
export const decodeCommand = <C, I>(
  command: Schema.Codec<C, I, never, never>
): ((input: unknown) => Effect.Effect<C, InvalidCommand>) => {
  const decode = Schema.decodeUnknownEffect(command, { errors: "all" })
  return (input) =>
    decode(input).pipe(
      Effect.mapError(
        (error) =>
          new InvalidCommand({
            command: tagOf(input),
            issues: issuesOf(error.issue)
          })
      )
    )
}

/** Reads a stream and folds it; a stream that does not exist yet is the initial state at version 0. */
export const load = <E extends { readonly _tag: string }, S>(
  tenant: Tenant,
  stream: StreamId,
  decider: { readonly initialState: S; readonly evolve: (state: S, event: E) => S },
  codec: EventCodec<E>
): Effect.Effect<{ readonly state: S; readonly version: number }, LoadError, EventStore> =>
  Effect.flatMap(EventStore, (store) =>
    Effect.map(StreamStates.loadWhole({ decider, codec }, store, tenant, stream), ({ state, version }) => ({
      state,
      version
    }))
  )

/**
 * load → decide → append with the version loaded. A conflict means another writer got there first:
 * reload and decide again, a bounded number of times, so the rules always see the latest state. The load
 * starts from the state this handler kept for the stream, if any, and reads only what was written since
 * (StateCache.ts): the same state a whole read would give, at a cost that does not grow with the stream.
 */
export const make = <
  C,
  I,
  E extends { readonly _tag: string },
  S,
  Ctx extends DecisionContext = DecisionContext,
  ER = never,
  R = never
>(
  definition: Definition<C, I, E, S, Ctx, ER, R>
): Handle<I, S, ER, R> => {
  const decode = decodeCommand(definition.command)
  const maxAttempts = definition.maxAttempts ?? 5
  const states = StreamStates.make(definition)

  return (
    tenant: Tenant,
    input: I,
    metadata: CommandMetadata
  ): Effect.Effect<Handled<S>, HandleError | ER, EventStore | IdGenerator | R> =>
    Effect.gen(function* () {
      const command = yield* decode(input)
      const refused = AppendValidation.commandIssues(tenant, metadata)
      if (refused.length > 0) return yield* Effect.fail(new InvalidCommand({ command: tagOf(input), issues: refused }))
      const store = yield* EventStore
      const ids = yield* IdGenerator
      const { capacity } = yield* StateCache.Settings
      const stream = definition.stream(command)
      yield* Effect.annotateCurrentSpan({ stream: `${stream.category}/${stream.id}` })
      const context = {
        actor: metadata.actor,
        commandId: metadata.commandId,
        correlationId: metadata.correlationId ?? metadata.commandId,
        causationId: metadata.causationId ?? metadata.commandId
      }

      // The decision on the state loaded, as the events to append and the state they lead to.
      const decide = (command: C, state: S) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const base: DecisionContext = { tenant, actor: metadata.actor, now }
          const decisionContext = definition.loadContext
            ? yield* definition.loadContext(command, state, base)
            : (base as Ctx)
          const decided = definition.decider.decide(command, state, decisionContext)
          if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
          const before: Array<S> = []
          const next = decided.success.reduce((s, event) => {
            before.push(s)
            return definition.decider.evolve(s, event)
          }, state)
          const events = yield* Effect.forEach(decided.success, (event, i) =>
            Effect.map(ids.next, (eventId): NewEvent => {
              const encoded = definition.codec.encode(event)
              const subjects = definition.subjects(event, before[i]!)
              const personal = Personal.locate(definition.codec.personal(encoded.type), encoded.data, subjects)
              return {
                eventId,
                type: encoded.type,
                schemaVersion: encoded.schemaVersion,
                data: encoded.data,
                occurredAt: instantFromMillis(definition.occurredAt?.(event) ?? now),
                subjects,
                ...(personal.length === 0 ? {} : { personal })
              }
            })
          )
          return { events, next }
        })

      // Whether a failed append wrote nothing for certain: then the commandId may have been handled before.
      const refusedUnwritten = (error: ConcurrencyConflict | IdempotencyMismatch | EventStoreError) =>
        error._tag === "IdempotencyMismatch" ||
        (error._tag === "EventStoreError" && (error.reason === "InvalidRequest" || error.reason === "TooLarge"))

      let attempts = 0
      const attempt = Effect.gen(function* () {
        const loaded = yield* states.load(store, tenant, stream, capacity)
        const { state, version } = loaded
        // A retried command after success is decided again, and is often refused ("already registered") or
        // decided differently now. So whenever nothing new is written, the commandId is looked up: if it was
        // recorded, the first result is returned as it stands, with the state and version just loaded;
        // otherwise `otherwise` stands. A new command that is accepted never pays for the look-up.
        const firstResultOr = <E2, R2>(
          otherwise: Effect.Effect<Handled<S>, E2, R2>
        ): Effect.Effect<Handled<S>, E2 | EventStoreError, R2> =>
          Effect.flatMap(store.readCommand(tenant, metadata.commandId), (earlier) =>
            earlier === undefined
              ? otherwise
              : Effect.succeed({ events: earlier, version, state, duplicate: true } satisfies Handled<S>)
          )

        const decided = yield* Effect.exit(decide(command, state))
        if (Exit.isFailure(decided)) {
          const failed = Effect.failCause(decided.cause)
          return yield* Cause.hasInterrupts(decided.cause) ? failed : firstResultOr(failed)
        }
        const { events, next } = decided.value
        if (events.length === 0) {
          return yield* firstResultOr(
            Effect.succeed({ events: [], version, state, duplicate: false } satisfies Handled<S>)
          )
        }
        return yield* store.append({ tenant, stream, expected: ExpectedVersion.exact(version), events, context }).pipe(
          Effect.map((appended): Handled<S> => {
            // The store returned the first result: its events are in the state loaded already.
            if (appended.duplicate) return { events: appended.events, version, state, duplicate: true }
            states.appended(store, tenant, stream, loaded, appended.events, capacity)
            return { events: appended.events, version: appended.version, state: next, duplicate: false }
          }),
          Effect.catchIf(refusedUnwritten, (error) => firstResultOr(Effect.fail(error)))
        )
      })

      // The attempt runs on the caller's clock (a decision's `now`); the waits between attempts on the live
      // clock, so that writers racing under a TestClock back off in real time instead of waiting forever.
      const clock = yield* Clock.Clock
      return yield* Effect.suspend(() => {
        attempts += 1
        return attempt.pipe(
          Effect.withSpan(
            "CommandHandler.attempt",
            { attributes: { attempt: attempts } },
            { captureStackTrace: false }
          ),
          Effect.provideService(Clock.Clock, clock)
        )
      }).pipe(
        Effect.retry({
          schedule: conflictBackoff,
          times: maxAttempts - 1,
          while: (error) => error instanceof ConcurrencyConflict
        }),
        Effect.provideService(Clock.Clock, Clock.Clock.defaultValue())
      )
    }).pipe(
      Effect.withSpan(
        "CommandHandler.handle",
        { attributes: { tenant, commandId: metadata.commandId, command: tagOf(input) } },
        { captureStackTrace: false }
      )
    )
}

/**
 * The waits between attempts after a ConcurrencyConflict. The first retry goes at once (in one process a
 * conflict usually means one other writer, already done); then 2 ms, doubling up to 50 ms (a quota stream
 * retries 20 times), each scaled by a random 0.8–1.2 so that writers that keep colliding fall out of step.
 */
export const conflictBackoff: Schedule.Schedule<Duration.Duration> = Schedule.exponential("1 millis").pipe(
  Schedule.modifyDelay(({ attempt, duration }) =>
    Effect.succeed(attempt <= 1 ? Duration.zero : Duration.min(duration, Duration.millis(50)))
  ),
  Schedule.jittered
)

/** One more rule for a handler definition: what `withRule` adds. */
export interface ExtraRule<C, E, S, Ctx, X, ER, R> {
  /** Reads what the rule needs from other streams, after the definition's own loader, in the same attempt. */
  readonly loadContext?: (command: C, state: S, context: Ctx) => Effect.Effect<X, ER, R>
  /**
   * Refuses with a RuleViolation (a `Rule.define` rule) or lets the command through. It runs only when the
   * definition's own decision accepts with events to record (a command already done stays done), and sees
   * those events.
   */
  readonly decide: (
    command: C,
    state: S,
    context: Ctx & X,
    events: ReadonlyArray<E>
  ) => Result.Result<void, RuleViolation>
}

/**
 * A handler definition with one more rule, for a host whose rules are stricter than the library's:
 * `CommandHandler.make(CommandHandler.withRule(Visits.definition, { decide }))` is the library's visit
 * handler (its decision, loaders, subjects, business times, retries) with the host's rule in the same
 * attempt, so the rule sees the state the append is checked against.
 */
export const withRule = <
  C,
  I,
  E extends { readonly _tag: string },
  S,
  Ctx extends DecisionContext = DecisionContext,
  ER = never,
  R = never,
  X extends object = {},
  ER2 = never,
  R2 = never
>(
  definition: Definition<C, I, E, S, Ctx, ER, R>,
  rule: ExtraRule<C, E, S, Ctx, X, ER2, R2>
): Definition<C, I, E, S, Ctx & X, ER | ER2, R | R2> => {
  const { decider, loadContext } = definition
  return {
    ...definition,
    decider: {
      initialState: decider.initialState,
      evolve: decider.evolve,
      decide: (command, state, context) => {
        const decided = decider.decide(command, state, context)
        if (Result.isFailure(decided) || decided.success.length === 0) return decided
        const checked = rule.decide(command, state, context, decided.success)
        return Result.isFailure(checked) ? Result.fail(checked.failure) : decided
      }
    },
    loadContext: (command, state, base) =>
      Effect.gen(function* () {
        const context = loadContext === undefined ? (base as Ctx) : yield* loadContext(command, state, base)
        const extra = rule.loadContext === undefined ? ({} as X) : yield* rule.loadContext(command, state, context)
        return { ...context, ...extra }
      })
  }
}
