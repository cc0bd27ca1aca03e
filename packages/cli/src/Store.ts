import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import {
  type Envelope,
  EventStore,
  type EventStoreError,
  IdGenerator,
  type SubjectKeys
} from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer, Option, type Scope } from "effect"
import { Flag } from "effect/cli"
import type { SqlClient } from "effect/sql"
import { type CliFailure, fail } from "./Failure.ts"

// Where the events are: a PostgreSQL server (`--database-url`) or PGlite embedded in this process on a
// data directory (`--data-dir`, the default). Every command takes the same flags.

export const flags = {
  databaseUrl: Flag.String("database-url").pipe(
    Flag.withDescription(
      "PostgreSQL server to use, postgres://user:password@host:port/database (env SHUANGBAI_DATABASE_URL). Without it, the embedded store on --data-dir."
    ),
    Flag.withMetavar("URL"),
    Flag.optional
  ),
  dataDir: Flag.String("data-dir").pipe(
    Flag.withDescription(
      "Directory of the embedded PGlite database, created when missing (env SHUANGBAI_DATA_DIR; default ./.shuangbai)."
    ),
    Flag.withMetavar("DIR"),
    Flag.optional
  ),
  schema: Flag.String("schema").pipe(
    Flag.withDescription("Database schema of the event store tables."),
    Flag.withMetavar("NAME"),
    Flag.withDefault(PgEventStore.defaultSchema)
  )
}

export interface Flags {
  readonly databaseUrl: Option.Option<string>
  readonly dataDir: Option.Option<string>
  readonly schema: string
}

export type Target =
  | { readonly _tag: "Server"; readonly url: string; readonly schema: string }
  | { readonly _tag: "Embedded"; readonly dataDir: string; readonly schema: string }

const env = (name: string): string | undefined => {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

/** The URL without its password, for messages. */
const shown = (url: URL): string => {
  const copy = new URL(url.href)
  if (copy.password !== "") copy.password = "***"
  return copy.href
}

/** Flags, then environment, then the default data directory. A URL is checked before anything connects. */
export const target = (flags: Flags): Effect.Effect<Target, CliFailure> =>
  Effect.suspend((): Effect.Effect<Target, CliFailure> => {
    const url = Option.getOrUndefined(flags.databaseUrl) ?? env("SHUANGBAI_DATABASE_URL")
    if (url !== undefined) {
      if (Option.isSome(flags.dataDir)) {
        return Effect.fail(fail("Usage", "give either --database-url or --data-dir, not both"))
      }
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return Effect.fail(
          fail("BadDatabaseUrl", `--database-url is not a URL: expected postgres://user:password@host:port/database`)
        )
      }
      if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
        return Effect.fail(
          fail(
            "BadDatabaseUrl",
            `--database-url ${shown(parsed)} is not a PostgreSQL URL: expected postgres://user:password@host:port/database`
          )
        )
      }
      if (parsed.hostname === "") {
        return Effect.fail(fail("BadDatabaseUrl", `--database-url ${shown(parsed)} names no host`))
      }
      return Effect.succeed({ _tag: "Server", url, schema: flags.schema })
    }
    const dataDir = resolve(Option.getOrUndefined(flags.dataDir) ?? env("SHUANGBAI_DATA_DIR") ?? ".shuangbai")
    return Effect.succeed({ _tag: "Embedded", dataDir, schema: flags.schema })
  })

export const describe = (t: Target): string =>
  t._tag === "Server"
    ? `PostgreSQL ${shown(new URL(t.url))} (schema ${t.schema})`
    : `embedded PGlite at ${t.dataDir} (schema ${t.schema})`

// ---- the data directory's lock ---------------------------------------------------------------------------

export const lockFile = (dataDir: string) => join(dataDir, "shuangbai.lock")

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * PGlite takes no lock of its own: two processes on one directory would corrupt it. The lock is a file
 * holding the owner's pid, created exclusively; one left by a process that is gone is taken over.
 */
