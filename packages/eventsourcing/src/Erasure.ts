import { Clock, Effect, Schema } from "effect"
import type { AppendContext, StoredEvent, Tenant } from "./Envelope.ts"
import type { EventStoreError } from "./Errors.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import * as HashChain from "./HashChain.ts"
import { IdGenerator } from "./IdGenerator.ts"
import * as Record from "./internal/erasureRecord.ts"
import * as Personal from "./Personal.ts"
import { Id, instantFromMillis } from "./Scalars.ts"
import * as Sealing from "./Sealing.ts"
import { type Rewrite, SubjectKeys } from "./SubjectKeys.ts"

// Erasure by crypto-shredding (docs/audit.md, "Erasure"): the subject's key is destroyed, so every field sealed
// under it reads as erased, in every copy of the log, while no row of the chain changes. Rows stored in
// plaintext before sealing existed (schema version 1) are rewritten to the sealed form under the key just
// before it is destroyed; the erasure event, inside the chain, attests each such row's old hash and new
// content hash, and verification accepts exactly those rows (HashChain.verifyAttested).

/**
 * The grounds for erasure of PIPL art. 47 (个人信息保护法 第四十七条): the purpose is achieved, cannot be
 * achieved or no longer needs the data (1); the service ended or the retention period expired (2); the person
 * withdrew consent (3); the processing broke a law, a regulation or the agreement (4); another ground a law
 * or regulation gives (5).
 */
export const Ground = Schema.Literals([
  "PIPL-47-1-PurposeFulfilled",
  "PIPL-47-2-RetentionEnded",
  "PIPL-47-3-ConsentWithdrawn",
  "PIPL-47-4-UnlawfulProcessing",
  "PIPL-47-5-OtherLegalGround"
])
export type Ground = typeof Ground.Type

const Text = Schema.String.check(
  Schema.isMaxLength(500),
  Schema.isPattern(/^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$/u, { expected: "1–500 characters, not only spaces" })
)

/** Why the subject may be erased: a ground of PIPL art. 47 and the case in words (the request, its date). */
export const LegalBasis = Schema.Struct({ ground: Ground, text: Text })
export type LegalBasis = typeof LegalBasis.Type

export const Request = Schema.Struct({ legalBasis: LegalBasis, reason: Text })
export type Request = typeof Request.Type

/** The erasure event, in the subject's `erasure` stream of the tenant's own log. */
export class SubjectErased extends Schema.TaggedClass<SubjectErased>()(Record.eventType, {
  subject: Id,
  legalBasis: LegalBasis,
  reason: Text,
  /** The version-1 rows rewritten to the sealed form: position, old (chained) hash, hash of the new content. */
  rewritten: Schema.Array(Schema.Struct({ position: Schema.Int, hash: Schema.String, content: Schema.String }))
}) {}

/** The codec of the erasure event: combined into a domain's codec, so a replay of the log reads it. */
export const codec = EventCodec.make({ SubjectErased })

export const streamOf = Record.streamOf

/** The request is missing a legal basis or a reason, or names a ground not in PIPL art. 47: nothing was written. */
export class InvalidErasure extends Schema.TaggedError<InvalidErasure>()("InvalidErasure", {
  subject: Schema.String,
  problem: Schema.String
}) {
  override get message() {
    return `erasure of ${this.subject} refused: ${this.problem}`
  }
}

/** No event names the subject and no key was ever made for it. */
export class SubjectNotFound extends Schema.TaggedError<SubjectNotFound>()("SubjectNotFound", {
  tenant: Schema.String,
  subject: Schema.String
}) {
  override get message() {
    return `no event of ${this.tenant} names the subject ${this.subject}: check the id (shuangbai history shows a household's persons)`
  }
}

export interface Erased {
  /** The erasure event as stored. */
  readonly event: StoredEvent
  /** How many version-1 rows were rewritten to the sealed form. */
  readonly rewritten: number
  /** True when the subject had been erased already: the first erasure's event, nothing written now. */
  readonly duplicate: boolean
}

const decodeRequest = Schema.decodeUnknownResult(Request)

/** Every event naming the subject. */
const subjectEvents = (tenant: Tenant, subject: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const out: Array<StoredEvent> = []
    while (true) {
      const page = yield* store.readSubject(tenant, subject, { after: out.at(-1)?.position ?? 0, limit: 1000 })
      out.push(...page)
      if (page.length < 1000) return out
    }
  })

/**
 * The sealed form of each version-1 row holding a personal field of the subject: the row upcast to the
 * current version, each personal field sealed under its subject's key with a derived IV (so a retried
 * erasure writes the same bytes), and the hash of the row's new content.
 */
