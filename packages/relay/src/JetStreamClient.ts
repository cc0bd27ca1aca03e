import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type JetStreamClient as Js,
  jetstream,
  jetstreamManager
} from "@nats-io/jetstream"
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node"
import { Context, Effect, Layer } from "effect"
import { RelayError } from "./RelayError.ts"

/** One connection to a NATS server with JetStream, drained when its layer is released. */
export class JetStreamClient extends Context.Service<
  JetStreamClient,
  {
    readonly connection: NatsConnection
    readonly jetstream: Js
    readonly manager: JetStreamManager
  }
>()("@shuangbai/relay/JetStreamClient") {}

/**
 * What a failed broker call means for the relay: a timeout, no responders or a lost connection may
 * succeed later; an API error (other than 503) is the broker saying no.
 */
export const toRelayError =
  (what: string) =>
  (cause: unknown): RelayError => {
    const text = cause instanceof Error ? cause.message : String(cause)
    const refused = cause instanceof JetStreamApiError && cause.status !== 503
    return new RelayError({
      reason: refused ? "Rejected" : "Unavailable",
      message: `${what}: ${text}`,
      cause
    })
  }

/** Whether a broker error says the stream does not exist. */
export const isStreamNotFound = (cause: unknown): boolean =>
  cause instanceof JetStreamApiError && cause.code === JetStreamApiCodes.StreamNotFound

/** A broker call as an Effect whose failure is a RelayError naming what was attempted. */
export const call = <A>(what: string, f: () => Promise<A>): Effect.Effect<A, RelayError> =>
  Effect.tryPromise({ try: f, catch: toRelayError(what) })

export const make = (options: NodeConnectionOptions = {}) =>
  Effect.acquireRelease(
    call(`connect to NATS at ${String(options.servers ?? "127.0.0.1:4222")}`, async () => {
      // A relay outlives broker restarts: keep reconnecting (the client's default gives up after 10 tries).
      const connection = await connect({ name: "shuangbai-relay", maxReconnectAttempts: -1, ...options })
      return { connection, jetstream: jetstream(connection), manager: await jetstreamManager(connection) }
    }),
    // Drain: publishes already sent are flushed before the socket closes.
    ({ connection }) => Effect.promise(() => connection.drain().catch(() => undefined))
  )

/** `servers` defaults to 127.0.0.1:4222; the client reconnects by itself while the layer lives. */
export const layer = (options: NodeConnectionOptions = {}): Layer.Layer<JetStreamClient, RelayError> =>
  Layer.effect(JetStreamClient, make(options))