const acquire = (dataDir: string): Effect.Effect<void, CliFailure> =>
  Effect.try({
    try: () => {
      mkdirSync(dataDir, { recursive: true })
      const path = lockFile(dataDir)
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: "wx" })
        return undefined
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      }
      const owner = Number.parseInt(readFileSync(path, "utf8"), 10)
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) return owner
      writeFileSync(path, `${process.pid}\n`)
      return undefined
    },
    catch: (error) =>
      fail("DatabaseUnavailable", `cannot use the data directory ${dataDir}: ${(error as Error).message ?? error}`)
  }).pipe(
    Effect.flatMap((owner) =>
      owner === undefined
        ? Effect.void
        : Effect.fail(
            fail(
              "DataDirLocked",
              `the data directory ${dataDir} is in use by process ${owner} (see ${lockFile(dataDir)}): stop that process, or use another --data-dir`
            )
          )
    )
  )

const release = (dataDir: string) =>
  Effect.sync(() => {
    const path = lockFile(dataDir)
    try {
      if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) rmSync(path)
    } catch {
      // already gone
    }
  })

/** Holds the data directory's lock for the scope. */
export const acquireLock = (dataDir: string): Effect.Effect<void, CliFailure, Scope.Scope> =>
  Effect.acquireRelease(acquire(dataDir), () => release(dataDir))

const locked = (dataDir: string) => Layer.effectDiscard(acquireLock(dataDir))

// ---- the layer ---------------------------------------------------------------------------------------------

/** A store failure as the CLI reports it: connection trouble and missing tables get their own exit codes. */
export const fromStoreError = (error: EventStoreError): CliFailure => {
  switch (error.reason) {
    case "Unavailable":
      return fail("DatabaseUnavailable", error.message)
    case "NotMigrated":
      return fail(
        "NotMigrated",
        `${error.message.replace(/: run the migrations.*$/, "")}: run \`shuangbai migrate\` with the same --database-url and --schema`
      )
    default:
      return fail("Failed", error.message)
  }
}

export type Services = EventStore.EventStore | SubjectKeys.SubjectKeys | IdGenerator.IdGenerator | SqlClient.SqlClient

/**
 * The store for a target. The embedded database is migrated when opened (it is this program's own) unless
 * `migrate: false`; a server is migrated only by `shuangbai migrate`.
 */
export const layer = (
  t: Target,
  options: { readonly migrate?: boolean } = {}
): Layer.Layer<Services, CliFailure | EventStoreError> => {
  const store =
    t._tag === "Server"
      ? PgEventStore.layerPg({ url: t.url, schema: t.schema, migrate: false, maxConnections: 4 })
      : Layer.provide(
          PgEventStore.layerPglite({ dataDir: t.dataDir, schema: t.schema, migrate: options.migrate ?? true }),
          locked(t.dataDir)
        )
  return Layer.merge(store, IdGenerator.layer)
}

// ---- tenants ---------------------------------------------------------------------------------------------

export const tenantFlag = Flag.String("tenant").pipe(
  Flag.withDescription("The tenant (county bureau) whose log to use (env SHUANGBAI_TENANT)."),
  Flag.withMetavar("ID"),
  Flag.optional
)

/** The tenant named by `--tenant` or SHUANGBAI_TENANT. */
export const tenantOf = (flag: Option.Option<string>): Effect.Effect<Envelope.Tenant, CliFailure> => {
  const tenant = Option.getOrUndefined(flag) ?? env("SHUANGBAI_TENANT")
  return tenant === undefined
    ? Effect.fail(fail("UnknownTenant", "--tenant is missing: name the tenant whose log to use"))
    : Effect.succeed(tenant)
}

/** A tenant that has events in this store: reading an unknown one is a mistake, not an empty report. */
export const knownTenant = (
  flag: Option.Option<string>
): Effect.Effect<Envelope.Tenant, CliFailure | EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const tenant = yield* tenantOf(flag)
    const head = yield* (yield* EventStore.EventStore).head(tenant)
    if (head.position === 0) {
      return yield* Effect.fail(
        fail(
          "UnknownTenant",
          `tenant ${tenant} has no events in this store: check --tenant and the database (a tenant begins with its first event, e.g. from \`shuangbai demo\` or \`shuangbai import\`)`
        )
      )
    }
    return tenant
  })
