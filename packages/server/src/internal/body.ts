import { ByteSize, Effect } from "effect"
import { HttpIncomingMessage, type HttpServerRequest } from "effect/http"
import * as ApiError from "../ApiError.ts"

/**
 * The request's JSON body, refused before anything is decided: a wrong content type (415), more bytes
 * than `limit` (413, by Content-Length or as read), text that is not JSON (400).
 */
export const readJson = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<unknown, ApiError.ApiError> =>
  Effect.gen(function* () {
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase()
    if (contentType !== "application/json") {
      return yield* Effect.fail(
        ApiError.unsupportedMediaType(
          `a command is sent as Content-Type: application/json${contentType === "" ? "" : `, not ${contentType}`}`
        )
      )
    }
    // Built only when needed: an error captures a stack trace, which no accepted request should pay for.
    const tooLarge = () => ApiError.payloadTooLarge(`the body is larger than the limit of ${limit} bytes`)
    const declared = Number(request.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) return yield* Effect.fail(tooLarge())
    const text = yield* request.text.pipe(
      Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(limit)),
      Effect.mapError((error) =>
        error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge"
          ? tooLarge()
          : ApiError.invalidRequest(`the body could not be read: ${error.message}`)
      )
    )
    if (Buffer.byteLength(text) > limit) return yield* Effect.fail(tooLarge())
    return yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (cause) =>
        ApiError.make({
          status: 400,
          code: "InvalidJson",
          message: `the body is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`
        })
    })
  })

/** `readJson` of a body that must be a JSON object; `what` names it in the refusal ("the body of <what>"). */
export const readObject = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number,
  what: string
): Effect.Effect<object, ApiError.ApiError> =>
  Effect.flatMap(readJson(request, limit), (body) =>
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? Effect.succeed(body)
      : Effect.fail(
          ApiError.invalidRequest(`the body of ${what} is a JSON object`, {
            issues: [{ path: "", message: "expected an object" }]
          })
        )
  )
