import type { StoredEvent } from "../Envelope.ts"
import type { StreamId } from "../StreamId.ts"

// What an erasure event says about the version-1 rows it rewrote, read by the audit without the codec: the
// one shape both `Erasure.ts` (which writes it) and the chain's verification (which trusts it) share.

export const eventType = "SubjectErased"

/** The stream of a subject's erasure, in the tenant's own log (so its chain covers it). */
export const streamOf = (subject: string): StreamId => ({ category: "erasure", id: subject })

/** A rewritten row: its position, the hash it was chained with, and the hash of its content now. */
export interface Rewritten {
  readonly position: number
  readonly hash: string
  readonly content: string
}

/** The rows an erasure event attests, or none when the event is not one. */
export const attested = (event: StoredEvent): ReadonlyArray<Rewritten> => {
  if (event.type !== eventType) return []
  const rewritten = (event.data as { readonly rewritten?: unknown } | null)?.rewritten
  return Array.isArray(rewritten) ? (rewritten as ReadonlyArray<Rewritten>) : []
}
