// `npm run bench -- store [--full]`: PgEventStore on the PostgreSQL server and on PGlite, each row side
// by side with a raw baseline that writes and reads the same rows in the same table shape without the
// store's guarantees (raw `pg` on the server, PGlite's own `query` embedded). See docs/benchmarks.md.
import { randomBytes } from "node:crypto"
import { ConcurrencyConflict, EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { PgEventStore, PgliteClient } from "@shuangbai/postgres"
import { Effect, Exit, type Layer, ManagedRuntime, Stream } from "effect"
import { SqlClient } from "effect/sql"
import pg from "pg"
import { makeRawWriter, type Raw, rawReadPage, rawReadStream, request } from "./internal/storeWorkload.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compare } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Sizes {
  /** Rounds per row; each prints the median. */
  readonly runs: number
  /** Row 1: appends of one event, per round. */
  readonly single: number
  /** Row 2: appends of 100 events, per round. */
  readonly batches: number
  /** Row 3: appends of one event per writer, per round (8 writers). */
  readonly perWriter: number
  /** Row 4: successful events per round, all 8 writers together. */
  readonly raced: number
  /** Row 5: the stream read whole. */
  readonly streamEvents: number
  /** Rows 6 and 7: the tenant's log (the stream of row 5 included). */
  readonly logEvents: number
}

const quick: Sizes = {
  runs: 3,
  single: 150,
  batches: 10,
  perWriter: 40,
  raced: 120,
  streamEvents: 10_000,
  logEvents: 20_000
}
const full: Sizes = {
  runs: 5,
  single: 1_000,
  batches: 50,
  perWriter: 250,
  raced: 800,
  streamEvents: 10_000,
  logEvents: 100_000
}

const writers = 8
const pageSize = 1_000

/** One database with the store in one schema and a copy of its tables, for the baseline, in another. */
interface Backend {
  readonly name: string
  readonly store: EventStore.EventStoreShape
  /** `writers` raw connections (PGlite has one session: the same one `writers` times). */
  readonly raw: ReadonlyArray<Raw>
  readonly storeSchema: string
  readonly rawSchema: string
  readonly sql: (statement: string) => Promise<void>
  readonly close: () => Promise<void>
}

/** Store and baseline figures of one row, in events/s. */
interface Figures {
  readonly store: number
  readonly raw: number
}

const run$ = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

// Rows ------------------------------------------------------------------------------------------

/** 1. One event per append, one after another: each pays a whole transaction and its commit. */
const singleAppends = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-single"
  const writer = makeRawWriter(b.rawSchema)
  return pair(
    size,
    (run) =>
      run$(
        Effect.gen(function* () {
          const stream = { category: "visit", id: `single-${run}` }
          for (let v = 0; v < size.single; v++) {
            yield* b.store.append(request(tenant, stream, ExpectedVersion.exact(v), 1))
          }
          return size.single
        })
      ),
    async (run) => {
      const stream = { category: "visit", id: `single-${run}` }
      for (let i = 0; i < size.single; i++) await writer.insert(b.raw[0]!, tenant, stream, 1)
      return size.single
    }
  )
}

/** 2. 100 events per append; the baseline is one multi-row INSERT of 100 rows. */
const batchAppends = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-batch"
  const writer = makeRawWriter(b.rawSchema)
  return pair(
    size,
    (run) =>
      run$(
        Effect.gen(function* () {
          const stream = { category: "visit", id: `batch-${run}` }
          for (let i = 0; i < size.batches; i++) {
            yield* b.store.append(request(tenant, stream, ExpectedVersion.exact(i * 100), 100))
          }
          return size.batches * 100
        })
      ),
    async (run) => {
      const stream = { category: "visit", id: `batch-${run}` }
      for (let i = 0; i < size.batches; i++) await writer.insert(b.raw[0]!, tenant, stream, 100)
      return size.batches * 100
    }
  )
}

