// `npm run bench -- handle [--full]`: what a command costs as its stream grows. `Domain.handle` sends
// ReceiveSupplies to a relief campaign whose stream holds 0 (its launch only), 1,000 or 10,000 earlier
// events, in the same run, with the handler's kept states (StateCache, the default) and without them (every
// command folds its whole stream). Each round gives every row a stream of its own, filled through the store
// beforehand; one untimed command first, so that a cached row measures the steady state. The target: at
// 10,000 earlier events, at least 0.8× the commands/s of the 0-event row, with the cache.
import { randomUUID } from "node:crypto"
import { loadavg } from "node:os"
import { Domain, Relief } from "@shuangbai/core"
import { type Envelope, EventStore, IdGenerator, StateCache } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { median, rateOf } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Size {
  readonly runs: number
  /** Commands timed per round and row with the cache, and without it (whose commands grow with the stream). */
  readonly cached: number
  readonly uncached: number
}

const quick: Size = { runs: 3, cached: 100, uncached: 20 }
const full: Size = { runs: 5, cached: 400, uncached: 40 }

const lengths = [0, 1_000, 10_000] as const
const targetRatio = 0.8
const day = "2024-04-02"
const actor: Envelope.Actor = { id: "bench-worker", role: "county-staff" }

type Store = Layer.Layer<EventStore.EventStore, unknown>

const receive = (campaign: string) =>
  ({
    _tag: "ReceiveSupplies",
    campaign,
    item: "Quilt",
    quantity: 1,
    source: "county stock",
    receivedOn: day
  }) as const satisfies Domain.CommandInput

/** A campaign launched through the handler, then `earlier` events more written through the store, 100 an append. */
const prepare = (tenant: string, campaign: string, earlier: number) =>
  Effect.gen(function* () {
    yield* Domain.handle(
      tenant,
      {
        _tag: "LaunchCampaign",
        campaign,
        kind: "Flood",
        title: "bench",
        scope: { _tag: "CountyWide" },
        launchedOn: day
      },
      { actor, commandId: `launch-${campaign}` }
    ).pipe(Effect.provideService(StateCache.Settings, StateCache.disabled))
    const store = yield* EventStore.EventStore
    const ids = yield* IdGenerator.IdGenerator
    const encoded = Domain.codec.encode(
      new Relief.Events.SuppliesReceived({
        campaign: campaign as Relief.Events.SuppliesReceived["campaign"],
        item: "Quilt",
        quantity: 1,
        source: "county stock",
        receivedOn: day
      })
    )
    for (let from = 0; from < earlier; from += 100) {
      const events = yield* Effect.forEach(Array.from({ length: Math.min(100, earlier - from) }), () =>
        Effect.map(ids.next, (eventId) => ({
          eventId,
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data: encoded.data,
          occurredAt: `${day}T02:00:00.000Z`,
          subjects: []
        }))
      )
      const commandId = `fill-${campaign}-${from}`
      yield* store.append({
        tenant,
        stream: { category: Relief.category, id: campaign },
        expected: { _tag: "Exact", version: 1 + from },
        events,
        context: { actor, commandId, correlationId: commandId, causationId: commandId }
      })
    }
  })

/** `count` commands on one campaign, one after another, with the given cache settings. */
const commands = (tenant: string, campaign: string, count: number, settings: StateCache.Settings, label: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < count; i++) {
      yield* Domain.handle(tenant, receive(campaign), { actor, commandId: `${label}-${i}` })
    }
    return count
  }).pipe(Effect.provideService(StateCache.Settings, settings))

interface Row {
  readonly earlier: number
  readonly cached: number
  readonly uncached: number
}

