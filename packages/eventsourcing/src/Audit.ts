import { Effect, Schema } from "effect"
import type { Tenant } from "./Envelope.ts"
import type { EventStoreError } from "./Errors.ts"
import { EventStore } from "./EventStore.ts"
import * as HashChain from "./HashChain.ts"

/** The tenant's log does not verify: an event was edited, deleted, inserted or reordered. */
export class ChainBroken extends Schema.TaggedError<ChainBroken>()("ChainBroken", {
  tenant: Schema.String,
  kind: Schema.Literals(["HashMismatch", "BrokenLink", "PositionGap", "HeadMismatch"]),
  position: Schema.Int,
  eventId: Schema.optionalKey(Schema.String)
}) {
  readonly isRetryable = false
  override get message() {
    const what = {
      HashMismatch: "its content no longer matches its hash (edited)",
      BrokenLink: "it does not link to the event before it (deleted, inserted or reordered)",
      PositionGap: "a position is missing (deleted)",
      HeadMismatch: "the store's head does not match the last event (truncated)"
    }[this.kind]
    return `the log of ${this.tenant} fails verification at position ${this.position}: ${what}`
  }
}

export interface Verified {
  readonly tenant: Tenant
  readonly events: number
  readonly head: HashChain.Head
}

/**
 * Walks a tenant's whole log page by page and checks the hash chain, in constant memory.
 * `onProgress` lets a CLI draw a progress bar.
 */
export const verifyChain = (
  tenant: Tenant,
  options?: { readonly pageSize?: number; readonly onProgress?: (position: number) => Effect.Effect<void> }
): Effect.Effect<Verified, ChainBroken | EventStoreError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const pageSize = options?.pageSize ?? 1000
    let cursor: HashChain.Head = { position: 0, hash: HashChain.genesis }
    while (true) {
      const page = yield* store.readAll(tenant, { after: cursor.position, limit: pageSize })
      if (page.length === 0) break
      const broken = HashChain.verify(page, cursor)
      if (broken !== undefined) {
        return yield* Effect.fail(
          new ChainBroken({
            tenant,
            kind: broken._tag,
            position: broken._tag === "PositionGap" ? broken.expected : broken.position,
            ...(broken._tag === "PositionGap" ? {} : { eventId: broken.eventId })
          })
        )
      }
      const last = page[page.length - 1]!
      cursor = { position: last.position, hash: last.hash }
      if (options?.onProgress) yield* options.onProgress(cursor.position)
    }
    const head = yield* store.head(tenant)
    if (head.position !== cursor.position || head.hash !== cursor.hash) {
      return yield* Effect.fail(new ChainBroken({ tenant, kind: "HeadMismatch", position: head.position }))
    }
    return { tenant, events: cursor.position, head: cursor }
  })
