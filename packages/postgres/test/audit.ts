// Tamper scenarios on the Postgres store (PGlite and the server run the same ones): what someone with write
// access to the database can do to the log and its side tables, and what catches or refuses it.
import { assert, type Vitest } from "@effect/vitest"
import { EventStore, ExpectedVersion, HashChain } from "@shuangbai/eventsourcing"
import { AuditSuite } from "@shuangbai/testing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { columns, decodeAllValues } from "../src/internal/rows.ts"
import * as PgEventStore from "../src/PgEventStore.ts"
import type { PgListen } from "../src/PgListen.ts"
import * as SideTables from "../src/SideTables.ts"
import { citus, request } from "./helpers.ts"

/** `AuditSuite.Tamper` by SQL: the tenant's events replaced row by row, the head set to the new last event. */
export const sqlTamper = (schema: string): Layer.Layer<AuditSuite.Tamper, never, SqlClient.SqlClient> =>
  Layer.effect(
    AuditSuite.Tamper,
    Effect.map(SqlClient.SqlClient, (sql) => ({
      rewrite: (tenant, change) =>
        sql.withTransaction(
          Effect.gen(function* () {
            const t = (name: string) => sql(`${schema}.${name}`)
            const rows = yield* sql`SELECT ${sql.literal(columns)} FROM ${t("events")} e
              WHERE e.tenant = ${tenant} ORDER BY e.position`.values
            const decoded = decodeAllValues(rows, "columns")
            if (decoded._tag === "Err") return yield* Effect.fail(decoded.error)
            const events = change(decoded.events)
            yield* sql`DELETE FROM ${t("events")} WHERE tenant = ${tenant}`
            for (const e of events) {
              yield* sql`INSERT INTO ${t("events")} (tenant, position, category, stream_id, version, event_id, type,
                  schema_version, data, occurred_at, recorded_at, actor, command_id, correlation_id, causation_id,
                  subjects, prev_hash, hash)
                VALUES (${e.tenant}, ${e.position}, ${e.stream.category}, ${e.stream.id}, ${e.version}, ${e.eventId},
                  ${e.type}, ${e.schemaVersion}, ${JSON.stringify(e.data)}::jsonb, ${e.occurredAt},
                  ${e.recordedAt}::timestamptz, ${JSON.stringify(e.actor)}::jsonb, ${e.commandId}, ${e.correlationId},
                  ${e.causationId}, ${JSON.stringify(e.subjects)}::jsonb, ${e.prevHash}, ${e.hash})`
            }
            const last = events[events.length - 1]
            yield* sql`UPDATE ${t("heads")} SET position = ${last?.position ?? 0}, hash = ${last?.hash ?? HashChain.genesis},
                recorded_at = ${last?.recordedAt ?? null}::timestamptz
              WHERE tenant = ${tenant}`
          })
        )
    }))
  )

let tenants = 0
const freshTenant = () => `pg-audit-${Date.now().toString(36)}-${++tenants}`

/** Six appends, one event each, to two streams, with command ids cmd-1…cmd-6 and subjects hh-0…hh-2. */
const filled = Effect.gen(function* () {
  const tenant = freshTenant()
  const store = yield* EventStore.EventStore
  for (let i = 1; i <= 6; i++) {
    yield* store.append(
      yield* request(
        tenant,
        { category: "visit", id: `v${i % 2}` },
        { commandId: `cmd-${i}`, subjects: [`hh-${i % 3}`] }
      )
    )
  }
  return { tenant, store }
})

/** A store of its own on the same database: a writer that has not seen the tenant yet (no cached head). */
const freshStore = (schema: string, options: PgEventStore.Options = {}) =>
  PgEventStore.make({ schema, citus, ...options })

const disagreements = (tenant: string, schema: string) =>
  Effect.map(Effect.flip(SideTables.verify(tenant, { schema })), (error) => {
    assert.strictEqual(error._tag, "SideTablesDisagree", String(error))
    return error._tag === "SideTablesDisagree" ? error.disagreements : []
  })

