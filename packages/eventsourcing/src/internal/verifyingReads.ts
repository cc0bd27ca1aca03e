import { Effect, Stream } from "effect"
import type { StoredEvent } from "../Envelope.ts"
import { EventStoreError } from "../Errors.ts"
import type { EventStoreShape } from "../EventStore.ts"
import * as HashChain from "../HashChain.ts"
import { ChainBroken } from "./chainBroken.ts"

/** The first event of `events` whose content does not match its hash, or that does not link to the one before. */
const firstAltered = (events: ReadonlyArray<StoredEvent>, linked: boolean): StoredEvent | undefined => {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    if (HashChain.hashOf(event) !== event.hash) return event
    if (linked && i > 0 && event.prevHash !== events[i - 1]!.hash) return event
  }
  return undefined
}

const checked = (
  events: ReadonlyArray<StoredEvent>,
  linked: boolean
): Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError> => {
  const altered = firstAltered(events, linked)
  if (altered === undefined) return Effect.succeed(events)
  const cause = new ChainBroken({
    tenant: altered.tenant,
    kind: HashChain.hashOf(altered) !== altered.hash ? "HashMismatch" : "BrokenLink",
    position: altered.position,
    eventId: altered.eventId
  })
  return Effect.fail(new EventStoreError({ reason: "Corrupt", message: cause.message, cause }))
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
    Effect.flatMap(store.readAll(tenant, options), (events) => checked(events, options.types === undefined)),
  readSubject: (tenant, subject, options) =>
    Effect.flatMap(store.readSubject(tenant, subject, options), (events) => checked(events, false)),
  readStream: (tenant, stream, options) =>
    Effect.flatMap(store.readStream(tenant, stream, options), (events) => checked(events, false)),
  readCommand: (tenant, commandId) =>
    Effect.flatMap(store.readCommand(tenant, commandId), (events) =>
      events === undefined ? Effect.succeed(undefined) : checked(events, true)
    ),
  subscribe: (tenant, options) => store.subscribe(tenant, options).pipe(verifyEach)
})

function verifyEach<E, R>(
  stream: Stream.Stream<StoredEvent, E, R>
): Stream.Stream<StoredEvent, E | EventStoreError, R> {
  return Stream.mapEffect(stream, (event) => Effect.as(checked([event], false), event))
}
