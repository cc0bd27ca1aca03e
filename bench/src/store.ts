// `npm run bench -- store` (quick) or `npm run bench -- store -- --full`: PgEventStore on the PostgreSQL server and on PGlite, each row side
// by side with a raw baseline that writes and reads the same rows in the same table shape without the
// store's guarantees (raw `pg` on the server, PGlite's own `query` embedded) and, on the server, with
// Emmett (`@event-driven-io/emmett-postgresql`) in a database of its own. See docs/benchmarks.md.
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { ConcurrencyConflict, EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { PgEventStore, type PgListen, PgliteClient } from "@shuangbai/postgres"
import { Effect, Exit, type Layer, ManagedRuntime, Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import pg from "pg"
import * as Emmett from "./internal/emmett.ts"
import { makeRawWriter, type Raw, rawReadPage, rawReadStream, request } from "./internal/storeWorkload.ts"
import { type CpuPerEvent, cpuMeter } from "./util/cpu.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compare, compareSides } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
/**
 * `SHUANGBAI_PG_CITUS=1`: the server is a Citus coordinator; the store's and the baseline's tables are
 * distributed by tenant and the store runs with `citus: true` (docs/postgres.md, "Citus").
 */
const citus = process.env.SHUANGBAI_PG_CITUS === "1"

interface Sizes {
  /** Rounds per row, store and baseline alternating; each figure is the median. */
  readonly runs: number
  /** Row 1: appends of one event per round. */
  readonly single: number
  /** Row 2: appends of 100 events per round, into one stream of the round. */
  readonly batches: number
  /** Row 3: appends of one event per writer per round. */
  readonly perWriter: number
  /** Row 4: events written per round, all writers together. */
  readonly raced: number
  /** Row 5: the stream read whole. */
  readonly streamEvents: number
  /** Rows 6 and 7: the tenant's whole log (row 5's stream included). */
  readonly logEvents: number
}

const quick: Sizes = {
  runs: 3,
  single: 40,
  batches: 3,
  perWriter: 10,
  raced: 24,
  streamEvents: 2_000,
  logEvents: 5_000
}

const full: Sizes = {
  runs: 5,
  single: 300,
  batches: 100,
  perWriter: 60,
  raced: 150,
  streamEvents: 10_000,
  logEvents: 100_000
}

const writers = 8
const pageSize = 1_000

/** One database: the store in one schema, a copy of its tables in another for the baseline. */
interface Backend {
  readonly name: string
  readonly store: EventStore.EventStoreShape
  /** The same store with `groupCommit: false`: every append its own transaction. */
  readonly ungrouped: EventStore.EventStoreShape
  /** `writers` raw connections (PGlite has one session: the same one `writers` times). */
  readonly raw: ReadonlyArray<Raw>
  readonly storeSchema: string
  readonly rawSchema: string
  /** The peer, on the server only. */
  readonly emmett: Emmett.Emmett | undefined
  readonly sql: (statement: string) => Promise<ReadonlyArray<Record<string, unknown>>>
  readonly close: () => Promise<void>
}

/** Node CPU per event of each side of a row, in µs (with the local server's, where it can be seen). */
interface RowCpu {
  readonly store: CpuPerEvent
  readonly raw: CpuPerEvent
  readonly emmett: CpuPerEvent | undefined
}

/**
 * A row's figures: medians in events/s, and the medians of the per-round ratios store ÷ raw and store ÷
 * Emmett (NaN where a side did not run).
 */
interface Figures {
  readonly store: number
  readonly raw: number
  readonly ratio: number
  readonly emmett: number
  readonly vsEmmett: number
  readonly cpu?: RowCpu
}

type Side = (run: number) => Promise<number>

/** Every side of a row in the same rounds, their order rotated per round, each one's CPU added up. */
const sides = async (size: Sizes, store: Side, raw: Side, emmett: Side | undefined): Promise<Figures> => {
  const counted = (run: number) => run >= 0
  const meters = [cpuMeter(), cpuMeter(), cpuMeter()] as const
  const measured = [store, raw, ...(emmett === undefined ? [] : [emmett])].map((side, i) =>
    meters[i]!.measure(side, counted)
  )
  const { rates, ratios } = await compareSides(size.runs, measured)
  return {
    store: rates[0]!,
    raw: rates[1]!,
    ratio: ratios[1]!,
    emmett: rates[2] ?? Number.NaN,
    vsEmmett: ratios[2] ?? Number.NaN,
    cpu: {
      store: meters[0].perEvent(),
      raw: meters[1].perEvent(),
      emmett: emmett === undefined ? undefined : meters[2].perEvent()
    }
  }
}

/** The Emmett side of a row, where the backend has Emmett. */
const withEmmett = (b: Backend, side: (emmett: Emmett.Emmett) => Side): Side | undefined =>
  b.emmett === undefined ? undefined : side(b.emmett)

const run$ = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

// Rows ------------------------------------------------------------------------------------------

/** 1. One event per append, one after another: each append is a transaction and a commit. */
const singleAppends = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-single"
  const writer = makeRawWriter(b.rawSchema)
  const streamOf = (run: number) => ({ category: "visit", id: `single-${run}` })
  return sides(
    size,
    (run) =>
      run$(
        Effect.gen(function* () {
          for (let v = 0; v < size.single; v++) {
            yield* b.store.append(request(tenant, streamOf(run), ExpectedVersion.exact(v), 1))
          }
          return size.single
        })
      ),
    async (run) => {
      for (let i = 0; i < size.single; i++) await writer.insert(b.raw[0]!, tenant, streamOf(run), 1)
      return size.single
    },
    withEmmett(b, (e) => async (run) => {
      const stream = Emmett.streamName(tenant, streamOf(run))
      for (let v = 0; v < size.single; v++) await Emmett.append(e.store, stream, 1, v)
      return size.single
    })
  )
}

/**
 * 2. 100 events per append, a fresh stream each round filled to `batches` × 100 events (10,000 at the full
 * size); the baseline is one multi-row INSERT of 100 rows.
 */
const batchAppends = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-batch"
  const writer = makeRawWriter(b.rawSchema)
  const streamOf = (run: number) => ({ category: "visit", id: `batch-${run}` })
  return sides(
    size,
    (run) =>
      run$(
        Effect.gen(function* () {
          for (let i = 0; i < size.batches; i++) {
            yield* b.store.append(request(tenant, streamOf(run), ExpectedVersion.exact(i * 100), 100))
          }
          return size.batches * 100
        })
      ),
    async (run) => {
      for (let i = 0; i < size.batches; i++) await writer.insert(b.raw[0]!, tenant, streamOf(run), 100)
      return size.batches * 100
    },
    withEmmett(b, (e) => async (run) => {
      const stream = Emmett.streamName(tenant, streamOf(run))
      for (let i = 0; i < size.batches; i++) await Emmett.append(e.store, stream, 100, i * 100)
      return size.batches * 100
    })
  )
}

