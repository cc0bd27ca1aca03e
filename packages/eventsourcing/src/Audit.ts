import type { KeyObject } from "node:crypto"
import { Clock, Effect } from "effect"
import * as Anchor from "./Anchor.ts"
import type { Tenant } from "./Envelope.ts"
import type { EventStoreError } from "./Errors.ts"
import { EventStore } from "./EventStore.ts"
import * as HashChain from "./HashChain.ts"
import { ChainBroken } from "./internal/chainBroken.ts"
import { instantFromMillis } from "./Scalars.ts"

export { ChainBroken } from "./internal/chainBroken.ts"
export { verifyingReads } from "./internal/verifyingReads.ts"

export interface Verified {
  readonly tenant: Tenant
  /** The events checked: the whole log, or those after the anchor an incremental run started from. */
  readonly events: number
  readonly head: HashChain.Head
  /** The anchors the log was proved to extend. */
  readonly anchors: number
  /** Where the walk started: position 0, or the anchor an incremental run trusted. */
  readonly from: HashChain.Head
}

export interface Anchors {
  /** The key every anchor must be signed with; an anchor it did not sign is refused. */
  readonly publicKey: KeyObject
  readonly anchors: ReadonlyArray<Anchor.Anchor>
  /**
   * Start from the latest anchor instead of the genesis: only the anchored event and the events after it are
   * read, so a daily run costs the day's events. Edits before that anchor are left to a full run.
   */
  readonly incremental?: boolean
}

export interface VerifyOptions {
  readonly pageSize?: number
  readonly onProgress?: (position: number) => Effect.Effect<void>
  /** Signed checkpoints the log must extend: a truncated tail or a re-chained log is then caught. */
  readonly anchored?: Anchors
}

const positionOf = (found: HashChain.ChainBreak) => (found._tag === "PositionGap" ? found.expected : found.position)

const broken = (tenant: string, found: HashChain.ChainBreak) =>
  new ChainBroken({
    tenant,
    kind: found._tag,
    position: found._tag === "PositionGap" ? found.expected : found.position,
    ...(found._tag === "PositionGap" ? {} : { eventId: found.eventId })
  })

/**
 * Walks a tenant's log page by page and checks the hash chain, in constant memory; with `anchored`, also that
 * the log passes through every anchor (signature and tenant checked first). `onProgress` lets a CLI draw a
 * progress bar.
 */
export function verifyChain(
  tenant: Tenant,
  options?: Omit<VerifyOptions, "anchored">
): Effect.Effect<Verified, ChainBroken | EventStoreError, EventStore>
export function verifyChain(
  tenant: Tenant,
  options: VerifyOptions
): Effect.Effect<Verified, ChainBroken | Anchor.AnchorRefused | EventStoreError, EventStore>
export function verifyChain(
  tenant: Tenant,
  options?: VerifyOptions
): Effect.Effect<Verified, ChainBroken | Anchor.AnchorRefused | EventStoreError, EventStore> {
  return Effect.gen(function* () {
    const store = yield* EventStore
    const pageSize = options?.pageSize ?? 1000
    const anchored = options?.anchored
    const anchors: Array<Anchor.Anchor> = []
    for (const anchor of anchored?.anchors ?? []) anchors.push(yield* Anchor.check(anchor, tenant, anchored!.publicKey))
    anchors.sort((a, b) => a.position - b.position)
    let cursor: HashChain.Head = { position: 0, hash: HashChain.genesis }
    let next = 0 // the first anchor not yet passed
    const passAnchors = (at: HashChain.Head) => {
      while (next < anchors.length && anchors[next]!.position <= at.position) {
        const anchor = anchors[next]!
        if (anchor.position === at.position && anchor.hash !== at.hash) {
          return new ChainBroken({ tenant, kind: "AnchorMismatch", position: anchor.position })
        }
        next++
      }
      return undefined
    }
    if (anchored?.incremental === true && anchors.length > 0) {
      const latest = anchors[anchors.length - 1]!
      if (latest.position > 0) {
        const [event] = yield* store.readAll(tenant, { after: latest.position - 1, limit: 1 })
        if (event === undefined || event.position !== latest.position) {
          return yield* Effect.fail(new ChainBroken({ tenant, kind: "Truncated", position: latest.position }))
        }
        const found = HashChain.verify([event], { position: event.position - 1, hash: event.prevHash })
        if (found !== undefined) return yield* Effect.fail(broken(tenant, found))
        if (event.hash !== latest.hash) {
          return yield* Effect.fail(new ChainBroken({ tenant, kind: "AnchorMismatch", position: latest.position }))
        }
      }
      cursor = { position: latest.position, hash: latest.hash }
    }
    const from = cursor
    const mismatch = passAnchors(cursor)
    if (mismatch !== undefined) return yield* Effect.fail(mismatch)
    // Rows rewritten by an erasure (their version-1 plaintext sealed) no longer match their hash: each is held
    // until the erasure event that attests it, later in the chain, is reached.
    const unattested = new Map<number, HashChain.Unattested>()
    const read = (after: number) => store.readAll(tenant, { after, limit: pageSize })
    let page = yield* read(cursor.position)
    while (page.length > 0) {
      const at = cursor
      const current = page
      // The next page is asked for before this one is hashed, so that the database reads while this process
      // hashes (on the server; PGlite runs in this thread, where it changes nothing). A failed read of it is
      // reported only once this page has verified.
      const [following, found] = yield* Effect.all(
        [
          Effect.result(read(current[current.length - 1]!.position)),
          Effect.sync(() => HashChain.verifyAttested(current, at, unattested))
        ],
        { concurrency: 2 }
      )
      if (found !== undefined) {
        const held = HashChain.firstUnattested(unattested)
        const first = held !== undefined && positionOf(held) < positionOf(found) ? held : found
        return yield* Effect.fail(broken(tenant, first))
      }
      for (const event of current) {
        if (next < anchors.length && anchors[next]!.position === event.position) {
          const failed = passAnchors(event)
          if (failed !== undefined) return yield* Effect.fail(failed)
        }
      }
      const last = current[current.length - 1]!
      cursor = { position: last.position, hash: last.hash }
      if (options?.onProgress) yield* options.onProgress(cursor.position)
      page = yield* Effect.fromResult(following)
    }
    const held = HashChain.firstUnattested(unattested)
    if (held !== undefined) return yield* Effect.fail(broken(tenant, held))
    if (next < anchors.length) {
      return yield* Effect.fail(new ChainBroken({ tenant, kind: "Truncated", position: anchors[next]!.position }))
    }
    const head = yield* store.head(tenant)
    if (head.position !== cursor.position || head.hash !== cursor.hash) {
      return yield* Effect.fail(new ChainBroken({ tenant, kind: "HeadMismatch", position: head.position }))
    }
    return { tenant, events: cursor.position - from.position, head: cursor, anchors: anchors.length, from }
  })
}

