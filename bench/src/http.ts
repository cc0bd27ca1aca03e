// `npm run bench -- http` (quick) or `npm run bench -- http -- --full`: commands per second through the HTTP
// API (8 clients, keep-alive) against `Domain.handle` in process on the same PostgreSQL store in the same
// run, and the live feed's latency from a command's commit to its delivery as a server-sent event.
import { randomBytes } from "node:crypto"
import { Worker } from "node:worker_threads"
import { Access, Domain } from "@shuangbai/core"
import { EventStore, IdGenerator, SubjectKeys } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Authentication, Server } from "@shuangbai/server"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { perSecond, printTable, ratio } from "./util/table.ts"
import { compare, median } from "./util/timing.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Sizes {
  /** Rounds, HTTP and in process alternating; each figure is the median. */
  readonly runs: number
  /** Commands each client sends per round. */
  readonly perClient: number
  /** Commands whose commit-to-delivery time is measured, one at a time. */
  readonly feedSamples: number
}

const quick: Sizes = { runs: 3, perClient: 25, feedSamples: 100 }
const full: Sizes = { runs: 5, perClient: 150, feedSamples: 500 }

const clients = 8
const tenant = "bench-http"
const station = "huangpen"
const bureau = { id: "bureau-01", role: "bureau" }
const worker = (c: number) => `worker-${c}`
const principal = (c: number) => ({ id: worker(c), tenant, roles: ["worker"] as const, station })

const visit = (c: number, id: string) => ({
  _tag: "RecordVisit",
  visit: id,
  household: `hh-${c}`,
  station,
  worker: worker(c),
  visitedOn: "2025-03-01",
  personsSeen: [`p-${c}`],
  modality: "HomeVisit",
  findings: "身体尚可",
  needs: [],
  itemsGiven: []
})

/** A county with one station, eight workers on post there and a household for each. */
const seed = Effect.gen(function* () {
  let n = 0
  const send = (input: unknown, actor: { id: string; role: string; station?: string }) =>
    Domain.handleUnknown(tenant, input, { actor, commandId: `seed-${n++}` })
  yield* send(
    { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: station, name: "黄盆镇" }] },
    {
      id: "admin-01",
      role: "admin"
    }
  )
  yield* send(
    { _tag: "EstablishStation", township: station, station, name: "黄盆镇社工站", establishedOn: "2024-12-01" },
    bureau
  )
  yield* send({ _tag: "AllotPosts", station, posts: clients, allottedOn: "2024-12-01" }, bureau)
  for (let c = 0; c < clients; c++) {
    yield* send({ _tag: "HireWorker", worker: worker(c), name: `社工${c}`, station, hiredOn: "2025-01-02" }, bureau)
    yield* send(
      {
        _tag: "RegisterHousehold",
        household: `hh-${c}`,
        station,
        township: station,
        village: `${station}-01`,
        address: "某村",
        head: { person: `p-${c}`, name: "陈伯", birthDate: "1942-05-05" },
        registeredOn: "2025-01-10"
      },
      { id: worker(c), role: "worker", station }
    )
  }
})

/**
 * Eight clients sending RecordVisit one after another each, over keep-alive connections (node:http's
 * Agent: fetch's client costs several times more CPU per request, which would be measured as the server's).
 */
const clientScript = `
const { parentPort, workerData } = require("node:worker_threads")
const http = require("node:http")
const { base, clients, template } = workerData
const { hostname, port } = new URL(base)
const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
const post = (path, headers, body) => new Promise((resolve, reject) => {
  const request = http.request({ host: hostname, port, path, method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
    let text = ""
    response.setEncoding("utf8")
    response.on("data", (chunk) => { text += chunk })
    response.on("end", () => resolve({ status: response.statusCode, text }))
  })
  request.on("error", reject)
  request.end(body)
})
parentPort.on("message", async ({ perClient, prefix }) => {
  try {
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const body = { ...template, visit: prefix + "-" + c + "-" + i, household: "hh-" + c, worker: "worker-" + c, personsSeen: ["p-" + c] }
        const response = await post("/commands/visits/RecordVisit", { authorization: "Bearer key-" + c, "content-type": "application/json" }, JSON.stringify(body))
        if (response.status !== 200) throw new Error("HTTP " + response.status + ": " + response.text)
      }
    }))
    parentPort.postMessage({ sent: clients * perClient })
  } catch (error) {
    parentPort.postMessage({ error: String(error) })
  }
})
`