/** 3. Eight writers, each on its own stream of one tenant, one event per append (group commit). */
const concurrentWriters = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-writers"
  const writer = makeRawWriter(b.rawSchema)
  const streamOf = (run: number, w: number) => ({ category: "visit", id: `w${w}-${run}` })
  return pair(
    size,
    (run) =>
      run$(
        Effect.forEach(
          Array.from({ length: writers }, (_, w) => w),
          (w) =>
            Effect.gen(function* () {
              for (let v = 0; v < size.perWriter; v++) {
                yield* b.store.append(request(tenant, streamOf(run, w), ExpectedVersion.exact(v), 1))
              }
            }),
          { concurrency: "unbounded", discard: true }
        ).pipe(Effect.as(writers * size.perWriter))
      ),
    async (run) => {
      await Promise.all(
        b.raw.map(async (conn, w) => {
          for (let i = 0; i < size.perWriter; i++) await writer.insert(conn, tenant, streamOf(run, w), 1)
        })
      )
      return writers * size.perWriter
    }
  )
}

/**
 * 4. Eight writers on one stream, as command handlers would: append at the version they know; on a
 * conflict read the events they missed (their state catches up) and try again. Counts events written.
 */
const racingWriters = async (b: Backend, size: Sizes): Promise<Figures & { readonly conflicts: number }> => {
  const tenant = "t-race"
  let conflicts = 0
  const figures = await pair(size, (run) => {
    const stream = { category: "case", id: `race-${run}` }
    let written = 0
    const writer = Effect.gen(function* () {
      let known = 0
      // Bounded: far more attempts than any fair interleaving needs.
      for (let attempt = 0; attempt < size.raced * 20 && written < size.raced; attempt++) {
        const exit = yield* Effect.exit(b.store.append(request(tenant, stream, ExpectedVersion.exact(known), 1)))
        if (Exit.isSuccess(exit)) {
          known = exit.value.version
          written += 1
          continue
        }
        const error = Exit.findErrorOption(exit)
        if (error._tag === "None" || !(error.value instanceof ConcurrencyConflict))
          return yield* Effect.failCause(exit.cause)
        conflicts += 1
        const missed = yield* b.store.readStream(tenant, stream, { fromVersion: known + 1 })
        known = missed.length > 0 ? missed[missed.length - 1]!.version : known
      }
    })
    return run$(
      Effect.forEach(Array.from({ length: writers }), () => writer, { concurrency: "unbounded", discard: true }).pipe(
        Effect.map(() => written)
      )
    )
  })
  return { ...figures, conflicts: conflicts / size.runs }
}

/** Fills the read tenant: the big stream, interleaved with other streams up to `logEvents`. */
const populate = async (b: Backend, size: Sizes) => {
  const tenant = "t-read"
  const rounds = size.streamEvents / 100
  const others = (size.logEvents - size.streamEvents) / rounds
  await run$(
    Effect.gen(function* () {
      for (let round = 0; round < rounds; round++) {
        yield* b.store.append(request(tenant, bigStream, ExpectedVersion.any, 100))
        yield* b.store.append(request(tenant, { category: "case", id: `c-${round}` }, ExpectedVersion.any, others))
      }
    })
  )
  // The baseline reads the very same rows.
  await b.sql(`INSERT INTO ${b.rawSchema}.events SELECT * FROM ${b.storeSchema}.events WHERE tenant = '${tenant}'`)
  await b.sql(`ANALYZE ${b.storeSchema}.events`)
  await b.sql(`ANALYZE ${b.rawSchema}.events`)
}

const bigStream = { category: "household", id: "hh-big" }

/** 5. The big stream read whole, by version. */
const readOneStream = (b: Backend, size: Sizes): Promise<Figures> =>
  pair(
    size,
    () => run$(Effect.map(b.store.readStream("t-read", bigStream), (events) => events.length)),
    async () => (await rawReadStream(b.raw[0]!, b.rawSchema, "t-read", bigStream)).rows.length
  )

/** 6. The tenant's whole log, a page of 1,000 at a time. */
const readAllPages = (b: Backend, size: Sizes): Promise<Figures> =>
  pair(
    size,
    () =>
      run$(
        Effect.gen(function* () {
          let after = 0
          let count = 0
          for (let page = 0; page <= size.logEvents / pageSize + 1; page++) {
            const events = yield* b.store.readAll("t-read", { after, limit: pageSize })
            count += events.length
            if (events.length < pageSize) break
            after = events[events.length - 1]!.position
          }
          return count
        })
      ),
    async () => {
      let after = 0
      let count = 0
      for (let page = 0; page <= size.logEvents / pageSize + 1; page++) {
        const { rows } = await rawReadPage(b.raw[0]!, b.rawSchema, "t-read", after, pageSize)
        count += rows.length
        if (rows.length < pageSize) break
        after = Number(rows[rows.length - 1]!.position)
      }
      return count
    }
  )

