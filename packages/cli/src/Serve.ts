import { Authentication, Server } from "@shuangbai/server"
import { Console, Effect, Layer } from "effect"
import { HttpServer } from "effect/http"
import { type CliFailure, fail } from "./Failure.ts"
import * as Store from "./Store.ts"

// `shuangbai serve`: the HTTP API of @shuangbai/server on the store the flags name, with the development
// authentication of API keys from a file; until interrupted (Ctrl-C ends live feeds, then lets commands in
// flight finish).

export interface Options {
  readonly port: number
  readonly host: string
  readonly apiKeys: string | undefined
}

export const serve = (target: Store.Target, options: Options) =>
  Effect.gen(function* () {
    const apiKeys = options.apiKeys ?? process.env.SHUANGBAI_API_KEYS
    if (apiKeys === undefined || apiKeys === "") {
      return yield* Effect.fail<CliFailure>(
        fail(
          "Usage",
          'serve needs --api-keys FILE (or SHUANGBAI_API_KEYS): JSON { "keys": { "<key>": { "id", "tenant", "roles", "station"? } } } naming who each key is'
        )
      )
    }
    const authentication = Authentication.layerApiKeysFile(apiKeys).pipe(
      Layer.catchTag("ApiKeysFileError", (error) => Layer.effectContext(Effect.fail(fail("BadInput", error.message))))
    )
    const listening = Effect.gen(function* () {
      const server = yield* HttpServer.HttpServer
      yield* Console.log(
        `serving ${Store.describe(target)} at ${HttpServer.formatAddress(server.address)} (OpenAPI at /openapi.json, reference at /docs); Ctrl-C stops`
      )
      return yield* Effect.never
    })
    return yield* listening.pipe(
      Effect.provide(
        Server.serve({
          port: options.port,
          host: options.host,
          store: Store.layer(target),
          authentication
        })
      )
    )
  })
