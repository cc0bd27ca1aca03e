import { randomBytes } from "node:crypto"
import { Context, Effect } from "effect"
import type { Tenant } from "./Envelope.ts"
import type { EventStoreError } from "./Errors.ts"

/** A data subject's key, as the keys beside the events hold it. */
export type KeyState =
  /** 32 bytes of AES-256 key. */
  | { readonly _tag: "Live"; readonly key: Uint8Array }
  /** Erased: the key is gone and every field sealed under it reads as erased. */
  | { readonly _tag: "Destroyed" }

/** A stored row rewritten by an erasure: its version-1 plaintext payload replaced by the sealed form. */
export interface Rewrite {
  readonly position: number
  readonly schemaVersion: number
  readonly data: unknown
}

/**
 * The per-subject keys personal fields are sealed under (Sealing.ts), kept beside the events: a table of the
 * Postgres/PGlite schema, a map of the in-memory store. Reads are never served from a cache, so a key is gone
 * for every process the moment `destroy` returns.
 */
export interface SubjectKeysShape {
  /** Each subject's live key, created for those that have none (a key made for an append that then fails is harmless). */
  readonly getOrCreate: (
    tenant: Tenant,
    subjects: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, KeyState>, EventStoreError>
  /** The subjects' keys; a subject without a row is absent from the map. */
  readonly read: (
    tenant: Tenant,
    subjects: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, KeyState>, EventStoreError>
  /**
   * Destroys the subject's key (a subject without a key gets a destroyed row, so a second erasure knows) and
   * rewrites the given rows, in one transaction. True when it destroyed a live key or wrote a row now.
   */
  readonly destroy: (
    tenant: Tenant,
    subject: string,
    rewrites: ReadonlyArray<Rewrite>
  ) => Effect.Effect<boolean, EventStoreError>
  /**
   * Keys carried with an imported log (`shuangbai import --keys`): a subject without a row gets the key as
   * given; a destroyed one is destroyed here too, and a destroyed key is never brought back.
   */
  readonly restore: (
    tenant: Tenant,
    keys: ReadonlyArray<{ readonly subject: string; readonly state: KeyState }>
  ) => Effect.Effect<void, EventStoreError>
}

export class SubjectKeys extends Context.Service<SubjectKeys, SubjectKeysShape>()(
  "@shuangbai/eventsourcing/SubjectKeys"
) {}

/** A fresh AES-256 key. */
export const newKey = (): Uint8Array => new Uint8Array(randomBytes(32))

/**
 * Keys in memory, for the in-memory store: `rewrite` is how `destroy` reaches the store's rows, given by the
 * store that owns them.
 */
export const makeMemory = (rewrite: (tenant: Tenant, rewrites: ReadonlyArray<Rewrite>) => void): SubjectKeysShape => {
  const keys = new Map<string, KeyState>()
  const id = (tenant: string, subject: string) => `${tenant}\u0000${subject}`
  const read = (tenant: string, subjects: ReadonlyArray<string>) => {
    const out = new Map<string, KeyState>()
    for (const s of subjects) {
      const state = keys.get(id(tenant, s))
      if (state !== undefined) out.set(s, state)
    }
    return out
  }
  return {
    getOrCreate: (tenant, subjects) =>
      Effect.sync(() => {
        for (const s of subjects) {
          if (!keys.has(id(tenant, s))) keys.set(id(tenant, s), { _tag: "Live", key: newKey() })
        }
        return read(tenant, subjects)
      }),
    read: (tenant, subjects) => Effect.sync(() => read(tenant, subjects)),
    destroy: (tenant, subject, rewrites) =>
      Effect.sync(() => {
        const before = keys.get(id(tenant, subject))
        keys.set(id(tenant, subject), { _tag: "Destroyed" })
        rewrite(tenant, rewrites)
        return before?._tag !== "Destroyed" || rewrites.length > 0
      }),
    restore: (tenant, restored) =>
      Effect.sync(() => {
        for (const { subject, state } of restored) {
          const before = keys.get(id(tenant, subject))
          if (before === undefined || state._tag === "Destroyed") keys.set(id(tenant, subject), state)
        }
      })
  }
}