const measure = async (name: string, layer: Store, size: Size): Promise<ReadonlyArray<Row>> => {
  const runtime = ManagedRuntime.make(Layer.merge(layer, IdGenerator.layer))
  try {
    const run = <A>(effect: Effect.Effect<A, unknown, EventStore.EventStore | IdGenerator.IdGenerator>) =>
      runtime.runPromise(effect)
    const tenant = `bench-handle-${randomUUID().slice(0, 8)}`
    const sides = [
      { key: "cached" as const, settings: { capacity: 1_000 }, count: size.cached },
      { key: "uncached" as const, settings: StateCache.disabled, count: size.uncached }
    ]
    const rates = new Map<string, Array<number>>()
    // Round -1 warms up (the JIT, prepared statements) and is not counted.
    for (let round = -1; round < size.runs; round++) {
      // The rows in a rotating order, so that a change in the machine's load does not always hit the same one.
      const order = lengths.map((_, i) => lengths[(i + round + 1) % lengths.length]!)
      for (const earlier of order) {
        for (const side of sides) {
          const campaign = `c-${earlier}-${side.key}-${round + 1}`
          await run(prepare(tenant, campaign, earlier))
          await run(commands(tenant, campaign, 1, side.settings, `${campaign}-warm`))
          const rate = await rateOf(() => run(commands(tenant, campaign, side.count, side.settings, campaign)))
          if (round >= 0) rates.set(`${earlier}-${side.key}`, [...(rates.get(`${earlier}-${side.key}`) ?? []), rate])
        }
      }
      process.stdout.write(round < 0 ? `${name}: warmed up` : ` · round ${round + 1}`)
    }
    process.stdout.write("\n")
    return lengths.map((earlier) => ({
      earlier,
      cached: median(rates.get(`${earlier}-cached`) ?? []),
      uncached: median(rates.get(`${earlier}-uncached`) ?? [])
    }))
  } finally {
    await runtime.dispose()
  }
}

const print = (rows: ReadonlyArray<Row>) => {
  const base = rows[0]!
  printTable(
    ["earlier events", "commands/s, cached", "÷ 0 events", "commands/s, uncached", "÷ 0 events", "target"],
    rows.map((row) => {
      const held = row.cached / base.cached
      return [
        row.earlier.toLocaleString("en-US"),
        perSecond(row.cached),
        ratio(held),
        perSecond(row.uncached),
        ratio(row.uncached / base.uncached),
        row.earlier === lengths.at(-1) ? `≥ ${ratio(targetRatio)} ${held >= targetRatio ? "✓" : "✗"}` : ""
      ]
    })
  )
}

/** The server's store in a schema of its own, dropped afterwards. */
const server = (schema: string): Store =>
  Layer.effectDiscard(
    Effect.addFinalizer(() =>
      Effect.orDie(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)))
    )
  ).pipe(Layer.provideMerge(PgEventStore.layerPg({ url, schema, migrate: true, maxConnections: 4 })))

const load = () => loadavg()[0]!.toFixed(1)

export const run = async ({ full: isFull }: { full: boolean }): Promise<void> => {
  const size = isFull ? full : quick
  console.log(
    `Domain.handle (ReceiveSupplies) on a campaign stream with 0, 1,000 and 10,000 earlier events: ${size.runs} rounds, ` +
      `${size.cached} commands a row with the cache and ${size.uncached} without; commands/s are medians.\n`
  )
  const backends: ReadonlyArray<readonly [string, Store]> = [
    ["in memory", EventStore.layerMemory],
    ["PGlite (in memory)", PgEventStore.layerPglite()],
    [`PostgreSQL server (${url.replace(/\/\/[^@]*@/, "//")})`, server(`bench_handle_${randomUUID().slice(0, 8)}`)]
  ]
  for (const [name, layer] of backends) {
    const before = load()
    const rows = await measure(name, layer, size).catch((error: unknown) => {
      console.log(`\n### ${name}: skipped (${error instanceof Error ? error.message : String(error)})\n`)
      return undefined
    })
    if (rows === undefined) continue
    console.log(`\n### ${name}, load ${before} → ${load()}\n`)
    print(rows)
  }
}