/** Eight writers, each on its own stream of `tenant`, one event per append. */
const ownStreams = (store: EventStore.EventStoreShape, tenant: string, size: Sizes, run: number) =>
  run$(
    Effect.forEach(
      range(writers),
      (w) =>
        Effect.gen(function* () {
          const stream = { category: "visit", id: `w${w}-${run}` }
          for (let v = 0; v < size.perWriter; v++) {
            yield* store.append(request(tenant, stream, ExpectedVersion.exact(v), 1))
          }
        }),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.as(writers * size.perWriter))
  )

/** Eight Emmett writers, each on its own stream, one event per append. */
const emmettOwnStreams = (e: Emmett.Emmett, tenant: string, size: Sizes, run: number) =>
  Promise.all(
    range(writers).map(async (w) => {
      const stream = Emmett.streamName(tenant, { category: "visit", id: `w${w}-${run}` })
      for (let v = 0; v < size.perWriter; v++) await Emmett.append(e.store, stream, 1, v)
    })
  ).then(() => writers * size.perWriter)

/** 3. Eight writers, each on its own stream of one tenant (group commit). */
const concurrentWriters = (b: Backend, size: Sizes): Promise<Figures> => {
  const tenant = "t-writers"
  const writer = makeRawWriter(b.rawSchema)
  const streamOf = (run: number, w: number) => ({ category: "visit", id: `w${w}-${run}` })
  return sides(
    size,
    (run) => ownStreams(b.store, tenant, size, run),
    async (run) => {
      await Promise.all(
        b.raw.map(async (conn, w) => {
          for (let i = 0; i < size.perWriter; i++) await writer.insert(conn, tenant, streamOf(run, w), 1)
        })
      )
      return writers * size.perWriter
    },
    withEmmett(b, (e) => (run) => emmettOwnStreams(e, tenant, size, run))
  )
}