/** 7. A subscriber catching up from position 0 over the same log (no baseline: the target is absolute). */
const catchUp = (b: Backend, size: Sizes): Promise<Figures> =>
  pair(size, () => run$(b.store.subscribe("t-read", { after: 0 }).pipe(Stream.take(size.logEvents), Stream.runCount)))

const pair = async (
  size: Sizes,
  store: (run: number) => Promise<number>,
  raw?: (run: number) => Promise<number>
): Promise<Figures> => {
  const { a, b } = await compare(size.runs, store, raw)
  return { store: a, raw: b }
}

// Backends --------------------------------------------------------------------------------------

const names = () => {
  const id = randomBytes(4).toString("hex")
  return { storeSchema: `bench_store_${id}`, rawSchema: `bench_raw_${id}` }
}

const open = async <R>(
  name: string,
  layer: Layer.Layer<R | SqlClient.SqlClient | EventStore.EventStore, unknown>,
  schemas: { storeSchema: string; rawSchema: string },
  rawConnections: (
    runtime: ManagedRuntime.ManagedRuntime<R | SqlClient.SqlClient | EventStore.EventStore, unknown>
  ) => Promise<{
    readonly raw: ReadonlyArray<Raw>
    readonly close: () => Promise<void>
  }>
): Promise<Backend> => {
  const runtime = ManagedRuntime.make(layer)
  const sql = (statement: string) =>
    runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (client) => Effect.asVoid(client.unsafe(statement))))
  try {
    const store = await runtime.runPromise(EventStore.EventStore)
    await runtime.runPromise(PgEventStore.migrate(schemas.rawSchema))
    const raw = await rawConnections(runtime)
    return {
      name,
      store,
      raw: raw.raw,
      ...schemas,
      sql,
      close: async () => {
        await raw.close()
        await sql(`DROP SCHEMA IF EXISTS ${schemas.rawSchema} CASCADE`).catch(() => undefined)
        await sql(`DROP SCHEMA IF EXISTS ${schemas.storeSchema} CASCADE`).catch(() => undefined)
        await runtime.dispose()
      }
    }
  } catch (error) {
    await sql(`DROP SCHEMA IF EXISTS ${schemas.rawSchema} CASCADE`).catch(() => undefined)
    await sql(`DROP SCHEMA IF EXISTS ${schemas.storeSchema} CASCADE`).catch(() => undefined)
    await runtime.dispose()
    throw error
  }
}

const server = (): Promise<Backend> => {
  const schemas = names()
  return open(
    "server",
    PgEventStore.layerPg({ url, schema: schemas.storeSchema, migrate: true, maxConnections: writers + 2 }),
    schemas,
    async () => {
      const clients = Array.from({ length: writers }, () => new pg.Client({ connectionString: url }))
      await Promise.all(clients.map((c) => c.connect()))
      return { raw: clients, close: async () => void (await Promise.all(clients.map((c) => c.end()))) }
    }
  )
}

const pglite = (): Promise<Backend> => {
  const schemas = names()
  return open("PGlite", PgEventStore.layerPglite({ schema: schemas.storeSchema }), schemas, async (runtime) => {
    // PGlite's own query API on the store's instance, used only while the store is idle.
    const client = await runtime.runPromise(PgliteClient.PgliteClient)
    const conn: Raw = { query: (text, params) => client.pglite.query(text, params) }
    return { raw: Array.from({ length: writers }, () => conn), close: async () => undefined }
  })
}

// Report ----------------------------------------------------------------------------------------

interface Row {
  readonly label: string
  readonly figures: Figures
  /** The store ÷ baseline ratio this row must reach, if it has one. */
  readonly minRatio?: number
  /** The events/s this row must reach, if it has one. */
  readonly minRate?: number
  readonly note?: string
}

