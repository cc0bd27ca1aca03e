import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore, type EventStoreError, ExpectedVersion, IdGenerator } from "@shuangbai/eventsourcing"
import { type Checkpoints, PgEventStore } from "@shuangbai/postgres"
import { Services } from "@shuangbai/testing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as JetStreamClient from "../src/JetStreamClient.ts"

export const { pgUrl } = Services
export const natsUrl = process.env.SHUANGBAI_NATS_URL ?? "127.0.0.1:4222"

/** Skipped (and saying so) without PostgreSQL and NATS; failing instead under SHUANGBAI_REQUIRE_NATS=1 (CI). */
export const describeBroker = (name: string, body: () => void) =>
  Services.describeRequiring(
    name,
    [Services.postgres, { name: "NATS", address: natsUrl, defaultPort: 4222, variable: "SHUANGBAI_NATS_URL" }],
    "SHUANGBAI_REQUIRE_NATS",
    body
  )

export const unique = (label: string) => `${label}_${randomBytes(5).toString("hex")}`

/** The store in a fresh schema, migrated, dropped when the layer is released. */
export const storeLayer = (
  schema: string
): Layer.Layer<EventStore.EventStore | Checkpoints.Checkpoints | SqlClient.SqlClient, EventStoreError> =>
  Layer.provideMerge(
    Layer.effectDiscard(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
      })
    ),
    PgEventStore.layerPg({ url: pgUrl, migrate: true, schema, client: { applicationName: schema } })
  )

export const natsLayer = JetStreamClient.layer({ servers: natsUrl })

/** Deletes the JetStream stream when the scope closes. */
export const deleteStreamAfter = (stream: string) =>
  Effect.gen(function* () {
    const { manager } = yield* JetStreamClient.JetStreamClient
    yield* Effect.addFinalizer(() => Effect.promise(() => manager.streams.delete(stream).catch(() => false)))
  })

/** Appends `n` events, one per command, over a few streams of the tenant. */
export const appendEvents = (tenant: string, n: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const ids = yield* IdGenerator.IdGenerator
    for (let i = 0; i < n; i++) {
      const commandId = yield* ids.next
      yield* store.append({
        tenant,
        stream: { category: "visit", id: `v-${i % 5}` },
        expected: ExpectedVersion.any,
        events: [
          {
            eventId: yield* ids.next,
            type: "VisitConducted",
            schemaVersion: 1,
            data: { i, note: "家访 home visit" },
            occurredAt: "2026-03-01T08:00:00.000Z",
            subjects: []
          }
        ],
        context: {
          actor: { id: "worker-1", role: "worker", station: "st-1" },
          commandId,
          correlationId: commandId,
          causationId: commandId
        }
      } satisfies EventStore.AppendRequest)
    }
  }).pipe(Effect.provide(IdGenerator.layer))

/** What the broker's stream holds, in stream order: each message's subject, id and position. */
export const brokerContents = (stream: string) =>
  Effect.gen(function* () {
    const { manager } = yield* JetStreamClient.JetStreamClient
    const info = yield* Effect.promise(() => manager.streams.info(stream))
    const out: Array<{ subject: string; msgId: string; position: number; seq: number }> = []
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = yield* Effect.promise(() => manager.streams.getMessage(stream, { seq }))
      if (m === null) continue
      out.push({
        subject: m.subject,
        seq: m.seq,
        msgId: m.header.get("Nats-Msg-Id"),
        position: Number(m.header.get("Shuangbai-Position"))
      })
    }
    return out
  })

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/**
 * A broker of the test's own (nats-server with JetStream on a free loopback port and a temp store), so
 * that a test can kill and restart it without touching the shared one. Killed and removed with the scope.
 */
export const privateBroker = Effect.gen(function* () {
  const port = yield* Effect.promise(freePort)
  const dir = mkdtempSync(join(tmpdir(), "shuangbai-nats-"))
  let current: ReturnType<typeof spawn> | undefined
  const start = Effect.gen(function* () {
    current = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir], { stdio: "ignore" })
    for (let i = 0; i < 100 && !(yield* Effect.promise(() => Services.reachable(`127.0.0.1:${port}`, port))); i++)
      yield* Effect.sleep("100 millis")
  })
  const kill = Effect.sync(() => {
    current?.kill("SIGKILL")
    current = undefined
  })
  yield* start
  yield* Effect.addFinalizer(() =>
    Effect.andThen(
      kill,
      Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    )
  )
  return { url: `127.0.0.1:${port}`, start, kill }
})
