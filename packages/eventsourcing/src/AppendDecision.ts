import { ConcurrencyConflict, EventStoreError, IdempotencyMismatch } from "./Errors.ts"
import type { AppendRequest } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"

/**
 * What a store found for one validated request, looked up however it stores things (a map in memory, a
 * locked query on PostgreSQL). `Command` is the store's own record of a command, at least its fingerprint.
 */
export interface Found<Command extends { readonly fingerprint: string }> {
  /** The record of an earlier append under the request's commandId, if there is one. */
  readonly command: Command | undefined
  /** The stream's current version (0: no stream). */
  readonly version: number
  /** Whether an event id is already stored in the tenant. */
  readonly isStored: (eventId: string) => boolean
}

/** What a store does with the request. */
export type Decision<Command> =
  /** The commandId was recorded with the same fingerprint: return the first result, write nothing. */
  | { readonly _tag: "Duplicate"; readonly command: Command }
  /** Refused: a different request under the same commandId, a stream not at the expected version, or a reused event id. */
  | { readonly _tag: "Refused"; readonly error: IdempotencyMismatch | ConcurrencyConflict | EventStoreError }
  /** Accepted with no events: the stream stays at `version` and nothing is recorded. */
  | { readonly _tag: "Nothing"; readonly version: number }
  /** Accepted: the events follow the stream's current `version`. */
  | { readonly _tag: "Write"; readonly version: number }

/**
 * The one append decision every store makes, in this order: idempotency by commandId (same `fingerprint`:
 * the first result; different: `IdempotencyMismatch`), the expected version (`ConcurrencyConflict`), event
 * ids already stored (`InvalidRequest`), and an append of no events (accepted, nothing recorded). Pure: the
 * store looks things up, calls this, and writes what it says.
 */
export const decide = <Command extends { readonly fingerprint: string }>(
  request: AppendRequest,
  fingerprint: string,
  found: Found<Command>
): Decision<Command> => {
  const { command, version } = found
  if (command !== undefined) {
    return command.fingerprint === fingerprint
      ? { _tag: "Duplicate", command }
      : {
          _tag: "Refused",
          error: new IdempotencyMismatch({ tenant: request.tenant, commandId: request.context.commandId })
        }
  }
  if (!ExpectedVersion.accepts(request.expected, version)) {
    return {
      _tag: "Refused",
      error: new ConcurrencyConflict({
        tenant: request.tenant,
        stream: request.stream,
        expected: request.expected,
        actual: version
      })
    }
  }
  const reused = request.events.find((e) => found.isStored(e.eventId))
  if (reused !== undefined) {
    return {
      _tag: "Refused",
      error: new EventStoreError({ reason: "InvalidRequest", message: `event id ${reused.eventId} is already stored` })
    }
  }
  return request.events.length === 0 ? { _tag: "Nothing", version } : { _tag: "Write", version }
}
