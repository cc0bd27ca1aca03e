// The peer a TypeScript team would pick instead: `@event-driven-io/emmett-postgresql`, used only through its
// public API, in a database of its own on the same server, fed the same events (payload, actor and command
// ids) as the store and the raw baseline.
import { dumbo } from "@event-driven-io/dumbo"
import { isExpectedVersionConflictError, NO_CONCURRENCY_CHECK } from "@event-driven-io/emmett"
import { getPostgreSQLEventStore, type PostgresEventStore, readMessagesBatch } from "@event-driven-io/emmett-postgresql"
import pg from "pg"
import { newId, payload } from "./storeWorkload.ts"

export interface Emmett {
  readonly store: PostgresEventStore
  /** Reads the whole log a page at a time (`readMessagesBatch`, what Emmett's consumers pull with). */
  readonly readAll: (pageSize: number) => Promise<number>
  /** Follows the log from its start with Emmett's consumer until it has seen `count` events. */
  readonly follow: (count: number, batchSize: number, run: number) => Promise<number>
  /** Empties the store (its rows and sequences), so that the read rows read the same log as the others. */
  readonly truncate: () => Promise<void>
  readonly close: () => Promise<void>
}

/** Emmett has no tenants: the stream name carries the tenant as the store's stream id does its category. */
export const streamName = (tenant: string, stream: { readonly category: string; readonly id: string }) =>
  `${tenant}-${stream.category}-${stream.id}`

const actor = { id: "sw-017", role: "worker", station: "st-lianzhou-03" }
const occurredAt = "2026-03-01T08:00:00.000Z"
let counter = 0

/** `n` events as the store's `request` writes them: the same payload, the same context as metadata. */
export const events = (n: number) => {
  const commandId = newId()
  return Array.from({ length: n }, () => {
    const data = payload(counter++)
    return {
      type: "VisitRecorded",
      data,
      metadata: {
        eventId: newId(),
        occurredAt,
        actor,
        commandId,
        correlationId: commandId,
        causationId: commandId,
        subjects: [data.household]
      }
    }
  })
}

/** Appends at an expected version (a number of events already in the stream), or with no check. */
export const append = (store: PostgresEventStore, stream: string, n: number, expected?: number) =>
  store.appendToStream(stream, events(n), {
    expectedStreamVersion: expected === undefined ? NO_CONCURRENCY_CHECK : BigInt(expected)
  })

export const isConflict = isExpectedVersionConflictError

const withDatabase = (url: string, database: string) => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const admin = async <A>(url: string, body: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await body(client)
  } finally {
    await client.end()
  }
}

/** Emmett in a fresh database `database` on the server of `url`; `close` drops it. */
export const openEmmett = async (url: string, database: string): Promise<Emmett> => {
  await admin(url, (c) => c.query(`CREATE DATABASE ${database}`))
  const own = withDatabase(url, database)
  const drop = () => admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))
  try {
    const store = getPostgreSQLEventStore(own, { schema: { autoMigration: "CreateOrUpdate" } })
    await store.schema.migrate()
    const pool = dumbo({ connectionString: own })
    const readAll = async (pageSize: number) => {
      let count = 0
      let after: bigint | undefined
      for (;;) {
        const page = await readMessagesBatch(
          pool.execute,
          after === undefined ? { from: 0n, batchSize: pageSize } : { after, batchSize: pageSize }
        )
        count += page.messages.length
        if (page.messages.length < pageSize) return count
        after = page.messages[page.messages.length - 1]!.metadata.globalPosition
      }
    }
    const follow = async (count: number, batchSize: number, run: number) => {
      let seen = 0
      // Stops by itself once it has caught up with the log.
      const consumer = store.consumer({ stopWhen: { noMessagesLeft: true }, pulling: { batchSize } })
      consumer.reactor({
        processorId: `bench-follow-${run + 1}-${newId()}`,
        startFrom: "BEGINNING",
        eachMessage: async () => {
          seen += 1
        }
      })
      // `stop`, not `close`: the consumer shares the store's pool, which `close` would end.
      try {
        await consumer.start()
      } finally {
        await consumer.stop()
      }
      if (seen !== count) throw new Error(`Emmett's consumer saw ${seen} events of ${count}`)
      return seen
    }
    return {
      store,
      readAll,
      follow,
      truncate: () => store.schema.dangerous.truncate({ resetSequences: true }),
      close: async () => {
        await pool.close().catch(() => undefined)
        await store.close().catch(() => undefined)
        await drop()
      }
    }
  } catch (error) {
    await drop().catch(() => undefined)
    throw error
  }
}
