import { type Envelope, EventStoreError } from "@shuangbai/eventsourcing"

/**
 * The fields of an event, in the order every read selects them: `sql` is the expression (alias `e`),
 * `json` marks a jsonb column. Times come back exactly as they were hashed.
 */
const fields: ReadonlyArray<{ readonly name: string; readonly sql: string; readonly json?: true }> = [
  { name: "tenant", sql: "e.tenant" },
  { name: "position", sql: "e.position::text" },
  { name: "category", sql: "e.category" },
  { name: "stream_id", sql: "e.stream_id" },
  { name: "version", sql: "e.version" },
  { name: "event_id", sql: "e.event_id" },
  { name: "type", sql: "e.type" },
  { name: "schema_version", sql: "e.schema_version" },
  { name: "data", sql: "e.data", json: true },
  { name: "occurred_at", sql: "e.occurred_at" },
  { name: "recorded_at", sql: `to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` },
  { name: "actor", sql: "e.actor", json: true },
  { name: "command_id", sql: "e.command_id" },
  { name: "correlation_id", sql: "e.correlation_id" },
  { name: "causation_id", sql: "e.causation_id" },
  { name: "subjects", sql: "e.subjects", json: true },
  { name: "prev_hash", sql: "e.prev_hash" },
  { name: "hash", sql: "e.hash" }
]

/** The events table's columns, in the order of `columns`. */
export const eventColumns: ReadonlyArray<string> = fields.map((f) => f.name)

/** The select list for events (alias `e`), one column per field, jsonb as its text, read as rows of values. */
export const columns = fields.map((f) => `${f.sql}${f.json ? "::text" : ""} AS ${f.name}`).join(", ")

/**
 * One event as a JSON array of its fields in `columns` order, jsonb embedded as it is (not as a JSON
 * string of its text): `json_agg` of these is a whole read in one value, parsed by one `JSON.parse`.
 */
export const jsonRow = `json_build_array(${fields.map((f) => f.sql).join(", ")})`

class Corrupt {
  readonly field: string
  constructor(field: string) {
    this.field = field
  }
}

const text = (value: unknown, field: string): string => {
  if (typeof value !== "string") throw new Corrupt(field)
  return value
}

const int = (value: unknown, field: string): number => {
  const n = typeof value === "string" ? Number(value) : value
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new Corrupt(field)
  return n
}

const json = (value: unknown, field: string): unknown => {
  try {
    return JSON.parse(text(value, field))
  } catch {
    throw new Corrupt(field)
  }
}

/** A jsonb field that came back inside `jsonRow`, already parsed. */
const parsed = (value: unknown): unknown => value

const actorOf = (value: unknown): Envelope.Actor => {
  const actor = value as Record<string, unknown> | null
  if (actor === null || typeof actor !== "object" || Array.isArray(actor)) throw new Corrupt("actor")
  if (
    typeof actor.id !== "string" ||
    typeof actor.role !== "string" ||
    ("station" in actor && typeof actor.station !== "string")
  ) {
    throw new Corrupt("actor")
  }
  return actor as unknown as Envelope.Actor
}

const subjectsOf = (value: unknown): ReadonlyArray<string> => {
  if (!Array.isArray(value) || value.some((s) => typeof s !== "string")) throw new Corrupt("subjects")
  return value as ReadonlyArray<string>
}

/**
 * How a read's rows come back: `"columns"`, one array of values per row in `columns` order (jsonb as
 * text), or `"json"`, the elements of a `json_agg` of `jsonRow` (jsonb already parsed).
 */
export type Shape = "columns" | "json"

/**
 * A row's values back into the envelope. The payload is returned as stored (the event codec decodes it
 * and names the event if it does not match); an envelope that cannot be read is `Corrupt`, naming
 * tenant and position.
 */
export const decodeValues = (row: ReadonlyArray<unknown>, shape: Shape): Envelope.StoredEvent | EventStoreError => {
  const jsonb = shape === "json" ? parsed : json
  try {
    return {
      eventId: text(row[5], "event_id"),
      tenant: text(row[0], "tenant"),
      stream: { category: text(row[2], "category"), id: text(row[3], "stream_id") },
      version: int(row[4], "version"),
      position: int(row[1], "position"),
      type: text(row[6], "type"),
      schemaVersion: int(row[7], "schema_version"),
      data: jsonb(row[8], "data"),
      occurredAt: text(row[9], "occurred_at"),
      recordedAt: text(row[10], "recorded_at"),
      actor: actorOf(jsonb(row[11], "actor")),
      commandId: text(row[12], "command_id"),
      correlationId: text(row[13], "correlation_id"),
      causationId: text(row[14], "causation_id"),
      subjects: subjectsOf(jsonb(row[15], "subjects")),
      prevHash: text(row[16], "prev_hash"),
      hash: text(row[17], "hash")
    }
  } catch (e) {
    if (!(e instanceof Corrupt)) throw e
    return new EventStoreError({
      reason: "Corrupt",
      message: `the stored event of tenant ${String(row[0])} at position ${String(row[1])} cannot be read: column ${e.field} is malformed; check its hash chain (Audit.verifyChain, or \`shuangbai audit verify\`)`
    })
  }
}

/** Decodes rows of values of `shape` in order; the first unreadable one fails the whole read. */
export const decodeAllValues = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  shape: Shape
):
  | { readonly _tag: "Ok"; readonly events: Array<Envelope.StoredEvent> }
  | { readonly _tag: "Err"; readonly error: EventStoreError } => decodeRows(rows, (row) => decodeValues(row, shape))

const decodeRows = <R>(rows: ReadonlyArray<R>, decodeRow: (row: R) => Envelope.StoredEvent | EventStoreError) => {
  const events: Array<Envelope.StoredEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const decoded = decodeRow(rows[i]!)
    if (decoded instanceof EventStoreError) return { _tag: "Err", error: decoded } as const
    events[i] = decoded
  }
  return { _tag: "Ok", events } as const
}