/**
 * 4. Eight writers on one stream, as command handlers: append at the version they know; on a conflict
 * read the events they missed (their state catches up) and try again. Counts the events written; the
 * raw baseline is row 3's, which has no conflicts to lose. Emmett's writers do the same through its API.
 */
const racingWriters = async (b: Backend, size: Sizes, baseline: Figures): Promise<Figures & { conflicts: number }> => {
  const tenant = "t-race"
  let conflicts = 0
  const store: Side = (run) => {
    const stream = { category: "case", id: `race-${run}` }
    let written = 0
    const handler = Effect.gen(function* () {
      let known = 0
      // Bounded: far more attempts than any interleaving needs.
      for (let attempt = 0; attempt < size.raced * 20 && written < size.raced; attempt++) {
        const exit = yield* Effect.exit(b.store.append(request(tenant, stream, ExpectedVersion.exact(known), 1)))
        if (Exit.isSuccess(exit)) {
          known = exit.value.version
          written += 1
          continue
        }
        const error = Exit.findErrorOption(exit)
        if (error._tag === "None" || !(error.value instanceof ConcurrencyConflict)) {
          return yield* Effect.failCause(exit.cause)
        }
        if (run >= 0) conflicts += 1
        const missed = yield* b.store.readStream(tenant, stream, { fromVersion: known + 1 })
        if (missed.length > 0) known = missed[missed.length - 1]!.version
      }
    })
    return run$(Effect.forEach(range(writers), () => handler, { concurrency: "unbounded", discard: true })).then(
      () => written
    )
  }
  const emmett = withEmmett(b, (e) => async (run) => {
    const stream = Emmett.streamName(tenant, { category: "case", id: `race-${run}` })
    let written = 0
    const handler = async () => {
      let known = 0
      for (let attempt = 0; attempt < size.raced * 20 && written < size.raced; attempt++) {
        try {
          known = Number((await Emmett.append(e.store, stream, 1, known)).nextExpectedStreamVersion)
          written += 1
        } catch (error) {
          if (!Emmett.isConflict(error)) throw error
          known = Number((await e.store.readStream(stream, { from: BigInt(known + 1) })).currentStreamVersion)
        }
      }
    }
    await Promise.all(range(writers).map(handler))
    return written
  })
  const counted = (run: number) => run >= 0
  const storeCpu = cpuMeter()
  const emmettCpu = cpuMeter()
  const measured = [storeCpu.measure(store, counted)]
  if (emmett !== undefined) measured.push(emmettCpu.measure(emmett, counted))
  const { rates, ratios } = await compareSides(size.runs, measured)
  return {
    store: rates[0]!,
    raw: baseline.raw,
    ratio: rates[0]! / baseline.raw,
    emmett: rates[1] ?? Number.NaN,
    vsEmmett: ratios[1] ?? Number.NaN,
    cpu: {
      store: storeCpu.perEvent(),
      raw: baseline.cpu?.raw ?? { process: Number.NaN, server: Number.NaN },
      emmett: emmett === undefined ? undefined : emmettCpu.perEvent()
    },
    conflicts: conflicts / size.runs
  }
}

