// `npm run bench -- sealing` (quick) or `npm run bench:full -- sealing`: what sealing personal fields costs
// (issue 10, item 7: ≤ 15% on single appends). The same store, the same visit record of ~300 bytes, in the
// same run and rounds alternating: with its `notes` marked personal (sealed under the household's key with
// AES-256-GCM, the key looked up or created in the subject_keys table first) and without (stored as given).
// Reads: one stream of one event read back, opened (the key read, the field decrypted) or plain.
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { type EventStore as ES, EventStore, ExpectedVersion } from "@shuangbai/eventsourcing"
import { PgEventStore, type PgListen } from "@shuangbai/postgres"
import { Effect, type Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { request } from "./internal/storeWorkload.ts"
import { cpuMeter } from "./util/cpu.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compare } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Sizes {
  /** Rounds, each side once per round; each figure is the median. */
  readonly runs: number
  /** Single appends (or reads) per round. */
  readonly single: number
}

const quick: Sizes = { runs: 5, single: 100 }
const full: Sizes = { runs: 11, single: 300 }

/** Sealing may cost at most this share of a single append (issue 10). */
const maxCost = 0.15

/** One event, its `notes` personal (about the household) when `sealed`. */
const one = (tenant: string, stream: { category: string; id: string }, version: number, sealed: boolean) => {
  const base = request(tenant, stream, ExpectedVersion.exact(version), 1)
  if (!sealed) return base
  return {
    ...base,
    events: base.events.map((e) => ({
      ...e,
      // 50 households, whose keys the warm-up round makes: the steady state, where a subject's key exists.
      // A subject's first sealed event costs one more round trip (the key's insert), not measured here.
      personal: [{ path: ["notes"], subject: `hh-${version % 50}` }]
    }))
  } satisfies ES.AppendRequest
}

const appends = (store: ES.EventStoreShape, tenant: string, size: Sizes, sealed: boolean) => (run: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const stream = { category: "visit", id: `single-${sealed ? "s" : "p"}-${run}` }
      for (let v = 0; v < size.single; v++) yield* store.append(one(tenant, stream, v, sealed))
      return size.single
    })
  )

const reads = (store: ES.EventStoreShape, tenant: string, size: Sizes, sealed: boolean) => (_run: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const stream = { category: "visit", id: `single-${sealed ? "s" : "p"}--1` }
      for (let i = 0; i < size.single; i++) yield* store.readStream(tenant, stream, { fromVersion: 1 + (i % 50) })
      return size.single
    })
  )

const measure = async (
  name: string,
  layer: Layer.Layer<EventStore.EventStore | SqlClient.SqlClient | PgListen.PgListen, unknown>,
  size: Sizes,
  drop: () => Effect.Effect<unknown, unknown, SqlClient.SqlClient>
) => {
  const runtime = ManagedRuntime.make(layer)
  try {
    const store = await runtime.runPromise(EventStore.EventStore)
    const sealedCpu = cpuMeter()
    const plainCpu = cpuMeter()
    const counted = (run: number) => run >= 0
    const written = await compare(
      size.runs,
      sealedCpu.measure(appends(store, "t-sealed", size, true), counted),
      plainCpu.measure(appends(store, "t-plain", size, false), counted)
    )
    const read = await compare(size.runs, reads(store, "t-sealed", size, true), reads(store, "t-plain", size, false))
    return [
      [
        name,
        "single append",
        perSecond(written.a),
        perSecond(written.b),
        ratio(written.ratio),
        sealedCpu.perEvent().process.toFixed(0),
        plainCpu.perEvent().process.toFixed(0),
        written.ratio >= 1 - maxCost ? "✓" : "✗"
      ],
      [name, "read a stream", perSecond(read.a), perSecond(read.b), ratio(read.ratio), "", "", ""]
    ]
  } finally {
    await runtime.runPromise(drop()).catch(() => undefined)
    await runtime.dispose()
  }
}

export const run = async (options: { readonly full: boolean }): Promise<void> => {
  const size = options.full ? full : quick
  const schema = `bench_sealing_${randomBytes(4).toString("hex")}`
  console.log(
    `one ~300-byte visit record per append or read, ${size.single} per round, ${size.runs} rounds; sealed: its notes under the household's key; load ${loadavg()[0]!.toFixed(1)}`
  )
  const rows = [
    ...(await measure("server", PgEventStore.layerPg({ url, schema, migrate: true }), size, () =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
    )),
    ...(await measure("PGlite", PgEventStore.layerPglite({ schema }), size, () => Effect.void)),
    ...(await measure("memory", EventStore.layerMemory as never, size, () => Effect.void))
  ]
  printTable(
    [
      "store",
      "operation",
      "sealed (/s)",
      "plain (/s)",
      "sealed ÷ plain",
      "CPU µs/append sealed",
      "plain",
      `≥ ${1 - maxCost}`
    ],
    rows
  )
  console.log(`\nload after: ${loadavg()[0]!.toFixed(1)}`)
}
