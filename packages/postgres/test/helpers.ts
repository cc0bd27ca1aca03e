import { randomBytes } from "node:crypto"
import { EventStore, ExpectedVersion, IdGenerator, type SubjectKeys } from "@shuangbai/eventsourcing"
import { Services } from "@shuangbai/testing"
import { Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import * as PgEventStore from "../src/PgEventStore.ts"

export const { describePg, pgUrl } = Services

export const randomSchema = () => `sb_test_${randomBytes(6).toString("hex")}`

/** Drops the schema when the layer is released (after the tests that used it). */
const dropOnRelease = (schema: string) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
    })
  )

/**
 * `SHUANGBAI_PG_CITUS=1`: SHUANGBAI_PG_URL is a Citus coordinator, and each test schema's tables are
 * distributed by tenant (docs/postgres.md, "Citus"; never set in CI).
 */
export const citus = process.env.SHUANGBAI_PG_CITUS === "1"

/** The store on the server in a fresh schema, migrated (and distributed on Citus), dropped at the end. */
export const serverLayer = (
  options: Omit<PgEventStore.PgOptions, "url"> = {},
  schema = randomSchema()
): Layer.Layer<
  Layer.Success<ReturnType<typeof PgEventStore.layerPg>> | SubjectKeys.SubjectKeys,
  Layer.Error<ReturnType<typeof PgEventStore.layerPg>>
> => {
  const store = PgEventStore.layerPg({ url: pgUrl, migrate: true, maxConnections: 20, citus, ...options, schema })
  return Layer.provideMerge(dropOnRelease(schema), store)
}

const context = (commandId: string) => ({
  actor: { id: "worker-1", role: "worker", station: "st-1" },
  commandId,
  correlationId: commandId,
  causationId: commandId
})

const ids = IdGenerator.layer

/** A request with `n` events, fresh event ids and the given command id. */
export const request = (
  tenant: string,
  stream: { category: string; id: string },
  options: {
    readonly expected?: ExpectedVersion.ExpectedVersion
    readonly commandId?: string
    readonly n?: number
    readonly data?: (i: number) => unknown
    readonly subjects?: ReadonlyArray<string>
  } = {}
): Effect.Effect<EventStore.AppendRequest> =>
  Effect.gen(function* () {
    const gen = yield* IdGenerator.IdGenerator
    const events = []
    for (let i = 0; i < (options.n ?? 1); i++) {
      events.push({
        eventId: yield* gen.next,
        type: "Happened",
        schemaVersion: 1,
        data: options.data?.(i) ?? { i, note: "家访 home visit" },
        occurredAt: "2026-03-01T08:00:00.000Z",
        subjects: options.subjects ?? []
      })
    }
    return {
      tenant,
      stream,
      expected: options.expected ?? ExpectedVersion.any,
      events,
      context: context(options.commandId ?? (yield* gen.next))
    }
  }).pipe(Effect.provide(ids))

/**
 * Appends as a client should after killing connections: a pooled connection may still be dead right
 * after the kill, so the store says Unavailable (outcome unknown, retryable), and sending the same
 * request again is safe because its commandId is the same.
 */
export const appendRetrying = (appendRequest: EventStore.AppendRequest) =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    store.append(appendRequest).pipe(
      Effect.retry({
        while: (error) => error._tag === "EventStoreError" && error.isRetryable,
        schedule: Schedule.spaced("50 millis"),
        times: 10
      })
    )
  )