/**
 * `verifyChain` against every anchor of the tenant in the `AnchorStore`: what `shuangbai audit verify
 * --anchors DIR --public-key FILE [--incremental]` runs.
 */
export const verifyAnchored = (
  tenant: Tenant,
  options: Omit<VerifyOptions, "anchored"> & { readonly publicKey: KeyObject; readonly incremental?: boolean }
): Effect.Effect<
  Verified,
  ChainBroken | Anchor.AnchorRefused | Anchor.AnchorStoreError | EventStoreError,
  EventStore | Anchor.AnchorStore
> =>
  Effect.gen(function* () {
    const anchors = yield* (yield* Anchor.AnchorStore).list(tenant)
    const { publicKey, incremental, ...rest } = options
    return yield* verifyChain(tenant, {
      ...rest,
      anchored: { publicKey, anchors, ...(incremental === undefined ? {} : { incremental }) }
    })
  })

export interface Checkpointed {
  readonly anchor: Anchor.Anchor
  readonly verified: Verified
}

/**
 * Verifies the log from the tenant's latest anchor (or in full with `full: true`, or when there is none yet),
 * signs its head with the `Signer` and puts the anchor in the `AnchorStore`. A log that does not extend the
 * previous anchor is never signed. What `shuangbai audit anchor --anchors DIR --key FILE` runs (daily, say).
 */
export const checkpoint = (
  tenant: Tenant,
  options?: { readonly full?: boolean; readonly pageSize?: number }
): Effect.Effect<
  Checkpointed,
  ChainBroken | Anchor.AnchorRefused | Anchor.AnchorStoreError | Anchor.SignerError | EventStoreError,
  EventStore | Anchor.AnchorStore | Anchor.Signer
> =>
  Effect.gen(function* () {
    const signer = yield* Anchor.Signer
    const anchorStore = yield* Anchor.AnchorStore
    // Only the anchors this signer made: another key's anchors are not this host's to vouch for.
    const own = Anchor.keyId(signer.publicKey)
    const anchors = (yield* anchorStore.list(tenant)).filter((a) => a.key === own)
    const verified = yield* verifyChain(tenant, {
      ...(options?.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      anchored: { publicKey: signer.publicKey, anchors, incremental: options?.full !== true }
    })
    const at = instantFromMillis(yield* Clock.currentTimeMillis)
    const anchor = yield* Anchor.signWith({ tenant, position: verified.head.position, hash: verified.head.hash, at })
    yield* anchorStore.put(anchor)
    return { anchor, verified }
  })
