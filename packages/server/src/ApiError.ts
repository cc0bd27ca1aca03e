import type { CommandHandler } from "@shuangbai/eventsourcing"
import { Data, Schema } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiSchema } from "effect/http-api"

// One JSON shape for every error the server answers with, whatever the status. Clients branch on
// `code` (stable); `message` is English for logs; `messages` carries both languages where people read them.

export const Issue = Schema.Struct({ path: Schema.String, message: Schema.String })

export const Body = Schema.Struct({
  status: Schema.Int,
  /** Stable: a rule code (422, 403) or one of the codes below. */
  code: Schema.String,
  message: Schema.String,
  messages: Schema.optionalKey(Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })),
  /** 400: which field was wrong and how. */
  issues: Schema.optionalKey(Schema.Array(Issue))
}).annotate({ identifier: "Error" })
export type Body = typeof Body.Type

/** An error answer on its way out: the body, its status and any headers it needs (Retry-After). */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly body: Body
  readonly headers: Readonly<Record<string, string>>
}> {
  get status() {
    return this.body.status
  }
}

const apiError = (body: Body, headers: Readonly<Record<string, string>> = {}) => new ApiError({ body, headers })

const withCode =
  (status: number, code: string) =>
  (message: string, extra: Omit<Partial<Body>, "status" | "code" | "message"> = {}, headers = {}) =>
    apiError({ status, code, message, ...extra }, headers)

export const invalidRequest = withCode(400, "InvalidRequest")
export const unauthenticated = withCode(401, "Unauthenticated")
export const notFound = withCode(404, "NotFound")
export const payloadTooLarge = withCode(413, "PayloadTooLarge")
export const unsupportedMediaType = withCode(415, "UnsupportedMediaType")

export const forbidden = (code: string, messages: { readonly "zh-CN": string; readonly en: string }) =>
  apiError({ status: 403, code, message: messages.en, messages })

/** Any other status with the one shape. */
export const make = apiError

export const rateLimited = (retryAfterSeconds: number) =>
  apiError(
    { status: 429, code: "RateLimited", message: `too many requests; retry after ${retryAfterSeconds} s` },
    { "retry-after": String(retryAfterSeconds) }
  )

export const unavailable = (message: string, retryAfterSeconds = 5) =>
  apiError({ status: 503, code: "Unavailable", message }, { "retry-after": String(retryAfterSeconds) })

/** How each failure of a command or a store read reaches a client. */
export const fromHandleError = (error: CommandHandler.HandleError): ApiError => {
  switch (error._tag) {
    case "InvalidCommand":
      return invalidRequest(error.message, { issues: error.issues })
    case "RuleViolation":
      return apiError({
        status: 422,
        code: error.code,
        message: error.message,
        messages: { "zh-CN": error.messageZh, en: error.message }
      })
    case "ConcurrencyConflict":
      return apiError({
        status: 409,
        code: "ConcurrencyConflict",
        message: `${error.message}; other writers kept moving the stream on while the command was retried: send it again`
      })
    case "IdempotencyMismatch":
      return apiError({ status: 409, code: "IdempotencyMismatch", message: error.message })
    case "EventStoreError":
      return fromStoreError(error)
    case "UnknownEventType":
    case "InvalidEvent":
      return apiError({ status: 500, code: error._tag, message: error.message })
  }
}

export const fromStoreError = (error: CommandHandler.HandleError & { readonly _tag: "EventStoreError" }): ApiError => {
  switch (error.reason) {
    case "Unavailable":
      return unavailable(`the event store is unavailable: ${error.message}`)
    case "TooLarge":
      return payloadTooLarge(error.message)
    case "InvalidRequest":
      return invalidRequest(error.message)
    default:
      return apiError({ status: 500, code: `EventStore${error.reason}`, message: error.message })
  }
}

export const toResponse = (error: ApiError): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(error.body, { status: error.status, headers: error.headers })

/** The statuses the OpenAPI document lists for each kind of endpoint, all with the one body. */
export const documented = (status: number) => HttpApiSchema.status(status)(Body)
