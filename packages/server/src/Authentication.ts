import { readFileSync } from "node:fs"
import { Access } from "@shuangbai/core"
import { Issue, issuesOf } from "@shuangbai/eventsourcing"
import { Context, Effect, Layer, Schema } from "effect"
import type { HttpServerRequest } from "effect/http"
import * as ApiError from "./ApiError.ts"

/**
 * Who is asking: the host maps a request to a principal (its session, its single sign-on, a gateway's
 * header). The principal is the actor of every command; nothing in a request body can change it.
 */
export class Authentication extends Context.Service<
  Authentication,
  {
    readonly authenticate: (
      request: HttpServerRequest.HttpServerRequest
    ) => Effect.Effect<Access.Principal, ApiError.ApiError>
  }
>()("@shuangbai/server/Authentication") {}

/** A host's own mapping from a request to a principal; fail with `ApiError.unauthenticated(...)` to refuse. */
export const layer = (
  authenticate: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<Access.Principal, ApiError.ApiError>
): Layer.Layer<Authentication> => Layer.succeed(Authentication, { authenticate })

/** The development default: `Authorization: Bearer <key>`, each key naming its principal. */
export const ApiKeys = Schema.Struct({
  keys: Schema.Record(Schema.String, Access.Principal),
  /** Keys that no longer open anything (kept so a client hears "revoked", not "unknown"). */
  revoked: Schema.optionalKey(Schema.Array(Schema.String))
})
export type ApiKeys = typeof ApiKeys.Type

const bearer = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

/** API keys given as data (decoded with `ApiKeys`). */
export const layerApiKeys = (config: ApiKeys): Layer.Layer<Authentication> => {
  const revoked = new Set(config.revoked ?? [])
  const keys = new Map(Object.entries(config.keys))
  return layer((request) => {
    const key = bearer(request)
    if (key === undefined) {
      return Effect.fail(
        ApiError.unauthenticated(
          "no API key: send the header Authorization: Bearer <key>",
          {},
          {
            "www-authenticate": 'Bearer realm="shuangbai"'
          }
        )
      )
    }
    if (revoked.has(key)) {
      return Effect.fail(ApiError.make({ status: 401, code: "RevokedKey", message: "this API key was revoked" }))
    }
    const principal = keys.get(key)
    return principal === undefined
      ? Effect.fail(ApiError.make({ status: 401, code: "UnknownKey", message: "this API key is not known" }))
      : Effect.succeed(principal)
  })
}

/** Why a key file could not be used, with the field paths that were wrong. */
export class ApiKeysFileError extends Schema.TaggedError<ApiKeysFileError>()("ApiKeysFileError", {
  path: Schema.String,
  message: Schema.String,
  issues: Schema.Array(Issue)
}) {}

/** Reads and checks a JSON key file `{ "keys": { "<key>": principal }, "revoked": ["<key>"] }`. */
export const readApiKeys = (path: string): Effect.Effect<ApiKeys, ApiKeysFileError> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (cause) =>
        new ApiKeysFileError({ path, message: `cannot read the API key file: ${String(cause)}`, issues: [] })
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new ApiKeysFileError({ path, message: "the API key file is not JSON", issues: [] })
    })
    return yield* Schema.decodeUnknownEffect(ApiKeys)(json).pipe(
      Effect.mapError(
        (error) =>
          new ApiKeysFileError({
            path,
            message: "the API key file does not match ApiKeys",
            issues: issuesOf(error.issue)
          })
      )
    )
  })

/** The development default read from a file when the layer is built. */
export const layerApiKeysFile = (path: string): Layer.Layer<Authentication, ApiKeysFileError> =>
  Layer.unwrap(Effect.map(readApiKeys(path), layerApiKeys))
