import { EventStoreError } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"

/**
 * A schema name the host app chooses: lower-case letters, digits and `_`, at most 63 bytes, not `pg_…`
 * (reserved by PostgreSQL). It is still always passed through `sql(identifier)`, never spliced in.
 */
export const checkSchemaName = (schema: string): string | undefined => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return `schema name ${JSON.stringify(schema)} is not valid: use 1–63 lower-case letters, digits or _, starting with a letter or _`
  }
  if (schema.startsWith("pg_")) return `schema name ${schema} is not valid: the pg_ prefix is reserved by PostgreSQL`
  return undefined
}

/** The table the Migrator records applied migrations in, inside the store's schema. */
export const migrationsTable = (schema: string) => `${schema}.shuangbai_migrations`

/** The NOTIFY channel appends signal on; the payload is the tenant. */
export const channelOf = (schema: string) => schema

/**
 * The migrations, in code so that a bundled host app carries them. Every key starts with the tenant so
 * that the tables can be distributed by tenant (Citus) without change; see docs/postgres.md.
 */
export const migrations = (schema: string): Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> => ({
  "1_event_store": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const t = (name: string) => sql(`${schema}.${name}`)
    // The log. `position` is per tenant, gapless and in commit order; `occurred_at` is the business
    // time exactly as the writer gave it (and as it was hashed); `recorded_at` is store time.
    yield* sql`CREATE TABLE ${t("events")} (
      tenant text NOT NULL,
      position bigint NOT NULL,
      category text NOT NULL,
      stream_id text NOT NULL,
      version integer NOT NULL,
      event_id text NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL,
      data jsonb NOT NULL,
      occurred_at text NOT NULL,
      recorded_at timestamptz NOT NULL,
      actor jsonb NOT NULL,
      command_id text NOT NULL,
      correlation_id text NOT NULL,
      causation_id text NOT NULL,
      subjects jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      CONSTRAINT events_pkey PRIMARY KEY (tenant, position),
      CONSTRAINT events_stream_version UNIQUE (tenant, category, stream_id, version),
      CONSTRAINT events_event_id UNIQUE (tenant, event_id)
    )`
    // Current version per stream: what an expected-version check reads.
    yield* sql`CREATE TABLE ${t("streams")} (
      tenant text NOT NULL,
      category text NOT NULL,
      stream_id text NOT NULL,
      version integer NOT NULL,
      CONSTRAINT streams_pkey PRIMARY KEY (tenant, category, stream_id)
    ) WITH (fillfactor = 70)`
    // One row per tenant: its row lock serialises appends to the tenant, which is what makes
    // positions gapless and in commit order; it also seals the chain's end (truncation is visible).
    yield* sql`CREATE TABLE ${t("heads")} (
      tenant text NOT NULL,
      position bigint NOT NULL,
      hash text NOT NULL,
      recorded_at timestamptz,
      CONSTRAINT heads_pkey PRIMARY KEY (tenant)
    ) WITH (fillfactor = 50)`
    // Idempotency: what each command wrote, and the fingerprint of the request that wrote it.
    yield* sql`CREATE TABLE ${t("commands")} (
      tenant text NOT NULL,
      command_id text NOT NULL,
      fingerprint text NOT NULL,
      category text NOT NULL,
      stream_id text NOT NULL,
      version integer NOT NULL,
      first_position bigint NOT NULL,
      last_position bigint NOT NULL,
      CONSTRAINT commands_pkey PRIMARY KEY (tenant, command_id)
    )`
    // The subject index: every (tenant, subject) in position order, for readSubject by keyset.
    yield* sql`CREATE TABLE ${t("subjects")} (
      tenant text NOT NULL,
      subject text NOT NULL,
      position bigint NOT NULL,
      CONSTRAINT subjects_pkey PRIMARY KEY (tenant, subject, position)
    )`
    // Subscribers and projections: how far each has got, per tenant.
    yield* sql`CREATE TABLE ${t("checkpoints")} (
      tenant text NOT NULL,
      name text NOT NULL,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT checkpoints_pkey PRIMARY KEY (tenant, name)
    ) WITH (fillfactor = 70)`
  }),
  // The per-subject keys personal fields are sealed under (Sealing.ts). An erased subject keeps its row with
  // `key` NULL and `destroyed_at` set, so that a read tells an erased key from a lost one, and a second erasure knows.
  "2_subject_keys": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE ${sql(`${schema}.subject_keys`)} (
      tenant text NOT NULL,
      subject text NOT NULL,
      key bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      destroyed_at timestamptz,
      CONSTRAINT subject_keys_pkey PRIMARY KEY (tenant, subject),
      CONSTRAINT subject_keys_live_or_destroyed CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
    )`
  })
})

/** Creates the schema if needed and runs the pending migrations; returns those it ran. */
export const migrate = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`.pipe(
      // Two processes creating it at once: one wins, the other sees a unique violation.
      Effect.catch((error) =>
        Effect.flatMap(sql`SELECT 1 AS found FROM pg_namespace WHERE nspname = ${schema}`, (rows) =>
          rows.length > 0 ? Effect.void : Effect.fail(error)
        )
      )
    )
    return yield* Migrator.make({})({
      loader: Migrator.fromRecord(migrations(schema)),
      table: migrationsTable(schema)
    })
  })

/** The tables distributed by tenant on Citus, `events` first: the others are colocated with it. */
export const distributedTables = [
  "events",
  "heads",
  "streams",
  "commands",
  "subjects",
  "checkpoints",
  "subject_keys"
] as const

/**
 * On a Citus coordinator, distributes the store's tables by `tenant`, all colocated with `events`, so that
 * every statement of an append or a read names one shard group and runs on one worker. Tables already
 * distributed are left alone, so it can run again. The migrations table stays on the coordinator.
 */
export const distribute = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const installed = yield* sql`SELECT 1 AS found FROM pg_extension WHERE extname = 'citus'`
    if (installed.length === 0) {
      return yield* Effect.fail(
        new EventStoreError({
          reason: "InvalidRequest",
          message: `cannot distribute the event store schema ${schema}: the citus extension is not installed in this database; run CREATE EXTENSION citus on the Citus coordinator, or leave the citus option off on a single server`
        })
      )
    }
    const done = yield* sql<{ name: string }>`SELECT c.relname AS name FROM pg_dist_partition p
      JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema}`
    const already = new Set(done.map((row) => row.name))
    const distributed: Array<string> = []
    for (const name of distributedTables) {
      if (already.has(name)) continue
      yield* name === "events"
        ? sql`SELECT create_distributed_table(${`"${schema}"."${name}"`}, 'tenant')`
        : sql`SELECT create_distributed_table(${`"${schema}"."${name}"`}, 'tenant',
            colocate_with => ${`"${schema}"."events"`})`
      distributed.push(name)
    }
    return distributed
  })