const readTenant = "t-read"
const bigStream = { category: "household", id: "hh-big" }

/**
 * Fills the read tenant: the big stream interleaved with other streams, then copies it for the baseline;
 * Emmett, emptied first so that its whole log is the read tenant's, gets the same appends.
 */
const populate = async (b: Backend, size: Sizes) => {
  const rounds = size.streamEvents / 100
  const others = (size.logEvents - size.streamEvents) / rounds
  await run$(
    Effect.gen(function* () {
      for (let round = 0; round < rounds; round++) {
        yield* b.store.append(request(readTenant, bigStream, ExpectedVersion.any, 100))
        const other = { category: "case", id: `c-${round}` }
        yield* b.store.append(request(readTenant, other, ExpectedVersion.any, others))
      }
    })
  )
  if (b.emmett !== undefined) {
    const e = b.emmett
    await e.truncate()
    for (let round = 0; round < rounds; round++) {
      await Emmett.append(e.store, Emmett.streamName(readTenant, bigStream), 100)
      await Emmett.append(e.store, Emmett.streamName(readTenant, { category: "case", id: `c-${round}` }), others)
    }
  }
  // The baseline reads the very same rows.
  await b.sql(`INSERT INTO ${b.rawSchema}.events SELECT * FROM ${b.storeSchema}.events WHERE tenant = '${readTenant}'`)
  await b.sql(`ANALYZE ${b.storeSchema}.events`)
  await b.sql(`ANALYZE ${b.rawSchema}.events`)
}

/** 5. The big stream read whole, by version. */
const readOneStream = (b: Backend, size: Sizes): Promise<Figures> =>
  sides(
    size,
    () => run$(Effect.map(b.store.readStream(readTenant, bigStream), (events) => events.length)),
    async () => (await rawReadStream(b.raw[0]!, b.rawSchema, readTenant, bigStream)).rows.length,
    withEmmett(b, (e) => async () => (await e.store.readStream(Emmett.streamName(readTenant, bigStream))).events.length)
  )

/** The baseline of rows 6 and 7: raw keyset pages over the whole log. */
const rawReadAll = async (b: Backend, size: Sizes): Promise<number> => {
  let after = 0
  let count = 0
  for (let page = 0; page <= size.logEvents / pageSize; page++) {
    const { rows } = await rawReadPage(b.raw[0]!, b.rawSchema, readTenant, after, pageSize)
    count += rows.length
    if (rows.length < pageSize) break
    after = Number(rows[rows.length - 1]!.position)
  }
  return count
}

/** 6. The tenant's whole log through `readAll`, a page at a time. */
const readAllPages = (b: Backend, size: Sizes): Promise<Figures> =>
  sides(
    size,
    () =>
      run$(
        Effect.gen(function* () {
          let after = 0
          let count = 0
          for (let page = 0; page <= size.logEvents / pageSize; page++) {
            const events = yield* b.store.readAll(readTenant, { after, limit: pageSize })
            count += events.length
            if (events.length < pageSize) break
            after = events[events.length - 1]!.position
          }
          return count
        })
      ),
    () => rawReadAll(b, size),
    withEmmett(b, (e) => () => e.readAll(pageSize))
  )

/**
 * 7. A subscriber catching up from position 0 over the same log (its target is absolute); Emmett's side is
 * its consumer with a reactor, pulling pages of the same size.
 */
const catchUp = (b: Backend, size: Sizes): Promise<Figures> =>
  sides(
    size,
    () => run$(b.store.subscribe(readTenant, { after: 0 }).pipe(Stream.take(size.logEvents), Stream.runCount)),
    () => rawReadAll(b, size),
    withEmmett(b, (e) => (run) => e.follow(size.logEvents, pageSize, run))
  )

