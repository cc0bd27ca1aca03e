import { Effect, Stream } from "effect"
import type { StoredEvent } from "../Envelope.ts"
import { EventStoreError } from "../Errors.ts"
import type { EventStoreShape } from "../EventStore.ts"
import * as HashChain from "../HashChain.ts"
import { ChainBroken } from "./chainBroken.ts"
import * as Erasures from "./erasureRecord.ts"

/** The first event of `events` whose content does not match its hash, or that does not link to the one before. */
const firstAltered = (
  events: ReadonlyArray<StoredEvent>,
  linked: boolean
): { readonly event: StoredEvent; readonly content: string } | undefined => {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    const content = HashChain.hashOf(event)
    if (content !== event.hash || (linked && i > 0 && event.prevHash !== events[i - 1]!.hash)) return { event, content }
  }
  return undefined
}

/**
 * The erasure events that attest a row whose content does not match its hash: erasure events of its subjects,
 * themselves intact, naming its position, its hash and the hash of its content (`content`).
 */
export const attestations = (store: EventStoreShape, event: StoredEvent, content: string) =>
  Effect.map(
    Effect.forEach(event.subjects, (subject) =>
      store
        .readStream(event.tenant, Erasures.streamOf(subject))
        .pipe(Effect.catchTag("StreamNotFound", () => Effect.succeed([] as ReadonlyArray<StoredEvent>)))
    ),
    (streams) =>
      streams
        .flat()
        .filter(
          (e) =>
            HashChain.hashOf(e) === e.hash &&
            Erasures.attested(e).some(
              (r) => r.position === event.position && r.hash === event.hash && r.content === content
            )
        )
  )

const checked = (
  store: EventStoreShape,
  events: ReadonlyArray<StoredEvent>,
  linked: boolean
): Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError> => {
  const altered = firstAltered(events, linked)
  if (altered === undefined) return Effect.succeed(events)
  const { event, content } = altered
  const kind = content !== event.hash ? "HashMismatch" : "BrokenLink"
  const fail = () => {
    const cause = new ChainBroken({ tenant: event.tenant, kind, position: event.position, eventId: event.eventId })
    return Effect.fail(new EventStoreError({ reason: "Corrupt", message: cause.message, cause }))
  }
  if (kind === "BrokenLink") return fail()
  // Only the first altered row is looked up; the rest of the page is checked again once it passes.
  return Effect.flatMap(attestations(store, event, content), (found) => {
    if (found.length === 0) return fail()
    const index = events.indexOf(event)
    return Effect.map(checked(store, events.slice(index + 1), linked), () => events)
  })
}

/**
 * The store with reads that notice: every event read is checked against its hash (and, in a page of the log,
 * against the event before it), and a read fails with `EventStoreError` `Corrupt` naming the position of the
 * first altered event (its `cause` is the `ChainBroken`). Only an edit that was not re-sealed is caught here;
 * a re-chained log takes `verifyChain` with anchors. Stores take it as the `verifyReads` option.
 */
export const verifyingReads = (store: EventStoreShape): EventStoreShape => ({
  ...store,
  // A page filtered by type passes events over: only an unfiltered one links each event to the one before.
  readAll: (tenant, options) =>
    Effect.flatMap(store.readAll(tenant, options), (events) => checked(store, events, options.types === undefined)),
  readSubject: (tenant, subject, options) =>
    Effect.flatMap(store.readSubject(tenant, subject, options), (events) => checked(store, events, false)),
  readStream: (tenant, stream, options) =>
    Effect.flatMap(store.readStream(tenant, stream, options), (events) => checked(store, events, false)),
  readCommand: (tenant, commandId) =>
    Effect.flatMap(store.readCommand(tenant, commandId), (events) =>
      events === undefined ? Effect.succeed(undefined) : checked(store, events, true)
    ),
  subscribe: (tenant, options) => store.subscribe(tenant, options).pipe(verifyEach(store))
})

const verifyEach =
  (store: EventStoreShape) =>
  <E, R>(stream: Stream.Stream<StoredEvent, E, R>): Stream.Stream<StoredEvent, E | EventStoreError, R> =>
    Stream.mapEffect(stream, (event) => Effect.as(checked(store, [event], false), event))
