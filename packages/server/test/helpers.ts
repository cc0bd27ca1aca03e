import { randomBytes } from "node:crypto"
import { createConnection, createServer, type Server as NetServer, type Socket } from "node:net"
import type { EventStore, SubjectKeys } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Services } from "@shuangbai/testing"
import { Effect, Layer, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { Authentication, Server } from "../src/index.ts"

export const { describePg, pgUrl } = Services

const pgAddress = new URL(pgUrl)
export const pgHost = pgAddress.hostname || "127.0.0.1"
export const pgPort = Number(pgAddress.port || 5432)

export const randomSchema = () => `sb_server_${randomBytes(6).toString("hex")}`

/** The store on the server in a schema of its own (fresh by default), migrated, dropped when released unless `keep`. */
export const pgStore = (
  options: { readonly url?: string; readonly schema?: string; readonly keep?: boolean } = {}
): Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys, unknown> => {
  const { url = pgUrl, schema = randomSchema() } = options
  const store = PgEventStore.layerPg({ url, schema, migrate: true, maxConnections: 10 })
  if (options.keep === true) return store as never
  const drop = Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
    })
  )
  return Layer.provideMerge(drop, store) as never
}

/**
 * A TCP relay to PostgreSQL that a test can cut and restore: the database becomes really unreachable
 * for the server (its connections drop, new ones are refused) and comes back.
 */
export const pgRelay = async () => {
  const sockets = new Set<Socket>()
  let server: NetServer | undefined
  let port = 0
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection({ host: pgHost, port: pgPort })
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on("close", () => sockets.delete(s))
          s.on("error", () => s.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port
        resolve()
      })
    })
  await open()
  return {
    url: () => {
      const url = new URL(pgUrl)
      url.hostname = "127.0.0.1"
      url.port = String(port)
      return url.toString()
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server!.close(() => resolve())
      }),
    restore: open
  }
}

/** Test principals of tenant `yangshan` (stations huangpen and qicun) and one of tenant `lianzhou`. */
export const keys = {
  admin: { id: "admin-01", tenant: "yangshan", roles: ["admin"] },
  bureau: { id: "bureau-01", tenant: "yangshan", roles: ["bureau"] },
  auditor: { id: "auditor-01", tenant: "yangshan", roles: ["auditor"] },
  worker: { id: "worker-017", tenant: "yangshan", roles: ["worker"], station: "huangpen" },
  lead: { id: "lead-01", tenant: "yangshan", roles: ["stationLead"], station: "huangpen" },
  otherWorker: { id: "worker-020", tenant: "yangshan", roles: ["worker"], station: "qicun" },
  otherTenant: { id: "bureau-lz", tenant: "lianzhou", roles: ["bureau", "auditor"] }
} as const
export type Who = keyof typeof keys

export const apiKeys = {
  keys: Object.fromEntries(Object.entries(keys).map(([name, principal]) => [`key-${name}`, principal])),
  revoked: ["key-revoked"]
}

export interface Running {
  readonly base: string
  readonly call: (
    who: Who | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ) => Promise<{ readonly status: number; readonly headers: Headers; readonly body: any }>
  /** Shuts the server down (as SIGTERM would) and releases the store. */
  readonly close: () => Promise<void>
  readonly runtime: ManagedRuntime.ManagedRuntime<HttpServer.HttpServer, unknown>
}

/** Starts the real server on a free loopback port. */
export const start = async (
  store: Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys, unknown>,
  options: Omit<Server.ServeOptions<unknown, unknown>, "store" | "authentication" | "port"> = {}
): Promise<Running> => {
  const runtime = ManagedRuntime.make(
    Server.serve({
      port: 0,
      store,
      authentication: Authentication.layerApiKeys(apiKeys as never),
      shutdownTimeout: "5 seconds",
      ...options
    })
  )
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address))
  const base = `http://127.0.0.1:${(address as { port: number }).port}`
  const call: Running["call"] = async (who, method, path, body, headers = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: {
        ...(who === undefined ? {} : { authorization: `Bearer key-${who}` }),
        // reads of personal data state a purpose (the access log records it); a test may override it
        "x-purpose": "e2e",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed }
  }
  return { base, call, close: () => runtime.dispose(), runtime }
}

/** The county, two stations, posts, a worker at each, and a household at each: what the tests act on. */
export const seed = async ({ call }: Running) => {
  const steps: Array<[Who, string, Record<string, unknown>]> = [
    [
      "admin",
      "/commands/stations/ConfigureCounty",
      {
        name: "阳山县",
        townships: [
          { township: "huangpen", name: "黄盆镇" },
          { township: "qicun", name: "七拱镇" }
        ]
      }
    ],
    [
      "bureau",
      "/commands/stations/EstablishStation",
      { township: "huangpen", station: "huangpen", name: "黄盆镇社工站", establishedOn: "2024-12-01" }
    ],
    [
      "bureau",
      "/commands/stations/EstablishStation",
      { township: "qicun", station: "qicun", name: "七拱镇社工站", establishedOn: "2024-12-01" }
    ],
    ["bureau", "/commands/workforce/AllotPosts", { station: "huangpen", posts: 2, allottedOn: "2024-12-01" }],
    ["bureau", "/commands/workforce/AllotPosts", { station: "qicun", posts: 2, allottedOn: "2024-12-01" }],
    [
      "bureau",
      "/commands/workforce/HireWorker",
      { worker: "worker-017", name: "李社工", station: "huangpen", hiredOn: "2025-01-02" }
    ],
    [
      "bureau",
      "/commands/workforce/HireWorker",
      { worker: "worker-020", name: "王社工", station: "qicun", hiredOn: "2025-01-02" }
    ],
    ["worker", "/commands/registry/RegisterHousehold", household("hh-0001", "huangpen", "p-0001")],
    ["otherWorker", "/commands/registry/RegisterHousehold", household("hh-0002", "qicun", "p-0002")]
  ]
  for (const [who, path, body] of steps) {
    const answer = await call(who, "POST", path, body)
    if (answer.status !== 200) throw new Error(`seed ${path}: ${answer.status} ${JSON.stringify(answer.body)}`)
  }
}

export const household = (id: string, station: string, head: string) => ({
  household: id,
  station,
  township: station,
  village: `${station}-01`,
  address: "某村 3 号",
  head: { person: head, name: "陈伯", birthDate: "1942-05-05" },
  registeredOn: "2025-01-10"
})

export const visit = (id: string, household = "hh-0001", person = "p-0001") => ({
  visit: id,
  household,
  station: "huangpen",
  worker: "worker-017",
  visitedOn: "2025-01-27",
  personsSeen: [person],
  modality: "HomeVisit",
  findings: "独居，身体尚可",
  needs: [],
  itemsGiven: []
})