/** Appends per transaction in a tenant of one-event appends: the appends of one batch share a store time. */
const perTransaction = async (b: Backend, tenant: string): Promise<number> => {
  const [row] = await b.sql(`SELECT count(*)::float8 / greatest(count(DISTINCT recorded_at), 1) AS n
    FROM ${b.storeSchema}.events WHERE tenant = '${tenant}'`)
  return Number(row?.n)
}

// Backends --------------------------------------------------------------------------------------

const names = () => {
  const id = randomBytes(4).toString("hex")
  return { storeSchema: `bench_store_${id}`, rawSchema: `bench_raw_${id}`, emmettDatabase: `bench_emmett_${id}` }
}

type Services<R> = R | SqlClient.SqlClient | PgListen.PgListen | EventStore.EventStore

const open = async <R>(
  name: string,
  layer: Layer.Layer<Services<R>, unknown>,
  schemas: { readonly storeSchema: string; readonly rawSchema: string },
  connect: (runtime: ManagedRuntime.ManagedRuntime<Services<R>, unknown>) => Promise<{
    readonly raw: ReadonlyArray<Raw>
    readonly emmett?: Emmett.Emmett
    readonly close: () => Promise<void>
  }>,
  /** Drops both schemas once the store is closed (an in-memory database needs nothing). */
  drop: () => Promise<void>
): Promise<Backend> => {
  const runtime = ManagedRuntime.make(layer)
  const sql = (statement: string) =>
    runtime.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (client) => client.unsafe<Record<string, unknown>>(statement))
    )
  const scope = Scope.makeUnsafe()
  // The stores first (their fibers and pool), then the schemas: nothing of theirs can hold a lock on them.
  const shutdown = () =>
    runtime
      .runPromise(Scope.close(scope, Exit.void))
      .finally(() => runtime.dispose())
      .finally(() => drop().catch(() => undefined))
  try {
    const store = await runtime.runPromise(EventStore.EventStore)
    const ungrouped = await runtime.runPromise(
      Scope.provide(scope)(PgEventStore.make({ schema: schemas.storeSchema, groupCommit: false, citus }))
    )
    await runtime.runPromise(PgEventStore.migrate(schemas.rawSchema))
    if (citus && name === "server") await runtime.runPromise(PgEventStore.distribute(schemas.rawSchema))
    const raw = await connect(runtime)
    return {
      name,
      store,
      ungrouped,
      raw: raw.raw,
      emmett: raw.emmett,
      ...schemas,
      sql,
      close: () => raw.close().finally(shutdown)
    }
  } catch (error) {
    await shutdown()
    throw error
  }
}

