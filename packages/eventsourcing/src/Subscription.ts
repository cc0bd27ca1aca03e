import { Effect, Option, Stream } from "effect"
import type { StoredEvent } from "./Envelope.ts"
import type { ReadAllOptions } from "./EventStore.ts"

/** Events read, and the position the log was read through (past the events a filtered read passed over). */
export interface Page {
  readonly events: ReadonlyArray<StoredEvent>
  readonly through: number
}

/**
 * A page of the log after `after`. Unfiltered, it was read through its last event. Filtered by `types`, it
 * is read through the head as it stood just before: every position up to it is visible (positions are
 * gapless and visible in commit order), so a page short of `limit` has read through the head, and a cursor
 * set to `through` moves past the events passed over instead of reading them again.
 */
export const readPage = <E, R>(
  log: {
    readonly readAll: (options: ReadAllOptions) => Effect.Effect<ReadonlyArray<StoredEvent>, E, R>
    readonly head: Effect.Effect<number, E, R>
  },
  options: Omit<ReadAllOptions, "through">
): Effect.Effect<Page, E, R> => {
  const lastOf = (events: ReadonlyArray<StoredEvent>, otherwise: number) =>
    events.length === 0 ? otherwise : events[events.length - 1]!.position
  if (options.types === undefined)
    return Effect.map(log.readAll(options), (events) => ({ events, through: lastOf(events, options.after) }))
  return Effect.flatMap(log.head, (head) =>
    Effect.map(log.readAll({ ...options, through: head }), (events) => ({
      events,
      through: events.length >= options.limit ? lastOf(events, options.after) : Math.max(head, options.after)
    }))
  )
}

export interface Source<E, R = never> {
  /** Events with `position > after`, in position order, at most `limit`, and how far they were read. */
  readonly readPage: (after: number, limit: number) => Effect.Effect<Page, E, R>
  /** Completes once the log may hold something after `after` (a notification or a poll interval). */
  readonly awaitNewer: (after: number) => Effect.Effect<void, E, R>
  readonly pageSize?: number
}

/**
 * Catch-up, then live, from one cursor. Because a store's positions are gapless and visible in
 * commit order, reading strictly after the last position seen can neither skip nor repeat an event;
 * live notifications are only a wake-up, never a source of events.
 */
export const catchUpThenFollow = <E, R>(source: Source<E, R>, after: number): Stream.Stream<StoredEvent, E, R> => {
  const pageSize = source.pageSize ?? 1000
  return Stream.paginate(after, (cursor: number) =>
    Effect.flatMap(source.readPage(cursor, pageSize), ({ events, through }) =>
      events.length > 0 || through > cursor
        ? Effect.succeed([events, Option.some(through)] as const)
        : Effect.as(source.awaitNewer(cursor), [[] as ReadonlyArray<StoredEvent>, Option.some(cursor)] as const)
    )
  )
}
