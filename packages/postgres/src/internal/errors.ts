import { EventStoreError } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { isSqlError, type SqlError } from "effect/sql/SqlError"

export const notMigratedHint = "run the migrations (PgEventStore.migrate, or `shuangbai migrate`)"

/** The SQLSTATE of a driver error, wherever the driver put it. */
export const sqlStateOf = (error: SqlError): string | undefined => {
  let cause: unknown = error.reason.cause
  for (let depth = 0; depth < 4 && cause !== null && typeof cause === "object"; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code
    cause = (cause as { cause?: unknown }).cause
  }
  return undefined
}

const detail = (error: SqlError): string => {
  const cause = error.reason.cause
  const message =
    cause !== null && typeof cause === "object" && typeof (cause as { message?: unknown }).message === "string"
      ? (cause as { message: string }).message
      : undefined
  return message !== undefined && message !== error.message ? `${error.message}: ${message}` : error.message
}

/**
 * Maps a driver error to the port's error, by SQLSTATE class where there is one:
 * connection trouble is `Unavailable` (retry; appends are idempotent by commandId), a missing table or
 * schema is `NotMigrated`, bad data is `InvalidRequest`.
 */
export const fromSqlError = (schema: string | undefined, error: SqlError): EventStoreError => {
  const state = sqlStateOf(error)
  const tag = error.reason._tag
  const cause = { cause: error }
  if (state === "42P01" || state === "3F000" || state === "42703") {
    return new EventStoreError({
      reason: "NotMigrated",
      message: `${schema === undefined ? "a table" : `the event store schema ${schema}`} is missing or not up to date: ${notMigratedHint}`,
      ...cause
    })
  }
  if (
    tag === "ConnectionError" ||
    tag === "AuthenticationError" ||
    tag === "DeadlockError" ||
    tag === "SerializationError" ||
    tag === "LockTimeoutError" ||
    tag === "StatementTimeoutError" ||
    state?.startsWith("08") === true ||
    state?.startsWith("57P") === true ||
    state === "53300" ||
    state === "57014"
  ) {
    const hint =
      tag === "AuthenticationError"
        ? "; check the user and password in the connection URL"
        : "; check that PostgreSQL is running and the connection URL is right, then retry (appends are idempotent by commandId)"
    return new EventStoreError({
      reason: "Unavailable",
      message: `PostgreSQL is unavailable: ${detail(error)}${hint}`,
      ...cause
    })
  }
  if (state === "25006") {
    return new EventStoreError({
      reason: "InvalidRequest",
      message: `PostgreSQL refused a write as read-only (${detail(error)}): the URL names a hot standby or a read-only session; append through the primary's URL (PgEventStore.layerPg's url, with the standby as its readUrl)`,
      ...cause
    })
  }
  if (state?.startsWith("22") === true || state === "54000") {
    return new EventStoreError({
      reason: "InvalidRequest",
      message: `PostgreSQL refused the data: ${detail(error)}`,
      ...cause
    })
  }
  return new EventStoreError({ reason: "Unknown", message: `PostgreSQL error: ${detail(error)}`, ...cause })
}

/**
 * A transaction whose connection died cannot roll back, and effect/sql reports that ROLLBACK failure as
 * a defect: it is still the connection's failure, so it becomes `Unavailable` like any other.
 */
export const connectionDefects =
  (schema: string | undefined) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | EventStoreError, R> =>
    Effect.catchDefect(effect, (defect) =>
      isSqlError(defect) ? Effect.fail(fromSqlError(schema, defect)) : Effect.die(defect)
    )
