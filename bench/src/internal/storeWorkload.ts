// The rows the store benchmark writes, the same for the store and for the raw baseline, and the raw
// baseline itself: plain SQL on the store's own table shape, without its guarantees (no head lock, no
// expected-version check, no idempotency, no hash chain, no subject index).
import { randomFillSync } from "node:crypto"
import { type EventStore, type ExpectedVersion, IdGenerator } from "@shuangbai/eventsourcing"

const random = new Uint8Array(10)
export const newId = (): string => IdGenerator.uuidV7(Date.now(), randomFillSync(random))

/** A home-visit record of about 300 bytes of JSON, as a station worker would write one. */
export const payload = (n: number) => ({
  visitId: `visit-${n}`,
  household: `hh-${n % 997}`,
  worker: "sw-017",
  station: "st-lianzhou-03",
  visitedOn: "2026-03-01",
  kind: "home-visit",
  followUp: n % 3 === 0,
  notes: "入户走访，了解老人身体状况与生活需求。Home visit: checked on the elder's health and daily needs."
})

const actor = { id: "sw-017", role: "worker", station: "st-lianzhou-03" }
const occurredAt = "2026-03-01T08:00:00.000Z"
const eventType = "VisitRecorded"

let counter = 0

/** An append request of `n` fresh events. */
export const request = (
  tenant: string,
  stream: { readonly category: string; readonly id: string },
  expected: ExpectedVersion.ExpectedVersion,
  n: number
): EventStore.AppendRequest => {
  const events = []
  for (let i = 0; i < n; i++) {
    const data = payload(counter++)
    events.push({ eventId: newId(), type: eventType, schemaVersion: 1, data, occurredAt, subjects: [data.household] })
  }
  const commandId = newId()
  return {
    tenant,
    stream,
    expected,
    events,
    context: { actor, commandId, correlationId: commandId, causationId: commandId }
  }
}

// Raw baseline ---------------------------------------------------------------------------------

/** What the baseline needs of a connection: `pg.Client` and `PGlite` both have it. */
export interface Raw {
  readonly query: (text: string, params?: Array<unknown>) => Promise<{ readonly rows: Array<any> }>
}

const columns = `tenant, position, category, stream_id, version, event_id, type, schema_version, data, occurred_at,
  recorded_at, actor, command_id, correlation_id, causation_id, subjects, prev_hash, hash`
const perRow = 18
const prevHash = "0".repeat(64)
const hash = "f".repeat(64)
const actorJson = JSON.stringify(actor)

const placeholders = (rows: number) =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: perRow }, (_, c) => `$${r * perRow + c + 1}`).join(", ")})`
  ).join(",\n")

/**
 * Writes rows into a copy of the store's events table in `schema`. Positions and versions come from
 * counters in this process: uncoordinated writers never collide, and nothing is checked in the database.
 */
export const makeRawWriter = (schema: string) => {
  const positions = new Map<string, number>()
  const versions = new Map<string, number>()
  const one = `INSERT INTO ${schema}.events (${columns}) VALUES ${placeholders(1)}`
  const many = new Map<number, string>()

  const params = (tenant: string, stream: { category: string; id: string }, n: number): Array<unknown> => {
    const values: Array<unknown> = []
    const key = `${tenant}/${stream.category}/${stream.id}`
    const recordedAt = new Date().toISOString()
    for (let i = 0; i < n; i++) {
      const position = (positions.get(tenant) ?? 0) + 1
      positions.set(tenant, position)
      const version = (versions.get(key) ?? 0) + 1
      versions.set(key, version)
      const data = payload(counter++)
      const commandId = newId()
      values.push(
        tenant,
        position,
        stream.category,
        stream.id,
        version,
        newId(),
        eventType,
        1,
        JSON.stringify(data),
        occurredAt,
        recordedAt,
        actorJson,
        commandId,
        commandId,
        commandId,
        JSON.stringify([data.household]),
        prevHash,
        hash
      )
    }
    return values
  }

  /** `n` rows in one INSERT statement (autocommit: one commit). */
  const insert = (conn: Raw, tenant: string, stream: { category: string; id: string }, n: number) => {
    let text = n === 1 ? one : many.get(n)
    if (text === undefined) {
      text = `INSERT INTO ${schema}.events (${columns}) VALUES ${placeholders(n)}`
      many.set(n, text)
    }
    return conn.query(text, params(tenant, stream, n))
  }

  return { insert }
}

/** A stream by version, as a raw SELECT; the driver parses the jsonb columns. */
export const rawReadStream = (conn: Raw, schema: string, tenant: string, stream: { category: string; id: string }) =>
  conn.query(
    `SELECT ${columns} FROM ${schema}.events WHERE tenant = $1 AND category = $2 AND stream_id = $3 ORDER BY version`,
    [tenant, stream.category, stream.id]
  )

/** One keyset page of a tenant's log; the driver parses the jsonb columns. */
export const rawReadPage = (conn: Raw, schema: string, tenant: string, after: number, limit: number) =>
  conn.query(`SELECT ${columns} FROM ${schema}.events WHERE tenant = $1 AND position > $2 ORDER BY position LIMIT $3`, [
    tenant,
    after,
    limit
  ])