const rewritesOf = (
  tenant: Tenant,
  subject: string,
  events: ReadonlyArray<StoredEvent>,
  codec: EventCodec.EventCodec<any>
) =>
  Effect.gen(function* () {
    const keys = yield* SubjectKeys
    const old = events.flatMap((event) => {
      const paths = codec.personal(event.type)
      const current = codec.schemaVersion(event.type)
      if (paths.length === 0 || event.schemaVersion >= current) return []
      const located = Personal.locate(paths, event.data, event.subjects)
      return located.some((l) => l.subject === subject) ? [{ event, located, current }] : []
    })
    if (old.length === 0) return []
    const found = yield* keys.getOrCreate(tenant, [...new Set(old.flatMap((o) => o.located.map((l) => l.subject)))])
    return old.map(({ event, located, current }): Rewrite & Record.Rewritten => {
      const data = Sealing.sealPayload(event.eventId, event.data, located, found, true)
      const content = HashChain.hashOf({ ...event, schemaVersion: current, data })
      return { position: event.position, schemaVersion: current, data, hash: event.hash, content }
    })
  })

const erasureOf = (tenant: Tenant, subject: string) =>
  Effect.flatMap(EventStore, (store) =>
    store.readStream(tenant, streamOf(subject)).pipe(
      Effect.map((events) => events[0]),
      Effect.catchTag("StreamNotFound", () => Effect.succeed(undefined))
    )
  )

/**
 * Erases a data subject: appends `SubjectErased` (actor from `context`, the legal basis and reason) to the
 * subject's erasure stream, rewrites the subject's version-1 rows to the sealed form, and destroys the
 * subject's key. A second erasure returns the first one's event and writes nothing. `codec` is the domain's
 * codec, which knows the personal fields of every event type.
 */
export const erase = (
  tenant: Tenant,
  subject: string,
  request: Request,
  context: AppendContext,
  codec: EventCodec.EventCodec<any>
): Effect.Effect<Erased, InvalidErasure | SubjectNotFound | EventStoreError, EventStore | SubjectKeys | IdGenerator> =>
  Effect.gen(function* () {
    const decoded = decodeRequest(request)
    if (decoded._tag === "Failure") {
      return yield* Effect.fail(
        new InvalidErasure({
          subject,
          problem: `a legal basis (a ground of PIPL art. 47: ${Ground.literals.join(", ")}, and its text) and a reason are required: ${decoded.failure.message}`
        })
      )
    }
    const store = yield* EventStore
    const keys = yield* SubjectKeys
    const state = (yield* keys.read(tenant, [subject])).get(subject)
    const earlier = yield* erasureOf(tenant, subject)
    if (state?._tag === "Destroyed" && earlier !== undefined) return { event: earlier, rewritten: 0, duplicate: true }
    const events = (yield* subjectEvents(tenant, subject)).filter((e) => e.type !== Record.eventType)
    if (state === undefined && events.length === 0) return yield* Effect.fail(new SubjectNotFound({ tenant, subject }))
    const rewrites = yield* rewritesOf(tenant, subject, events, codec)
    let event = earlier
    if (event === undefined) {
      const encoded = codec.encode(
        new SubjectErased({
          subject,
          legalBasis: decoded.success.legalBasis,
          reason: decoded.success.reason,
          rewritten: rewrites.map(({ position, hash, content }) => ({ position, hash, content }))
        })
      )
      const eventId = yield* (yield* IdGenerator).next
      const now = yield* Clock.currentTimeMillis
      const appended = yield* store
        .append({
          tenant,
          stream: streamOf(subject),
          expected: ExpectedVersion.noStream,
          events: [
            {
              eventId,
              type: encoded.type,
              schemaVersion: encoded.schemaVersion,
              data: encoded.data,
              occurredAt: instantFromMillis(now),
              subjects: [subject]
            }
          ],
          context
        })
        .pipe(
          // Another erasure of the subject got there first: its event stands.
          Effect.catchTag("ConcurrencyConflict", () => Effect.succeed(undefined)),
          Effect.catchTag("IdempotencyMismatch", () => Effect.succeed(undefined))
        )
      event = appended?.events[0] ?? (yield* erasureOf(tenant, subject))
      if (event === undefined) return yield* Effect.die(new Error(`the erasure stream of ${subject} vanished`))
    }
    // The event attests the rewrites it was written with; a retry after a crash here computes the same ones.
    yield* keys.destroy(
      tenant,
      subject,
      rewrites.map(({ position, schemaVersion, data }) => ({ position, schemaVersion, data }))
    )
    return { event, rewritten: rewrites.length, duplicate: earlier !== undefined }
  })
