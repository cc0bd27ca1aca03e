import { type Envelope, EventStoreError } from "@shuangbai/eventsourcing"

/** An events row as selected by `columns`: every value as text or int4, so every driver returns the same. */
export interface EventRow {
  readonly tenant: unknown
  readonly position: unknown
  readonly category: unknown
  readonly stream_id: unknown
  readonly version: unknown
  readonly event_id: unknown
  readonly type: unknown
  readonly schema_version: unknown
  readonly data: unknown
  readonly occurred_at: unknown
  readonly recorded_at: unknown
  readonly actor: unknown
  readonly command_id: unknown
  readonly correlation_id: unknown
  readonly causation_id: unknown
  readonly subjects: unknown
  readonly prev_hash: unknown
  readonly hash: unknown
}

/** The select list for events (alias `e`). Times come back exactly as they were hashed. */
export const columns = `e.tenant, e.position::text AS position, e.category, e.stream_id, e.version, e.event_id, e.type,
  e.schema_version, e.data::text AS data, e.occurred_at,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  e.actor::text AS actor, e.command_id, e.correlation_id, e.causation_id, e.subjects::text AS subjects,
  e.prev_hash, e.hash`

/** The millisecond form of a store time, for the head row. */
export const instantSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

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

const actorOf = (value: unknown): Envelope.Actor => {
  const actor = json(value, "actor") as Record<string, unknown> | null
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
  const subjects = json(value, "subjects")
  if (!Array.isArray(subjects) || subjects.some((s) => typeof s !== "string")) throw new Corrupt("subjects")
  return subjects as ReadonlyArray<string>
}

/**
 * A row back into the envelope. The payload is returned as stored (the event codec decodes it and names
 * the event if it does not match); an envelope that cannot be read is `Corrupt`, naming tenant and position.
 */
export const decode = (row: EventRow): Envelope.StoredEvent | EventStoreError => {
  try {
    return {
      eventId: text(row.event_id, "event_id"),
      tenant: text(row.tenant, "tenant"),
      stream: { category: text(row.category, "category"), id: text(row.stream_id, "stream_id") },
      version: int(row.version, "version"),
      position: int(row.position, "position"),
      type: text(row.type, "type"),
      schemaVersion: int(row.schema_version, "schema_version"),
      data: json(row.data, "data"),
      occurredAt: text(row.occurred_at, "occurred_at"),
      recordedAt: text(row.recorded_at, "recorded_at"),
      actor: actorOf(row.actor),
      commandId: text(row.command_id, "command_id"),
      correlationId: text(row.correlation_id, "correlation_id"),
      causationId: text(row.causation_id, "causation_id"),
      subjects: subjectsOf(row.subjects),
      prevHash: text(row.prev_hash, "prev_hash"),
      hash: text(row.hash, "hash")
    }
  } catch (e) {
    if (!(e instanceof Corrupt)) throw e
    return new EventStoreError({
      reason: "Corrupt",
      message: `the stored event of tenant ${String(row.tenant)} at position ${String(row.position)} cannot be read: column ${e.field} is malformed; see its hash chain (shuangbai audit verify)`
    })
  }
}

/** Decodes rows in order; the first unreadable one fails the whole read. */
export const decodeAll = (
  rows: ReadonlyArray<EventRow>
):
  | { readonly _tag: "Ok"; readonly events: Array<Envelope.StoredEvent> }
  | { readonly _tag: "Err"; readonly error: EventStoreError } => {
  const events: Array<Envelope.StoredEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const decoded = decode(rows[i]!)
    if (decoded instanceof EventStoreError) return { _tag: "Err", error: decoded }
    events[i] = decoded
  }
  return { _tag: "Ok", events }
}
