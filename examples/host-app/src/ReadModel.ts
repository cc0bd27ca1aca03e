import { Domain } from "@shuangbai/core"
import type { Envelope, EventStore } from "@shuangbai/eventsourcing"
import { type Checkpoints, ProjectionRunner } from "@shuangbai/postgres"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"

// The hotline's own read model: each household with its station, village, head and the day of its last
// home visit, in the app's own table, kept by following the tenant's log. ProjectionRunner commits each
// page of rows with its checkpoint, so every event counts once whatever crashes. Events are read through
// `Domain.codec`: personal fields (the head's name) are stored sealed, and only the codec gives them as
// plaintext (or as erased, once the person is).

export const migrate = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`
    yield* sql`CREATE TABLE IF NOT EXISTS ${sql(schema)}.households (
      tenant text NOT NULL, household text NOT NULL, station text NOT NULL, village text NOT NULL,
      head text NOT NULL, last_visit date, PRIMARY KEY (tenant, household))`
  })

const handle = (schema: string) => (stored: Envelope.StoredEvent) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { event } = yield* Effect.fromResult(Domain.codec.decode(stored))
    if (event._tag === "HouseholdRegistered") {
      yield* sql`INSERT INTO ${sql(schema)}.households ${sql.insert({
        tenant: stored.tenant,
        household: event.household,
        station: event.station,
        village: event.village,
        head: event.head.name
      })} ON CONFLICT DO NOTHING`
    } else if (event._tag === "VisitConducted" && event.modality === "HomeVisit") {
      yield* sql`UPDATE ${sql(schema)}.households SET last_visit = GREATEST(last_visit, ${event.visitedOn}::date)
        WHERE tenant = ${stored.tenant} AND household = ${event.household}`
    }
  })

/** Follows the tenant's log forever from the read model's checkpoint. */
export const follow = (
  schema: string,
  tenant: string
): Effect.Effect<never, unknown, EventStore.EventStore | Checkpoints.Checkpoints | SqlClient.SqlClient> =>
  ProjectionRunner.run({
    name: `${schema}.households`,
    tenant,
    types: ["HouseholdRegistered", "VisitConducted"],
    handle: handle(schema)
  })

export interface Household {
  readonly household: string
  readonly station: string
  readonly village: string
  readonly head: string
  readonly lastVisit: string | null
}

/** Households of a station not visited at home since `since` (never visited ones first). */
export const unvisitedSince = (schema: string, tenant: string, station: string, since: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      household: string
      station: string
      village: string
      head: string
      last_visit: string | null
    }>`
      SELECT household, station, village, head, to_char(last_visit, 'YYYY-MM-DD') AS last_visit
      FROM ${sql(schema)}.households
      WHERE tenant = ${tenant} AND station = ${station} AND (last_visit IS NULL OR last_visit < ${since}::date)
      ORDER BY last_visit NULLS FIRST, household`
    return rows.map(
      (r): Household => ({
        household: r.household,
        station: r.station,
        village: r.village,
        head: r.head,
        lastVisit: r.last_visit
      })
    )
  })
