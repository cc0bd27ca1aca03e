import * as PgClient from "@effect/sql-pg/PgClient"
import { Context, Effect, Layer, Stream } from "effect"
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

/** LISTEN through `@effect/sql-pg`: each stream holds one pooled connection until it ends. */
export const fromPgClient = (client: PgClient.PgClient): PgListen["Service"] => ({
  listen: (channel) =>
    Stream.unwrap(Effect.map(client.listen(channel), (queue) => Stream.map(Stream.fromQueue(queue), (n) => n.payload)))
})

/** Provides `PgListen` from the `PgClient` in context. */
export const layerPgClient: Layer.Layer<PgListen, never, PgClient.PgClient> = Layer.effect(
  PgListen,
  Effect.map(PgClient.PgClient, fromPgClient)
)
