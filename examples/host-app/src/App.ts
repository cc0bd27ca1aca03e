import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Access } from "@shuangbai/core"
import { type EventStore, IdGenerator, Scalars } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { ApiError, Authentication, Server } from "@shuangbai/server"
import { Clock, Effect, Layer } from "effect"
import { HttpRouter, type HttpServer, HttpServerResponse } from "effect/http"
import type { SqlClient } from "effect/sql"
import * as ReadModel from "./ReadModel.ts"
import * as Users from "./Users.ts"

// 长者关爱热线 — a township hotline app that embeds Shuangbai: its own users log in, the library's API
// serves them under the app's authentication, and the app keeps its own table of households to call,
// following the county's log.

export interface Options {
  readonly url: string
  readonly tenant: string
  /** The library's tables. */
  readonly storeSchema: string
  /** The app's own tables: users, sessions, its read model. */
  readonly appSchema: string
  readonly port?: number
}

const json = (body: unknown, status = 200) => HttpServerResponse.jsonUnsafe(body, { status })

const routes = (options: Options) =>
  Layer.mergeAll(
    Server.layer(),
    HttpRouter.add("POST", "/login", (request) =>
      Effect.gen(function* () {
        const body = (yield* Effect.orElseSucceed(request.json, () => ({}))) as {
          username?: unknown
          password?: unknown
        }
        const token =
          typeof body.username === "string" && typeof body.password === "string"
            ? yield* Effect.orDie(Users.login(options.appSchema, body.username, body.password))
            : undefined
        return token === undefined
          ? ApiError.toResponse(ApiError.unauthenticated("unknown user or wrong password"))
          : json({ token })
      })
    ),
    // The app's own read: its station's households not visited at home in `days` days.
    HttpRouter.add("GET", "/hotline/unvisited", (request) =>
      Effect.gen(function* () {
        const principal = yield* (yield* Authentication.Authentication).authenticate(request)
        const query = new URL(request.url, "http://localhost").searchParams
        const station = principal.station ?? query.get("station") ?? ""
        yield* Access.authorizeRead(principal, { _tag: "VisitSchedule", tenant: principal.tenant, station }).pipe(
          Effect.mapError((e) =>
            e._tag === "AccessDenied" ? ApiError.forbidden(e.code, e.messages) : ApiError.unavailable(e.message)
          )
        )
        const today = Scalars.chinaDateOf(yield* Clock.currentTimeMillis)
        const since = new Date(Date.parse(`${today}T00:00:00Z`) - Number(query.get("days") ?? 30) * 86_400_000)
        return json(
          yield* Effect.orDie(
            ReadModel.unvisitedSince(options.appSchema, principal.tenant, station, since.toISOString().slice(0, 10))
          )
        )
      }).pipe(Effect.catchTag("ApiError", (error) => Effect.succeed(ApiError.toResponse(error))))
    )
  )

/** The app listening, with the library's store, its own tables migrated and its read model following. */
export const serve = (
  options: Options
): Layer.Layer<HttpServer.HttpServer | SqlClient.SqlClient | EventStore.EventStore, unknown> => {
  const store = PgEventStore.layerPg({ url: options.url, schema: options.storeSchema, migrate: true })
  const tables = Layer.effectDiscard(
    Effect.andThen(Users.migrate(options.appSchema), ReadModel.migrate(options.appSchema))
  )
  const follower = Layer.effectDiscard(Effect.forkScoped(ReadModel.follow(options.appSchema, options.tenant)))
  const services = Layer.mergeAll(Users.authentication(options.appSchema), follower, IdGenerator.layer).pipe(
    Layer.provideMerge(Layer.provideMerge(tables, store))
  )
  return HttpRouter.serve(routes(options), { disableListenLog: true, disableLogger: true }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: options.port ?? 8081, host: "127.0.0.1" })),
    Layer.provideMerge(services)
  ) as never
}
