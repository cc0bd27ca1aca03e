import { EventStoreError, HashChain } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { columns, decodeAllValues } from "./rows.ts"

/** How far ahead of this process's clock the last event's store time may be: clocks of two hosts differ a little. */
export const maxClockSkewMs = 60_000

/**
 * The head a writer may chain onto, checked against the log rather than taken from the `heads` row (which
 * anyone with write access can change): the last event must be the head's position, seal to its own hash and
 * have the head's hash. Its store time (never `heads.recorded_at`) is the floor for the next events, so store
 * time stays monotone; a last event more than `maxClockSkewMs` ahead of `now` is refused rather than copied
 * onto every later event (a clock far behind, or a forged event in the future).
 */
export const checkedHead = (
  sql: SqlClient.SqlClient,
  schema: string,
  tenant: string,
  head: { readonly position: number; readonly hash: string },
  now: number
): Effect.Effect<{ position: number; hash: string; recordedMs: number }, EventStoreError | SqlError> =>
  Effect.gen(function* () {
    const corrupt = (why: string) =>
      Effect.fail(
        new EventStoreError({
          reason: "Corrupt",
          message: `refusing to append to ${tenant}: ${why}; check the log (Audit.verifyChain with anchors) and derive the side tables again (SideTables.rebuild)`
        })
      )
    if (head.position === 0) {
      return head.hash === HashChain.genesis
        ? { position: 0, hash: head.hash, recordedMs: 0 }
        : yield* corrupt("its head is at position 0 but its hash is not the genesis hash")
    }
    const rows = yield* sql`SELECT ${sql.literal(columns)} FROM ${sql(`${schema}.events`)} e
      WHERE e.tenant = ${tenant} AND e.position = ${head.position}`.values
    const decoded = decodeAllValues(rows, "columns")
    if (decoded._tag === "Err") return yield* Effect.fail(decoded.error)
    const last = decoded.events[0]
    if (last === undefined) return yield* corrupt(`its head names position ${head.position}, which has no event`)
    if (HashChain.hashOf(last) !== last.hash)
      return yield* corrupt(`its last event (position ${head.position}) does not match its hash`)
    if (last.hash !== head.hash)
      return yield* corrupt(`its head's hash is not the hash of its last event (position ${head.position})`)
    const recordedMs = Date.parse(last.recordedAt)
    if (recordedMs > now + maxClockSkewMs) {
      return yield* Effect.fail(
        new EventStoreError({
          reason: "Corrupt",
          message: `refusing to append to ${tenant}: its last event was recorded at ${last.recordedAt}, ahead of this clock (${new Date(now).toISOString()}) by more than ${maxClockSkewMs / 1000} s; later events would be stamped with that time. Check this host's clock, then the log (Audit.verifyChain with anchors)`
        })
      )
    }
    return { position: head.position, hash: head.hash, recordedMs }
  })
