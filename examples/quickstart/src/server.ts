// A long-running HTTP host (node:http): the store layer is built once, into a ManagedRuntime, when the
// server starts; every request runs on that runtime, so every request sees one store. See docs/embedding.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { Domain } from "@shuangbai/core"
import { type Envelope, EventStore, type EventStoreError, IdGenerator } from "@shuangbai/eventsourcing"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Result } from "effect"

/** Who a bearer token stands for: the actor and the county (tenant) they act in. A real host asks its login. */
export type Authenticate = (
  token: string
) => { readonly actor: Envelope.Actor; readonly tenant: Envelope.Tenant } | undefined

/** The HTTP status of each failure a command can end in, and whether sending it again may succeed. */
export const statusOf = (error: { readonly _tag: string; readonly reason?: string }): number => {
  switch (error._tag) {
    case "InvalidCommand":
      return 400
    case "RuleViolation":
      return 422
    case "ConcurrencyConflict": // the handler retried already; the client may send it again (same commandId)
    case "IdempotencyMismatch": // the commandId was used for another request
      return 409
    case "EventStoreError":
      return error.reason === "Unavailable"
        ? 503
        : error.reason === "InvalidRequest" || error.reason === "TooLarge"
          ? 400
          : 500
    default:
      return 500
  }
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" })
  res.end(JSON.stringify(body))
}

/** A typed failure as its status and `{ error, message, retryable }`; a defect as 500, its details kept in the log. */
const failed = (
  res: ServerResponse,
  cause: Cause.Cause<{ readonly _tag: string; readonly message: string; readonly isRetryable: boolean }>
) => {
  const found = Cause.findError(cause)
  if (Result.isFailure(found)) {
    console.error(Cause.pretty(cause))
    return send(res, 500, { error: "Unexpected", retryable: false })
  }
  const error = found.success
  return send(res, statusOf(error), { error: error._tag, message: error.message, retryable: error.isRetryable })
}

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

/**
 * Starts the server on `port` (0: any free port). `POST /commands` takes a command as JSON, with the
 * `Idempotency-Key` header as its commandId; `GET /head` gives the position of the tenant's last event.
 * Both need `Authorization: Bearer <token>`: the actor and tenant come from the token, never from the body.
 */
export const start = async (
  store: Layer.Layer<EventStore.EventStore, EventStoreError>,
  authenticate: Authenticate,
  port = 0
): Promise<{ readonly server: Server; readonly url: string; readonly close: () => Promise<void> }> => {
  // Built once: the database opens (and a PGlite store migrates) here, not per request.
  const runtime = ManagedRuntime.make(Layer.mergeAll(store, IdGenerator.layer))
  await runtime.runPromise(Effect.void) // fail at start, not on the first request, if the store cannot open

  const server = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1]
    const who = token === undefined ? undefined : authenticate(token)
    if (who === undefined) return send(res, 401, { error: "Unauthenticated" })
    if (req.method === "GET" && req.url === "/head") {
      const head = await runtime.runPromiseExit(Effect.flatMap(EventStore.EventStore, (s) => s.head(who.tenant)))
      return Exit.isSuccess(head) ? send(res, 200, head.value) : failed(res, head.cause)
    }
    if (req.method !== "POST" || req.url !== "/commands") return send(res, 404, { error: "NotFound" })
    const commandId = req.headers["idempotency-key"]
    if (typeof commandId !== "string") return send(res, 400, { error: "an Idempotency-Key header is required" })
    let input: unknown
    try {
      input = JSON.parse(await bodyOf(req))
    } catch {
      return send(res, 400, { error: "the body is not JSON" })
    }
    // A request body is not type-checked: handleUnknown validates it at run time, before anything is read.
    const exit = await runtime.runPromiseExit(Domain.handleUnknown(who.tenant, input, { actor: who.actor, commandId }))
    if (Exit.isFailure(exit)) return failed(res, exit.cause)
    const { events, duplicate } = exit.value
    return send(res, duplicate ? 200 : 201, { duplicate, positions: events.map((e) => e.position) })
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : port}`
  return {
    server,
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose() // closes the database
    }
  }
}