const measure = async (b: Backend, size: Sizes): Promise<Array<Row>> => {
  const progress = (label: string) => process.stderr.write(`  ${b.name}: ${label}…\n`)
  progress("1 single appends")
  const single = await singleAppends(b, size)
  progress("2 batches of 100")
  const batches = await batchAppends(b, size)
  progress("3 eight writers, eight streams")
  const concurrent = await concurrentWriters(b, size)
  progress("4 eight writers, one stream")
  const raced = await racingWriters(b, size)
  progress(`populating ${size.logEvents.toLocaleString("en-US")} events`)
  await populate(b, size)
  progress("5 read one stream")
  const stream = await readOneStream(b, size)
  progress("6 read all")
  const all = await readAllPages(b, size)
  progress("7 catch-up")
  const caught = await catchUp(b, size)
  const n = (x: number) => x.toLocaleString("en-US")
  return [
    { label: "1 single appends", figures: single, minRatio: 0.9 },
    { label: "2 batches of 100", figures: batches, minRatio: 0.6 },
    { label: "3 8 writers, 8 streams", figures: concurrent, minRatio: 1.0 },
    {
      label: "4 8 writers, 1 stream",
      figures: { store: raced.store, raw: concurrent.raw },
      note: `${Math.round(raced.conflicts)} conflicts/round; baseline = row 3`
    },
    { label: `5 read 1 stream (${n(size.streamEvents)})`, figures: stream },
    { label: `6 read all (${n(size.logEvents)})`, figures: all, minRatio: 0.8 },
    { label: `7 catch-up (${n(size.logEvents)})`, figures: caught, minRate: 50_000 }
  ]
}

const mark = (ok: boolean) => (ok ? "✓" : "✗")

const targetOf = (row: Row): string => {
  const r = row.figures.store / row.figures.raw
  if (row.minRatio !== undefined) return `≥ ${row.minRatio.toFixed(1)}× ${mark(r >= row.minRatio)}`
  if (row.minRate !== undefined) return `≥ ${perSecond(row.minRate)}/s ${mark(row.figures.store >= row.minRate)}`
  return ""
}

const printServer = (rows: ReadonlyArray<Row>) =>
  printTable(
    ["row (server)", "store ev/s", "raw pg ev/s", "store ÷ raw", "target", "note"],
    rows.map((row) => [
      row.label,
      perSecond(row.figures.store),
      perSecond(row.figures.raw),
      ratio(row.figures.store / row.figures.raw),
      targetOf(row),
      row.note ?? ""
    ])
  )

const printPglite = (rows: ReadonlyArray<Row>, serverRows: ReadonlyArray<Row> | undefined) =>
  printTable(
    ["row (PGlite)", "store ev/s", "raw PGlite ev/s", "store ÷ raw", "PGlite ÷ server", "target ≥ 0.33×"],
    rows.map((row, i) => {
      const vsServer = serverRows === undefined ? Number.NaN : row.figures.store / serverRows[i]!.figures.store
      return [
        row.label,
        perSecond(row.figures.store),
        perSecond(row.figures.raw),
        ratio(row.figures.store / row.figures.raw),
        ratio(vsServer),
        Number.isFinite(vsServer) ? mark(vsServer >= 1 / 3) : ""
      ]
    })
  )

const suite = async (open: () => Promise<Backend>, size: Sizes): Promise<Array<Row> | undefined> => {
  let backend: Backend
  try {
    backend = await open()
  } catch (error) {
    console.log(`(skipped: ${error instanceof Error ? error.message : String(error)})\n`)
    return undefined
  }
  try {
    return await measure(backend, size)
  } finally {
    await backend.close()
  }
}

export const run = async ({ full: isFull }: { full: boolean }): Promise<void> => {
  const size = isFull ? full : quick
  console.log(
    `PgEventStore vs raw SQL on the same table shape; median of ${size.runs} rounds, events/s; ${writers} writers in rows 3–4.\n`
  )
  const serverRows = await suite(server, size)
  if (serverRows !== undefined) {
    console.log(`### PostgreSQL server (${url.replace(/\/\/[^@]*@/, "//")})\n`)
    printServer(serverRows)
    console.log()
  }
  const pgliteRows = await suite(pglite, size)
  if (pgliteRows !== undefined) {
    console.log("### PGlite (in memory)\n")
    printPglite(pgliteRows, serverRows)
    console.log()
  }
}
