import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { type EventStore, IdGenerator, type SubjectKeys } from "@shuangbai/eventsourcing"
import { Deferred, Duration, Effect, Layer } from "effect"
import { HttpRouter, type HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { api } from "./Api.ts"
import * as ApiError from "./ApiError.ts"
import type { Authentication } from "./Authentication.ts"
import * as Handlers from "./Handlers.ts"

export interface Options extends Handlers.Options {}

const notFound = HttpRouter.add("*", "/*", (request) =>
  Effect.succeed(
    ApiError.toResponse(
      request.url.startsWith("/commands/")
        ? ApiError.make({
            status: 404,
            code: "UnknownCommand",
            message: `no command at ${request.method} ${request.url.split("?")[0]}: GET /openapi.json lists every command's path`
          })
        : ApiError.notFound(`no route ${request.method} ${request.url.split("?")[0]}: GET /openapi.json lists them`)
    )
  )
)

/**
 * Every route of the API, the OpenAPI document at /openapi.json and its reference page at /docs, for a
 * host's own HttpRouter. Needs the store with its SubjectKeys (for erasure), an IdGenerator and the host's
 * Authentication.
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  never,
  never,
  HttpRouter.HttpRouter | EventStore.EventStore | SubjectKeys.SubjectKeys | IdGenerator.IdGenerator | Authentication
> =>
  Layer.mergeAll(
    HttpApiBuilder.layer(api, { openapiPath: "/openapi.json" }).pipe(Layer.provide(Handlers.layer(options))),
    HttpApiScalar.layer(api, { path: "/docs" }),
    notFound
  ) as never

export interface ServeOptions<E1, E2> extends Options {
  /** 0 picks a free port (read it from `HttpServer.HttpServer`'s address). Default 8080. */
  readonly port?: number
  /** Default 127.0.0.1: expose it deliberately. */
  readonly host?: string
  /** The store and its keys, e.g. `PgEventStore.layerPg({ url })` or `PgEventStore.layerPglite({ dataDir })`. */
  readonly store: Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys, E1>
  /** Who is asking, e.g. `Authentication.layerApiKeysFile(path)` or the host's own. */
  readonly authentication: Layer.Layer<Authentication, E2>
  /** How long a shutdown waits for commands in flight (default 10 s). */
  readonly shutdownTimeout?: Duration.Input
}

/**
 * The server listening: `Layer.launch(Server.serve({ port, store, authentication }))` runs it until
 * interrupted; on shutdown it stops accepting, ends live feeds and lets commands in flight finish.
 */
export const serve = <E1, E2>(options: ServeOptions<E1, E2>): Layer.Layer<HttpServer.HttpServer, E1 | E2 | unknown> => {
  const shutdown = Deferred.makeUnsafe<void>()
  const routes = HttpRouter.serve(layer({ ...options, shutdown }), { disableListenLog: true, disableLogger: true })
  const server = NodeHttpServer.layer(createServer, {
    port: options.port ?? 8080,
    host: options.host ?? "127.0.0.1",
    gracefulShutdownTimeout: options.shutdownTimeout ?? Duration.seconds(10)
  })
  // Released first (built last): live feeds end before the server waits for open requests.
  const endFeeds = Layer.effectDiscard(Effect.addFinalizer(() => Deferred.succeed(shutdown, undefined)))
  return endFeeds.pipe(
    Layer.provideMerge(routes),
    Layer.provideMerge(server),
    Layer.provide(Layer.mergeAll(options.store, options.authentication, IdGenerator.layer))
  ) as never
}