/** The side-table, writer and read scenarios, for a layer holding the store in `schema`. */
export const sideTableTests = (
  it: Vitest.MethodsNonLive<EventStore.EventStore | SqlClient.SqlClient | PgListen | AuditSuite.Tamper>,
  schema: string
) => {
  const exec = (text: string, ...params: ReadonlyArray<unknown>) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(text.replaceAll("$schema", schema), params))

  it.effect("the side tables agree with the events; an incremental check reads only the events after a position", () =>
    Effect.gen(function* () {
      const { tenant } = yield* filled
      assert.strictEqual((yield* SideTables.verify(tenant, { schema })).checked, 6)
      assert.strictEqual((yield* SideTables.verify(tenant, { schema, after: 4 })).checked, 2)
    })
  )

  it.effect("deleted subject rows empty a household's history: each is reported, and rebuild restores them", () =>
    Effect.gen(function* () {
      const { tenant, store } = yield* filled
      yield* exec("DELETE FROM $schema.subjects WHERE tenant = $1 AND subject = 'hh-1'", tenant)
      assert.deepStrictEqual(yield* store.readSubject(tenant, "hh-1", { after: 0, limit: 10 }), [])
      const found = yield* disagreements(tenant, schema)
      assert.deepStrictEqual(
        found.map((d) => [d.table, d.problem, d.row.subject, d.row.position]),
        [
          ["subjects", "Missing", "hh-1", 1],
          ["subjects", "Missing", "hh-1", 4]
        ]
      )
      yield* SideTables.rebuild(tenant, { schema })
      assert.deepStrictEqual(
        (yield* store.readSubject(tenant, "hh-1", { after: 0, limit: 10 })).map((e) => e.position),
        [1, 4]
      )
      yield* SideTables.verify(tenant, { schema })
    })
  )

  it.effect("a commands row pointed at another event is reported; rebuild makes a retry find its own event", () =>
    Effect.gen(function* () {
      const { tenant, store } = yield* filled
      yield* exec(
        "UPDATE $schema.commands SET first_position = 1, last_position = 1 WHERE tenant = $1 AND command_id = 'cmd-4'",
        tenant
      )
      assert.strictEqual((yield* store.readCommand(tenant, "cmd-4"))?.[0]?.commandId, "cmd-1")
      const found = yield* disagreements(tenant, schema)
      assert.deepStrictEqual(
        found.map((d) => [d.table, d.problem, d.row.command_id, d.row.first_position, d.expected?.first_position]),
        [["commands", "Differs", "cmd-4", 1, 4]]
      )
      yield* SideTables.rebuild(tenant, { schema })
      assert.strictEqual((yield* store.readCommand(tenant, "cmd-4"))?.[0]?.commandId, "cmd-4")
    })
  )

  it.effect("a raised streams.version blocks commands: reported, and rebuild unblocks them", () =>
    Effect.gen(function* () {
      const { tenant, store } = yield* filled
      yield* exec("UPDATE $schema.streams SET version = 99 WHERE tenant = $1 AND stream_id = 'v0'", tenant)
      const next = yield* request(tenant, { category: "visit", id: "v0" }, { expected: ExpectedVersion.exact(3) })
      assert.strictEqual((yield* Effect.flip(store.append(next)))._tag, "ConcurrencyConflict")
      const found = yield* disagreements(tenant, schema)
      assert.deepStrictEqual(
        found.map((d) => [d.table, d.problem, d.row.version, d.expected?.version]),
        [["streams", "Differs", 99, 3]]
      )
      yield* SideTables.rebuild(tenant, { schema })
      assert.strictEqual((yield* store.append(next)).version, 4)
    })
  )

  it.effect("heads.recorded_at set to 2099 is reported and never stamps a later event", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { tenant } = yield* filled
        yield* exec("UPDATE $schema.heads SET recorded_at = '2099-01-01' WHERE tenant = $1", tenant)
        const found = yield* disagreements(tenant, schema)
        assert.deepStrictEqual(
          found.map((d) => [d.table, d.problem]),
          [["heads", "Differs"]]
        )
        const store = yield* freshStore(schema)
        const written = yield* store.append(yield* request(tenant, { category: "visit", id: "v9" }))
        assert.isTrue(written.events[0]!.recordedAt < "2099", written.events[0]!.recordedAt)
        yield* SideTables.verify(tenant, { schema })
      })
    )
  )

  it.effect("the writer refuses to chain onto a head whose hash is not its last event's", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { tenant } = yield* filled
        yield* exec(`UPDATE $schema.heads SET hash = '${"f".repeat(64)}' WHERE tenant = $1`, tenant)
        const store = yield* freshStore(schema)
        const error = yield* Effect.flip(store.append(yield* request(tenant, { category: "visit", id: "v9" })))
        assert.strictEqual(error._tag === "EventStoreError" && error.reason, "Corrupt")
        assert.match(error.message, /head's hash is not the hash of its last event \(position 6\)/)
        assert.strictEqual((yield* store.readAll(tenant, { after: 0, limit: 100 })).length, 6)
        yield* SideTables.rebuild(tenant, { schema })
        assert.strictEqual((yield* store.append(yield* request(tenant, { category: "visit", id: "v9" }))).version, 1)
      })
    )
  )

  it.effect("a last event re-sealed with a store time far in the future is refused, not copied forward", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { tenant } = yield* filled
        yield* AuditSuite.Tamper.use((tamper) =>
          tamper.rewrite(tenant, (events) => {
            const { hash: _, ...last } = events[events.length - 1]!
            return [...events.slice(0, -1), HashChain.seal({ ...last, recordedAt: "2099-01-01T00:00:00.000Z" })]
          })
        )
        const store = yield* freshStore(schema)
        const error = yield* Effect.flip(store.append(yield* request(tenant, { category: "visit", id: "v9" })))
        assert.match(error.message, /recorded at 2099-01-01T00:00:00.000Z, ahead of this clock/)
      })
    )
  )

  it.effect("with verifyReads an edited payload fails the read at its position; without, it is served", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { tenant, store } = yield* filled
        yield* exec(`UPDATE $schema.events SET data = '{"edited":true}' WHERE tenant = $1 AND position = 3`, tenant)
        assert.strictEqual((yield* store.readAll(tenant, { after: 0, limit: 10 })).length, 6)
        const checking = yield* freshStore(schema, { verifyReads: true })
        const error = yield* Effect.flip(checking.readAll(tenant, { after: 0, limit: 10 }))
        assert.strictEqual(error.reason, "Corrupt")
        assert.match(error.message, /position 3/)
        const stream = yield* Effect.flip(checking.readStream(tenant, { category: "visit", id: "v1" }))
        assert.match(stream.message, /position 3/)
        assert.strictEqual((yield* checking.readAll(tenant, { after: 3, limit: 10 })).length, 3)
      })
    )
  )
}
