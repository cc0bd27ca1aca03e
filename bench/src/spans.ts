// `npm run bench -- spans` (quick) or `npm run bench -- spans -- --full`: what the store's spans cost when
// no tracer is installed. Single appends through a store with spans (the default) and through the same
// store built with `spans: false`, in the same database and schema, rounds alternating. See docs/benchmarks.md.
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { PgEventStore, type PgListen } from "@shuangbai/postgres"
import { Effect, Exit, type Layer, ManagedRuntime, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { request } from "./internal/storeWorkload.ts"
import { cpuMeter } from "./util/cpu.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compare } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Sizes {
  /** Rounds, each side once per round; each figure is the median. */
  readonly runs: number
  /** Appends of one event per round. */
  readonly single: number
}

const quick: Sizes = { runs: 5, single: 100 }
const full: Sizes = { runs: 11, single: 300 }

/** The span cost may be at most this share of a single append (issue 11: ≤ 5%). */
const maxCost = 0.05

const singleAppends = (store: EventStore.EventStoreShape, tenant: string, size: Sizes) => (run: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const stream = { category: "visit", id: `single-${run}` }
      for (let v = 0; v < size.single; v++) yield* store.append(request(tenant, stream, ExpectedVersion.exact(v), 1))
      return size.single
    })
  )

const measure = async (
  name: string,
  layer: Layer.Layer<EventStore.EventStore | SqlClient.SqlClient | PgListen.PgListen, unknown>,
  schema: string,
  size: Sizes,
  drop: (run: <A>(effect: Effect.Effect<A, unknown, SqlClient.SqlClient>) => Promise<A>) => Promise<void>
) => {
  const runtime = ManagedRuntime.make(layer)
  const scope = Scope.makeUnsafe()
  try {
    const traced = await runtime.runPromise(EventStore.EventStore)
    const untraced = await runtime.runPromise(Scope.provide(scope)(PgEventStore.make({ schema, spans: false })))
    // CPU of this process per append, less sensitive than wall time to what else the machine runs.
    const tracedCpu = cpuMeter()
    const untracedCpu = cpuMeter()
    const counted = (run: number) => run >= 0
    const figures = await compare(
      size.runs,
      tracedCpu.measure(singleAppends(traced, "t-spans", size), counted),
      untracedCpu.measure(singleAppends(untraced, "t-no-spans", size), counted)
    )
    return [
      name,
      perSecond(figures.a),
      perSecond(figures.b),
      ratio(figures.ratio),
      tracedCpu.perEvent().process.toFixed(0),
      untracedCpu.perEvent().process.toFixed(0),
      figures.ratio >= 1 - maxCost ? "✓" : "✗"
    ]
  } finally {
    await runtime.runPromise(Scope.close(scope, Exit.void))
    await drop((effect) => runtime.runPromise(effect)).catch(() => undefined)
    await runtime.dispose()
  }
}

/** The span alone: an append that does nothing, through `EventStore.traced` and without, in ns per call. */
const spanAlone = async (size: Sizes) => {
  const result: EventStore.AppendResult = { events: [], version: 1, duplicate: false }
  const bare = { append: () => Effect.succeed(result) } as unknown as EventStore.EventStoreShape
  const wrapped = EventStore.traced(bare)
  const req = request("t-alone", { category: "visit", id: "alone" }, ExpectedVersion.any, 1)
  const calls = size.single * 1_000
  const loop = (store: EventStore.EventStoreShape) => () =>
    Effect.runPromise(
      Effect.gen(function* () {
        for (let i = 0; i < calls; i++) yield* store.append(req)
        return calls
      })
    )
  const figures = await compare(size.runs, loop(wrapped), loop(bare))
  return 1e9 / figures.a - 1e9 / figures.b
}

export const run = async (options: { readonly full: boolean }): Promise<void> => {
  const size = options.full ? full : quick
  const schema = `bench_spans_${randomBytes(4).toString("hex")}`
  const dropSchema = (run: <A>(effect: Effect.Effect<A, unknown, SqlClient.SqlClient>) => Promise<A>) =>
    run(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))).then(
      () => undefined
    )
  console.log(
    `single appends of one event, ${size.single} per round, ${size.runs} rounds; no tracer installed; load ${loadavg()[0]!.toFixed(1)}`
  )
  const rows = [
    await measure("server", PgEventStore.layerPg({ url, schema, migrate: true }), schema, size, dropSchema),
    await measure("PGlite", PgEventStore.layerPglite({ schema }), schema, size, async () => undefined)
  ]
  const nanos = await spanAlone(size)
  printTable(
    [
      "store",
      "with spans (events/s)",
      "without (events/s)",
      "with ÷ without",
      "CPU µs/append with",
      "without",
      `≥ ${1 - maxCost}`
    ],
    rows
  )
  console.log(`\nthe span alone (an append that does no work, with and without): ${nanos.toFixed(0)} ns per call`)
}
