// `npm run bench -- audit` (quick: 20,000 events) or `npm run bench -- audit --full` (100,000): how fast the
// log is verified and read with hash checks, against a plain SELECT of the same rows in the same run, on
// the PostgreSQL server and on PGlite. See docs/benchmarks.md ("audit").
//
// Rows, each over the tenant's whole log in pages of 1,000:
// - plain SELECT: the store's own columns and rows by `pg` (PGlite's own `query` embedded), nothing decoded
//   beyond what the driver does: the floor any verification reads through;
// - `Audit.verifyChain`: the store's read, every event hashed and linked (target ≥ 0.5× the plain SELECT);
// - `readAll`, `verifyReads` off and on (`PgEventStore.make({ verifyReads: true })`).
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { Audit, EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { PgEventStore, type PgListen, PgliteClient } from "@shuangbai/postgres"
import { Effect, Exit, type Layer, ManagedRuntime, Scope } from "effect"
import type { SqlClient } from "effect/sql"
import pg from "pg"
import { rawReadPage, request } from "./internal/storeWorkload.ts"
import { cpuMeter } from "./util/cpu.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compareSides } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const tenant = "bench-audit"
const pageSize = 1_000
const target = 0.5

interface Sizes {
  readonly events: number
  readonly runs: number
}

const quick: Sizes = { events: 20_000, runs: 3 }
const full: Sizes = { events: 100_000, runs: 5 }

interface Backend {
  readonly name: string
  readonly store: EventStore.EventStoreShape
  readonly verifying: EventStore.EventStoreShape
  /** A plain `SELECT` of one page of the store's rows. */
  readonly select: (after: number) => Promise<number>
  readonly run: <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) => Promise<A>
  readonly close: () => Promise<void>
}

type Services = EventStore.EventStore | SqlClient.SqlClient | PgListen.PgListen

const open = async (
  name: string,
  schema: string,
  layer: Layer.Layer<Services, unknown>,
  plain: (runtime: ManagedRuntime.ManagedRuntime<Services, unknown>) => Promise<{
    readonly query: (after: number) => Promise<number>
    readonly close: () => Promise<void>
  }>
): Promise<Backend> => {
  const runtime = ManagedRuntime.make(layer)
  const scope = Scope.makeUnsafe()
  const store = await runtime.runPromise(EventStore.EventStore)
  const verifying = await runtime.runPromise(Scope.provide(scope)(PgEventStore.make({ schema, verifyReads: true })))
  const select = await plain(runtime)
  return {
    name,
    store,
    verifying,
    select: select.query,
    run: (effect) => runtime.runPromise(effect),
    close: () =>
      select
        .close()
        .finally(() => runtime.runPromise(Scope.close(scope, Exit.void)))
        .finally(() => runtime.dispose())
  }
}

const server = (): Promise<Backend> => {
  const schema = `bench_audit_${randomBytes(4).toString("hex")}`
  return open("server", schema, PgEventStore.layerPg({ url, schema, migrate: true, maxConnections: 4 }), async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return {
      query: async (after) => (await rawReadPage(client, schema, tenant, after, pageSize)).rows.length,
      close: async () => {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.end()
      }
    }
  })
}

const pglite = (): Promise<Backend> => {
  const schema = `bench_audit_${randomBytes(4).toString("hex")}`
  return open("PGlite", schema, PgEventStore.layerPglite({ schema }), async (runtime) => {
    // PGlite's own query API on the store's instance, used only while the store is idle
    const client = await runtime.runPromise(PgliteClient.PgliteClient)
    const conn = { query: (text: string, params?: Array<unknown>) => client.pglite.query<any>(text, params) }
    return {
      query: async (after) => (await rawReadPage(conn, schema, tenant, after, pageSize)).rows.length,
      close: async () => undefined
    }
  })
}

/** `events` events of about 300 bytes, 100 an append, 100 streams. */
const fill = (b: Backend, events: number) =>
  b.run(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let i = 0; i < events / 100; i++) {
        yield* store.append(request(tenant, { category: "visit", id: `v-${i % 100}` }, ExpectedVersion.any, 100))
      }
    })
  )

/** Pages of `read` from position 0 to the end: the number of events read. */
const pages = async (read: (after: number) => Promise<number>, total: number) => {
  let after = 0
  while (after < total) {
    const n = await read(after)
    if (n === 0) break
    after += n
  }
  return after
}

const readAllOf = (b: Backend, store: EventStore.EventStoreShape) => (after: number) =>
  b.run(Effect.map(store.readAll(tenant, { after, limit: pageSize }), (page) => page.length))

const measure = async (b: Backend, size: Sizes) => {
  const started = Date.now()
  await fill(b, size.events)
  console.log(
    `${b.name}: ${size.events.toLocaleString("en-US")} events written in ${((Date.now() - started) / 1000).toFixed(1)} s`
  )
  const labels = ["plain SELECT", "Audit.verifyChain", "readAll, verifyReads off", "readAll, verifyReads on"]
  const meters = labels.map(() => cpuMeter())
  const bodies: ReadonlyArray<() => Promise<number>> = [
    () => pages(b.select, size.events),
    () => b.run(Effect.map(Audit.verifyChain(tenant, { pageSize }), (verified) => verified.events)),
    () => pages(readAllOf(b, b.store), size.events),
    () => pages(readAllOf(b, b.verifying), size.events)
  ]
  const sides = bodies.map((body, i) =>
    meters[i]!.measure(
      (_run: number) => body(),
      (run) => run >= 0
    )
  )
  const { rates, ratios } = await compareSides(size.runs, sides)
  const counted = await bodies[1]!()
  if (counted !== size.events) throw new Error(`verifyChain checked ${counted} events, not ${size.events}`)
  return labels.map((label, i) => ({
    label,
    rate: rates[i]!,
    // side 0 ÷ side i is the plain read's rate over this one's: its inverse is this one against the plain read
    vsPlain: 1 / ratios[i]!,
    cpu: meters[i]!.perEvent()
  }))
}

export const run = async ({ full: isFull }: { full: boolean }) => {
  const size = isFull ? full : quick
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")
  console.log(
    `${size.events.toLocaleString("en-US")} events, pages of ${pageSize}, ${size.runs} rounds; load ${load}\n`
  )
  for (const make of [server, pglite]) {
    const b = await make().catch((error) => {
      console.log(`skipped: ${String(error)}`)
      return undefined
    })
    if (b === undefined) continue
    try {
      const rows = await measure(b, size)
      const off = rows[2]!
      const on = rows[3]!
      printTable(
        ["backend", "read", "events/s", "÷ plain SELECT", "µs CPU/event (node)", "target"],
        rows.map((r) => [
          b.name,
          r.label,
          perSecond(r.rate),
          ratio(r.vsPlain),
          r.cpu.process.toFixed(1),
          r.label === "Audit.verifyChain" ? `≥ ${target}× ${r.vsPlain >= target ? "✓" : "✗"}` : ""
        ])
      )
      console.log(
        `\n${b.name}: verifyReads on ÷ off ${ratio(on.rate / off.rate)} (events/s), CPU per event ${ratio(on.cpu.process / off.cpu.process)}\n`
      )
    } finally {
      await b.close()
    }
  }
  console.log(
    `load after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`
  )
}