export const run = async (options: { full: boolean }) => {
  const size = options.full ? full : quick
  const schema = `sb_bench_http_${randomBytes(4).toString("hex")}`
  const runtime = ManagedRuntime.make(
    Layer.merge(PgEventStore.layerPg({ url, schema, migrate: true, maxConnections: clients + 4 }), IdGenerator.layer)
  )
  const store = await runtime.runPromise(EventStore.EventStore)
  const keys = await runtime.runPromise(SubjectKeys.SubjectKeys)
  await runtime.runPromise(seed)
  // The server shares the store (and its pool) with the in-process side.
  const server = ManagedRuntime.make(
    Server.serve({
      port: 0,
      store: Layer.merge(Layer.succeed(EventStore.EventStore, store), Layer.succeed(SubjectKeys.SubjectKeys, keys)),
      authentication: Authentication.layerApiKeys({
        keys: Object.fromEntries(
          Array.from({ length: clients + 1 }, (_, c) => [
            `key-${c}`,
            c === clients ? { id: "auditor-01", tenant, roles: ["auditor"] } : principal(c)
          ])
        ) as never
      }),
      rateLimit: false
    })
  )
  const address = await server.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address))
  const base = `http://127.0.0.1:${(address as { port: number }).port}`
  let sequence = 0
  const next = () => `v-${sequence++}`
  let clients$: Worker | undefined

  try {
    // The clients run on their own thread, as a client process would: their fetch calls do not take the
    // server's event loop (in-process commands pay no client at all).
    const thread = new Worker(clientScript, { eval: true, workerData: { base, clients, template: visit(0, "") } })
    clients$ = thread
    const http = (round: number) =>
      new Promise<number>((resolve, reject) => {
        thread.once("message", (answer: { readonly error?: string; readonly sent?: number }) =>
          answer.error === undefined ? resolve(answer.sent!) : reject(new Error(answer.error))
        )
        thread.postMessage({ perClient: size.perClient, prefix: `http-${round}-${randomBytes(3).toString("hex")}` })
      })
    /** Every client sends its share of visits one after another, all clients at once: the commands sent. */
    const inProcessClients = (
      send: (
        client: number,
        id: string
      ) => Effect.Effect<unknown, unknown, EventStore.EventStore | IdGenerator.IdGenerator>
    ) =>
      runtime.runPromise(
        Effect.forEach(
          Array.from({ length: clients }, (_, c) => c),
          (c) =>
            Effect.gen(function* () {
              for (let i = 0; i < size.perClient; i++) yield* send(c, next())
            }),
          { concurrency: "unbounded", discard: true }
        ).pipe(Effect.as(clients * size.perClient))
      )
    const inProcess = () =>
      inProcessClients((c, id) =>
        Domain.handleUnknown(tenant, visit(c, id), {
          actor: { id: worker(c), role: "worker", station },
          commandId: id
        })
      )
    // The server authorizes every command (Access.handle loads the household's station and the worker's
    // post); this row shows what that costs in process, apart from HTTP.
    const authorizedInProcess = () =>
      inProcessClients((c, id) =>
        Access.handle(Schema.decodeSync(Access.Principal)(principal(c)), visit(c, id), { commandId: id })
      )
    const { a, b, ratio: r } = await compare(size.runs, http, inProcess)
    const authorized = await compare(size.runs, authorizedInProcess, inProcess)
    const viaHttp = await compare(size.runs, http, authorizedInProcess)
    const target = (x: number) => (x >= 0.6 ? "≥ 0.6× ✓" : "≥ 0.6× ✗")
    printTable(
      ["row (8 clients, RecordVisit)", "commands/s", "baseline: Domain.handle in process", "ratio", "target"],
      [
        ["HTTP, keep-alive", perSecond(a), perSecond(b), ratio(r), target(r)],
        ["Access.handle in process", perSecond(authorized.a), perSecond(authorized.b), ratio(authorized.ratio), ""],
        ["HTTP ÷ Access.handle in process", perSecond(viaHttp.a), perSecond(viaHttp.b), ratio(viaHttp.ratio), ""]
      ]
    )

    // Feed latency: commit in process, time until the event arrives on an open SSE connection.
    const arrivals = new Map<number, number>()
    const waiters = new Map<number, (at: number) => void>()
    const controller = new AbortController()
    const head = (await runtime.runPromise(store.head(tenant))).position
    const feed = await fetch(`${base}/feed?after=${head}`, {
      headers: { authorization: `Bearer key-${clients}` },
      signal: controller.signal
    })
    const reading = (async () => {
      const reader = feed.body!.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ""
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        const at = performance.now()
        buffer += value
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const id = /^id: (\d+)$/m.exec(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
          if (id !== null) {
            arrivals.set(Number(id[1]), at)
            waiters.get(Number(id[1]))?.(at)
          }
        }
      }
    })().catch(() => {})
    const latencies: Array<number> = []
    for (let i = 0; i < size.feedSamples; i++) {
      const id = next()
      const handled = await runtime.runPromise(
        Domain.handleUnknown(tenant, visit(i % clients, id), {
          actor: { id: worker(i % clients), role: "worker", station },
          commandId: id
        })
      )
      const committed = performance.now()
      const position = handled.events[0]!.position
      const arrived =
        arrivals.get(position) ??
        (await new Promise<number>((resolve) => {
          waiters.set(position, resolve)
          setTimeout(() => resolve(Number.NaN), 10_000)
        }))
      waiters.delete(position)
      // An event delivered before the handler returned to its caller counts as 0 ms.
      latencies.push(Math.max(0, arrived - committed))
    }
    controller.abort()
    await reading
    const sorted = latencies.filter(Number.isFinite).sort((x, y) => x - y)
    printTable(
      ["feed latency, commit → SSE", "samples", "median (ms)", "p99 (ms)"],
      [
        [
          "one event at a time, PostgreSQL LISTEN/NOTIFY",
          String(sorted.length),
          median(sorted).toFixed(1),
          (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN).toFixed(1)
        ]
      ]
    )
  } finally {
    await clients$?.terminate()
    await server.dispose()
    await runtime
      .runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)))
      .catch(() => {})
    await runtime.dispose()
  }
}
