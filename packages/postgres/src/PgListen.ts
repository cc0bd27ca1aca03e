import { Context, type Stream } from "effect"
import type { SqlError } from "effect/sql/SqlError"

/**
 * LISTEN for a channel's notifications. The store needs only this from a client beyond `SqlClient`
 * (it sends with `pg_notify()` inside its own transactions), so the server driver and the embedded
 * PGlite client each provide it and `PgEventStore` runs unchanged on both.
 */
export class PgListen extends Context.Service<
  PgListen,
  { readonly listen: (channel: string) => Stream.Stream<string, SqlError> }
>()("@shuangbai/postgres/PgListen") {}
