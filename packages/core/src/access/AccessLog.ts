import {
  type CommandHandler,
  type Envelope,
  EventStore,
  EventStoreError,
  ExpectedVersion,
  IdGenerator,
  Scalars
} from "@shuangbai/eventsourcing"
import { Clock, Data, Effect, Schema } from "effect"
import type { AccessDenied } from "./AccessDenied.ts"
import { authorizeRead } from "./Handle.ts"
import { actorOf, type Principal, type Role } from "./Principal.ts"
import { describe, type Read } from "./Read.ts"

// The access log: every read of a person's data records who read it, in which role, when, what and why.
// It is a side log: the events live in the same store under the tenant's access tenant (`<tenant>~access`,
// stream `access/<day>`), so the tenant's own log, its reports, replays, relay and exports never see them,
// and the access log has a hash chain of its own (Audit.verifyChain of the access tenant). docs/audit.md.

/** The stated purpose of a read: required for personal data; 1–500 characters, not only spaces. */
export const Purpose = Schema.String.check(
  Schema.isPattern(/^(?=[\s\S]*\S)[^\p{Cc}]{1,500}$/u, { expected: "a purpose: 1–500 characters, not only spaces" })
)

/** Reads that show a person's data: a household's history, a stream, the log, lists of named people. */
export const isPersonal = (read: Read): boolean =>
  read._tag === "HouseholdHistory" ||
  read._tag === "Stream" ||
  read._tag === "Log" ||
  read._tag === "VisitSchedule" ||
  read._tag === "WorkerCaseloads"

/** A read of personal data without a purpose: nothing was read and nothing recorded. */
export class MissingPurpose extends Data.TaggedError("MissingPurpose")<{
  readonly what: string
  readonly message: string
}> {}

const missing = (read: Read, purpose: string) =>
  new MissingPurpose({
    what: describe(read),
    message:
      purpose === ""
        ? `${describe(read)} reads personal data: state its purpose (X-Purpose, --purpose)`
        : `the purpose of ${describe(read)} is 1–500 characters, not only spaces`
  })

/** The side log's tenant. */
export const tenantOf = (tenant: Envelope.Tenant): Envelope.Tenant => `${tenant}~access`

export const eventType = "PersonalDataRead"

/** One recorded read. */
export interface Entry {
  readonly position: number
  readonly recordedAt: string
  /** Who read, in the role that allowed it. */
  readonly actor: Envelope.Actor
  /** What was read, as `Access.describeRead` writes it. */
  readonly what: string
  readonly read: Read
  readonly purpose: string
}

const Data_ = Schema.Struct({ what: Schema.String, read: Schema.Unknown, purpose: Schema.String })

const entryOf = (stored: Envelope.StoredEvent): Entry => {
  const data = Schema.decodeUnknownSync(Data_)(stored.data)
  return {
    position: stored.position,
    recordedAt: stored.recordedAt,
    actor: stored.actor,
    what: data.what,
    read: data.read as Read,
    purpose: data.purpose
  }
}

const subjectsOf = (read: Read): ReadonlyArray<string> => (read._tag === "HouseholdHistory" ? [read.household] : [])

/** Appends one read to the access log of the read's tenant, as the principal in the granting role. */
export const record = (
  principal: Principal,
  role: Role,
  read: Read,
  purpose: string
): Effect.Effect<Entry, EventStoreError, EventStore.EventStore | IdGenerator.IdGenerator> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const ids = yield* IdGenerator.IdGenerator
    const now = Scalars.instantFromMillis(yield* Clock.currentTimeMillis)
    const commandId = yield* ids.next
    const result = yield* store
      .append({
        tenant: tenantOf(read.tenant),
        stream: { category: "access", id: now.slice(0, 10) },
        expected: ExpectedVersion.any,
        events: [
          {
            eventId: yield* ids.next,
            type: eventType,
            schemaVersion: 1,
            data: { what: describe(read), read, purpose },
            occurredAt: now,
            subjects: [...subjectsOf(read)]
          }
        ],
        context: { actor: actorOf(principal, role), commandId, correlationId: commandId, causationId: commandId }
      })
      .pipe(
        Effect.catchTags({
          ConcurrencyConflict: (e) => Effect.fail(new EventStoreError({ reason: "Unavailable", message: e.message })),
          IdempotencyMismatch: (e) => Effect.fail(new EventStoreError({ reason: "Unavailable", message: e.message }))
        })
      )
    return entryOf(result.events[0]!)
  })

/**
 * Authorizes a read and, when it shows personal data, records it before it is made: the one way every way
 * in (API, CLI, a host app) reads as a principal. A personal read without a purpose fails with
 * MissingPurpose before anything is checked or written; a read the policy refuses is not recorded.
 */
export const authorizeAndRecord = (
  principal: Principal,
  read: Read,
  purpose: string | undefined
): Effect.Effect<
  Role,
  AccessDenied | MissingPurpose | CommandHandler.LoadError,
  EventStore.EventStore | IdGenerator.IdGenerator
> =>
  Effect.gen(function* () {
    const personal = isPersonal(read)
    if (personal && (purpose === undefined || !Schema.is(Purpose)(purpose))) {
      return yield* Effect.fail(missing(read, purpose ?? ""))
    }
    const role = yield* authorizeRead(principal, read)
    if (personal) yield* record(principal, role, read, purpose!)
    return role
  })

const pageSize = 1_000

const collect = (
  read: (after: number) => Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, EventStoreError>
): Effect.Effect<ReadonlyArray<Entry>, EventStoreError> =>
  Effect.gen(function* () {
    const found: Array<Entry> = []
    let after = 0
    for (;;) {
      const page = yield* read(after)
      for (const stored of page) if (stored.type === eventType) found.push(entryOf(stored))
      if (page.length < pageSize) return found
      after = page[page.length - 1]!.position
    }
  })

/** The reads of the tenant, oldest first, from `after` (the access log's own positions), at most `limit`. */
export const list = (
  tenant: Envelope.Tenant,
  options: { readonly after: number; readonly limit: number }
): Effect.Effect<ReadonlyArray<Entry>, EventStoreError, EventStore.EventStore> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    Effect.map(store.readAll(tenantOf(tenant), options), (page) =>
      page.filter((stored) => stored.type === eventType).map(entryOf)
    )
  )

/** Every recorded read of one household's data, oldest first. */
export const readsOf = (
  tenant: Envelope.Tenant,
  household: string
): Effect.Effect<ReadonlyArray<Entry>, EventStoreError, EventStore.EventStore> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    collect((after) => store.readSubject(tenantOf(tenant), household, { after, limit: pageSize }))
  )