const server = (): Promise<Backend> => {
  const { emmettDatabase, ...schemas } = names()
  return open(
    "server",
    PgEventStore.layerPg({ url, schema: schemas.storeSchema, migrate: true, maxConnections: writers + 2, citus }),
    schemas,
    async () => {
      const clients = range(writers).map(() => new pg.Client({ connectionString: url }))
      await Promise.all(clients.map((c) => c.connect()))
      const closeClients = async () => void (await Promise.all(clients.map((c) => c.end())))
      const emmett = await Emmett.openEmmett(url, emmettDatabase).catch(async (error) => {
        await closeClients()
        throw error
      })
      return { raw: clients, emmett, close: () => emmett.close().finally(closeClients) }
    },
    async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schemas.rawSchema}, ${schemas.storeSchema} CASCADE`)
      } finally {
        await client.end()
      }
    }
  )
}

const pglite = (): Promise<Backend> => {
  const schemas = names()
  return open(
    "PGlite",
    PgEventStore.layerPglite({ schema: schemas.storeSchema }),
    schemas,
    async (runtime) => {
      // PGlite's own query API on the store's instance, used only while the store is idle.
      const client = await runtime.runPromise(PgliteClient.PgliteClient)
      const conn: Raw = { query: (text, params) => client.pglite.query(text, params) }
      return { raw: range(writers).map(() => conn), close: async () => undefined }
    },
    async () => undefined
  )
}

// Report ----------------------------------------------------------------------------------------

interface Row {
  readonly label: string
  readonly figures: Figures
  /** The store ÷ baseline ratio this row must reach, if it has a target. */
  readonly minRatio?: number
  /** The events/s this row must reach, if it has a target. */
  readonly minRate?: number
  readonly note?: string | undefined
  /** An append row: its CPU per event is printed. */
  readonly append?: boolean
}

const measure = async (b: Backend, size: Sizes): Promise<Array<Row>> => {
  const started = process.hrtime.bigint()
  const step = async <A>(label: string, body: () => Promise<A>): Promise<A> => {
    const result = await body()
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    process.stderr.write(`  ${b.name}: ${label} done at ${seconds.toFixed(1)} s\n`)
    return result
  }
  const n = (x: number) => x.toLocaleString("en-US")
  const single = await step("1 single appends", () => singleAppends(b, size))
  const batches = await step("2 batches of 100", () => batchAppends(b, size))
  const concurrent = await step("3 eight writers, eight streams", () => concurrentWriters(b, size))
  const grouped = await perTransaction(b, "t-writers")
  const ungrouped = await step("3b the same, group commit off", async () => {
    const { a } = await compare(size.runs, (run) => ownStreams(b.ungrouped, "t-ungrouped", size, run))
    return { store: a, raw: concurrent.raw, ratio: a / concurrent.raw, emmett: Number.NaN, vsEmmett: Number.NaN }
  })
  const raced = await step("4 eight writers, one stream", () => racingWriters(b, size, concurrent))
  await step(`populating ${n(size.logEvents)} events`, () => populate(b, size))
  const stream = await step("5 read one stream", () => readOneStream(b, size))
  const all = await step("6 read all", () => readAllPages(b, size))
  const caught = await step("7 catch-up", () => catchUp(b, size))
  return [
    { label: "1 single appends", figures: single, minRatio: 0.9, append: true, note: cpuNote(b, single.cpu) },
    {
      label: `2 batches of 100 (streams of ${n(size.batches * 100)})`,
      figures: batches,
      minRatio: 0.6,
      append: true
    },
    {
      label: "3 8 writers, 8 streams",
      figures: concurrent,
      minRatio: 1.0,
      append: true,
      note: `${grouped.toFixed(1)} appends per transaction`
    },
    {
      label: "3b the same, no group commit",
      figures: ungrouped,
      note: `groupCommit: false; baseline of row 3`
    },
    {
      label: "4 8 writers, 1 stream",
      figures: raced,
      append: true,
      note: `${(raced.conflicts / size.raced).toFixed(1)} conflicts per event written; raw baseline of row 3`
    },
    { label: `5 read 1 stream (${n(size.streamEvents)})`, figures: stream },
    { label: `6 read all (${n(size.logEvents)})`, figures: all, minRatio: 0.8 },
    {
      label: `7 catch-up (${n(size.logEvents)})`,
      figures: caught,
      minRate: 50_000,
      note: b.emmett === undefined ? "baseline of row 6" : "raw baseline of row 6; Emmett: its consumer"
    }
  ]
}

const us = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "–" : `${Math.round(x)}`)

/**
 * Where a single append's time goes: on the server, the local server's CPU per event of each side (where it
 * can be seen); on PGlite, whose database runs in this process, this process's CPU.
 */
const cpuNote = (b: Backend, cpu: RowCpu | undefined) => {
  if (cpu === undefined) return undefined
  if (b.name !== "server") return `Node+PGlite CPU µs/event ${us(cpu.store.process)} / ${us(cpu.raw.process)}`
  return Number.isFinite(cpu.store.server)
    ? `server CPU µs/event ${us(cpu.store.server)} / ${us(cpu.raw.server)} / ${us(cpu.emmett?.server)}`
    : undefined
}

/** Node CPU per event of each side: this process's CPU over the rounds that side ran (PGlite's included). */
const nodeCpu = (cpu: RowCpu | undefined) =>
  cpu === undefined ? "" : `${us(cpu.store.process)} / ${us(cpu.raw.process)} / ${us(cpu.emmett?.process)}`

const mark = (ok: boolean) => (ok ? "✓" : "✗")

const targetOf = (row: Row): string => {
  if (row.minRatio !== undefined) return `≥ ${row.minRatio.toFixed(1)}× ${mark(row.figures.ratio >= row.minRatio)}`
  if (row.minRate !== undefined) return `≥ ${perSecond(row.minRate)}/s ${mark(row.figures.store >= row.minRate)}`
  return ""
}

const printServer = (rows: ReadonlyArray<Row>) =>
  printTable(
    [
      "row (server)",
      "store ev/s",
      "raw pg ev/s",
      "Emmett ev/s",
      "store ÷ raw",
      "store ÷ Emmett",
      "target (÷ raw)",
      "Node CPU µs/event store / raw / Emmett",
      "note"
    ],
    rows.map((row) => [
      row.label,
      perSecond(row.figures.store),
      perSecond(row.figures.raw),
      Number.isFinite(row.figures.emmett) ? perSecond(row.figures.emmett) : "",
      ratio(row.figures.ratio),
      Number.isFinite(row.figures.vsEmmett) ? ratio(row.figures.vsEmmett) : "",
      targetOf(row),
      row.append ? nodeCpu(row.figures.cpu) : "",
      row.note ?? ""
    ])
  )

const printPglite = (rows: ReadonlyArray<Row>, serverRows: ReadonlyArray<Row> | undefined) =>
  printTable(
    ["row (PGlite)", "store ev/s", "raw PGlite ev/s", "store ÷ raw", "PGlite ÷ server", "within 3×", "note"],
    rows.map((row, i) => {
      const vsServer = serverRows === undefined ? Number.NaN : row.figures.store / serverRows[i]!.figures.store
      return [
        row.label,
        perSecond(row.figures.store),
        perSecond(row.figures.raw),
        ratio(row.figures.ratio),
        ratio(vsServer),
        Number.isFinite(vsServer) ? mark(vsServer >= 1 / 3) : "",
        row.note ?? ""
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
  // Interrupted (Ctrl-C), the run still closes the store and drops its schemas before it exits.
  let aborting: Promise<void> | undefined
  const interrupted = () => {
    aborting ??= backend.close().finally(() => process.exit(130))
  }
  process.once("SIGINT", interrupted)
  process.once("SIGTERM", interrupted)
  try {
    return await measure(backend, size)
  } catch (error) {
    await aborting
    throw error
  } finally {
    process.off("SIGINT", interrupted)
    process.off("SIGTERM", interrupted)
    if (aborting === undefined) await backend.close()
  }
}

/** The machine's 1-minute load average: on a shared machine, what the figures were measured under. */
const load = () => loadavg()[0]!.toFixed(1)

export const run = async ({ full: isFull }: { full: boolean }): Promise<void> => {
  const size = isFull ? full : quick
  console.log(
    `PgEventStore against raw SQL on the same table shape and, on the server, Emmett ` +
      `(@event-driven-io/emmett-postgresql) in a database of its own: ${size.runs} rounds per row, every side ` +
      `once a round, the order rotated each round; events/s are medians, store ÷ raw and store ÷ Emmett the ` +
      `medians of the per-round ratios.\n`
  )
  const before = load()
  const serverRows = await suite(server, size)
  if (serverRows !== undefined) {
    const kind = citus ? "Citus coordinator" : "PostgreSQL server"
    console.log(`### ${kind} (${url.replace(/\/\/[^@]*@/, "//")}), load ${before} → ${load()}\n`)
    printServer(serverRows)
    console.log()
  }
  const between = load()
  const pgliteRows = await suite(pglite, size)
  if (pgliteRows !== undefined) {
    console.log(`### PGlite (in memory), load ${between} → ${load()}\n`)
    printPglite(pgliteRows, serverRows)
    console.log()
  }
}
