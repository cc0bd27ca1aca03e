import { Effect, Option, Stream } from "effect"
import type { StoredEvent } from "./Envelope.ts"

export interface Source<E, R = never> {
  /** Events with `position > after`, in position order, at most `limit`. */
  readonly readPage: (after: number, limit: number) => Effect.Effect<ReadonlyArray<StoredEvent>, E, R>
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
    Effect.flatMap(source.readPage(cursor, pageSize), (page) =>
      page.length > 0
        ? Effect.succeed([page, Option.some(page[page.length - 1]!.position)] as const)
        : Effect.as(source.awaitNewer(cursor), [[] as ReadonlyArray<StoredEvent>, Option.some(cursor)] as const)
    )
  )
}
