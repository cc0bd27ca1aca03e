import { Access, Reports as R } from "@shuangbai/core"
import {
  Erasure,
  EventStore,
  IdGenerator,
  issuesOf,
  Scalars,
  StreamId,
  type SubjectKeys
} from "@shuangbai/eventsourcing"
import { Cause, Clock, Deferred, Duration, Effect, Layer, Result, Schema, Stream } from "effect"
import { type HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { api } from "./Api.ts"
import * as ApiError from "./ApiError.ts"
import { Authentication } from "./Authentication.ts"
import * as Commands from "./Commands.ts"
import * as Dashboard from "./dashboard/index.ts"
import { readObject } from "./internal/body.ts"
import * as RateLimit from "./internal/rateLimit.ts"
import * as Reports from "./Reports.ts"

export interface Options {
  /** Largest command body accepted, in bytes (default 64 KiB). */
  readonly bodyLimit?: number
  /** Per principal (default 600 requests a minute); `false` for none. */
  readonly rateLimit?: RateLimit.RateLimit | false
  /** How often an idle feed sends a comment so proxies keep it open (default 15 s). */
  readonly heartbeat?: Duration.Input
  /** Completed when the server begins to shut down: live feeds end, so the shutdown does not wait on them. */
  readonly shutdown?: Deferred.Deferred<void>
}

type Services = EventStore.EventStore | SubjectKeys.SubjectKeys | IdGenerator.IdGenerator | Authentication

const json = (body: unknown, status = 200) => HttpServerResponse.jsonUnsafe(body, { status })

const queryOf = (request: HttpServerRequest.HttpServerRequest): Record<string, string> =>
  Object.fromEntries(new URL(request.url, "http://localhost").searchParams)

const accessDenied = (error: Access.AccessDenied) => ApiError.forbidden(error.code, error.messages)

/** Authenticates, applies the rate limit, runs `f` and answers every failure with the one error shape. */
const guard = (options: Options) => {
  const limiter =
    options.rateLimit === false ? undefined : RateLimit.make(options.rateLimit ?? { requests: 600, perSeconds: 60 })
  return <R>(
    f: (
      principal: Access.Principal,
      request: HttpServerRequest.HttpServerRequest
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, ApiError.ApiError, R>
  ) =>
    ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
      Effect.gen(function* () {
        const authentication = yield* Authentication
        const principal = yield* authentication.authenticate(request)
        const wait = limiter === undefined ? undefined : yield* limiter.take(principal.id)
        if (wait !== undefined) return yield* Effect.fail(ApiError.rateLimited(wait))
        return yield* f(principal, request)
      }).pipe(answerFailures)
}

/** ApiErrors become their response; a defect becomes a 500 in the same shape (and is logged). */
export const answerFailures = <R>(
  effect: Effect.Effect<HttpServerResponse.HttpServerResponse, ApiError.ApiError, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
  effect.pipe(
    Effect.catchTag("ApiError", (error) => Effect.succeed(ApiError.toResponse(error))),
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.failCause(cause as Cause.Cause<never>)
        : Effect.as(
            Effect.logError("request failed", cause),
            ApiError.toResponse(ApiError.make({ status: 500, code: "Internal", message: "internal error" }))
          )
    )
  )

const tenantOf = (principal: Access.Principal, query: Record<string, string>) => query.tenant ?? principal.tenant

/**
 * The stated purpose of a read: the X-Purpose header (percent-encoded UTF-8, as encodeURIComponent writes
 * it) or, where a client cannot set headers (EventSource), the `purpose` query parameter.
 */
const purposeOf = (
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<string | undefined, ApiError.ApiError> => {
  const header = request.headers["x-purpose"]
  if (header === undefined) return Effect.succeed(queryOf(request).purpose)
  try {
    return Effect.succeed(decodeURIComponent(header))
  } catch {
    return Effect.fail(
      ApiError.invalidRequest("X-Purpose is percent-encoded UTF-8 (encodeURIComponent)", {
        issues: [{ path: "X-Purpose", message: "not percent-encoded UTF-8" }]
      })
    )
  }
}

/** Access.AccessLog.authorizeAndRecord: checks the read and, for personal data, records it with its purpose. */
const authorize = (principal: Access.Principal, read: Access.Read, request: HttpServerRequest.HttpServerRequest) =>
  Effect.flatMap(purposeOf(request), (purpose) =>
    Access.AccessLog.authorizeAndRecord(principal, read, purpose).pipe(
      Effect.mapError((error) =>
        error._tag === "AccessDenied"
          ? accessDenied(error)
          : error._tag === "MissingPurpose"
            ? ApiError.make({
                status: 400,
                code: "MissingPurpose",
                message: error.message,
                issues: [{ path: "X-Purpose", message: "expected the purpose of this read of personal data" }]
              })
            : Reports.fromReadError(error as never)
      )
    )
  )

/** A read's answer with the digest two auditors compare (Reports.Snapshot.digest) and how far it reached. */
const answer = (value: unknown, through?: { readonly position: number }) =>
  HttpServerResponse.jsonUnsafe(value, {
    headers: {
      "x-result-digest": `sha256=${R.Snapshot.digest(value)}`,
      ...(through === undefined ? {} : { "x-as-of-position": String(through.position) })
    }
  })

/** The `asOf` of a log or history read: a position or a store instant (a day cuts nothing there). */
const cutOf = (text: string | undefined): Effect.Effect<R.Snapshot.Bound | undefined, ApiError.ApiError> => {
  if (text === undefined) return Effect.succeed(undefined)
  const parsed = R.Snapshot.parseAsOf(text)
  if (Result.isSuccess(parsed) && parsed.success.bound !== undefined) return Effect.succeed(parsed.success.bound)
  const message = Result.isFailure(parsed) ? parsed.failure : "asOf here is a position or a store instant, not a day"
  return Effect.fail(ApiError.invalidRequest(message, { issues: [{ path: "asOf", message }] }))
}

const IdempotencyKey = Scalars.Id

const command = (route: Commands.CommandRoute, options: Options) => {
  const limit = options.bodyLimit ?? 64 * 1024
  return (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function* () {
      const key = request.headers["idempotency-key"]
      if (key !== undefined && !Schema.is(IdempotencyKey)(key)) {
        return yield* Effect.fail(
          ApiError.invalidRequest("Idempotency-Key is 1–128 characters without spaces", {
            issues: [{ path: "Idempotency-Key", message: "expected 1–128 characters without spaces" }]
          })
        )
      }
      const body = yield* readObject(request, limit, route.tag)
      if ("_tag" in body && body._tag !== route.tag) {
        return yield* Effect.fail(
          ApiError.invalidRequest(`this path takes ${route.tag}; send ${String(body._tag)} to its own path`, {
            issues: [{ path: "_tag", message: `expected ${route.tag}` }]
          })
        )
      }
      const commandId = key ?? (yield* (yield* IdGenerator.IdGenerator).next)
      // A tenant named in the URL must be the principal's own (Access refuses another's); the default is theirs.
      const tenant = queryOf(request).tenant
      const handled = yield* Access.handle(
        principal,
        { ...body, _tag: route.tag },
        tenant === undefined ? { commandId } : { commandId, tenant }
      ).pipe(
        Effect.mapError((error) =>
          error._tag === "AccessDenied" ? accessDenied(error) : ApiError.fromHandleError(error)
        )
      )
      return json({
        commandId,
        duplicate: handled.duplicate,
        version: handled.version,
        events: handled.events.map((e) => ({
          eventId: e.eventId,
          type: e.type,
          stream: e.stream,
          version: e.version,
          position: e.position
        }))
      })
    })
}

const decodeErasure = Schema.decodeUnknownResult(Erasure.Request, { errors: "all" })

/** Which fields of a refused erasure request were wrong (Erasure.erase says why in one sentence). */
const erasureIssues = (body: unknown) => {
  const decoded = decodeErasure(body)
  return decoded._tag === "Failure" ? issuesOf(decoded.failure.issue) : []
}

/**
 * Erasure of a data subject as the authenticated principal (Access.erase: admin only, the principal is the
 * erasure's actor). The body gives only the legal basis and the reason; Erasure.erase checks them.
 */
const erase = (options: Options) => (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const subject = decodeURIComponent(new URL(request.url, "http://localhost").pathname.split("/")[2] ?? "")
    if (!Schema.is(Scalars.Id)(subject)) {
      return yield* Effect.fail(
        ApiError.invalidRequest("not a subject id: /subjects/<person or household id>/erasure", {
          issues: [{ path: "subject", message: "expected 1–128 characters without spaces" }]
        })
      )
    }
    const body = yield* readObject(
      request,
      options.bodyLimit ?? 64 * 1024,
      "an erasure ({ legalBasis: { ground, text }, reason })"
    )
    const erased = yield* Access.erase(
      principal,
      tenantOf(principal, queryOf(request)),
      subject,
      body as Erasure.Request
    ).pipe(
      Effect.mapError((error) => {
        switch (error._tag) {
          case "AccessDenied":
            return accessDenied(error)
          case "InvalidErasure":
            return ApiError.make({
              status: 400,
              code: error._tag,
              message: error.message,
              issues: erasureIssues(body)
            })
          case "SubjectNotFound":
            return ApiError.make({ status: 404, code: error._tag, message: error.message })
          case "EventStoreError":
            return ApiError.fromStoreError(error)
        }
      })
    )
    const { event } = erased
    return json({
      subject,
      duplicate: erased.duplicate,
      rewritten: erased.rewritten,
      eventId: event.eventId,
      type: event.type,
      stream: event.stream,
      position: event.position,
      recordedAt: event.recordedAt
    })
  })

const PositionText = Schema.String.check(Schema.isPattern(/^(0|[1-9][0-9]{0,15})$/, { expected: "a position" }))

const position = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return Effect.succeed(fallback)
  return Schema.is(PositionText)(value)
    ? Effect.succeed(Number(value))
    : Effect.fail(
        ApiError.make({
          status: 400,
          code: "InvalidPosition",
          message: `${name} is a position (a whole number ≥ 0), not ${JSON.stringify(String(value).slice(0, 40))}`,
          issues: [{ path: name, message: "expected a whole number ≥ 0" }]
        })
      )
}

const storeError = Effect.mapError(Reports.fromReadError)

/** `after` and `limit` of a page of the log: a position, and 1 to 1000 events (default 100). */
const pageOf = (query: { readonly after?: string | undefined; readonly limit?: string | undefined }) =>
  Effect.gen(function* () {
    const after = yield* position("after", query.after, 0)
    const limit = yield* position("limit", query.limit, 100)
    if (limit < 1 || limit > 1000) {
      return yield* Effect.fail(
        ApiError.invalidRequest("limit is 1 to 1000", { issues: [{ path: "limit", message: "expected 1 to 1000" }] })
      )
    }
    return { after, limit }
  })

const events = (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const { after, limit } = yield* pageOf(query)
    const bound = yield* cutOf(query.asOf)
    yield* authorize(principal, { _tag: "Log", tenant }, request)
    return answer(yield* storeError(R.Snapshot.readPage(tenant, bound, { after, limit })))
  })

const stream = (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const segments = new URL(request.url, "http://localhost").pathname.split("/")
    const id = Schema.decodeUnknownResult(StreamId.StreamId)({
      category: decodeURIComponent(segments[2] ?? ""),
      id: decodeURIComponent(segments[3] ?? "")
    })
    if (id._tag === "Failure") {
      return yield* Effect.fail(ApiError.invalidRequest("not a stream: /streams/<category>/<id>"))
    }
    const bound = yield* cutOf(query.asOf)
    yield* authorize(principal, { _tag: "Stream", tenant, stream: id.success }, request)
    const store = yield* EventStore.EventStore
    const cut =
      bound === undefined
        ? undefined
        : bound._tag === "Position"
          ? { asOfPosition: bound.position }
          : { asOfTime: bound.recordedAt }
    const read = yield* store.readStream(tenant, id.success, cut).pipe(
      Effect.catchTag("StreamNotFound", (error) => Effect.fail(ApiError.notFound(error.message))),
      Effect.mapError((error) => (error._tag === "ApiError" ? error : Reports.fromReadError(error)))
    )
    return answer(read)
  })

const report =
  (definition: Reports.Report) => (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function* () {
      const query = yield* Reports.decodeQuery(queryOf(request))
      const tenant = query.tenant ?? principal.tenant
      const asOf = yield* Reports.resolveAsOf(tenant, query)
      yield* authorize(principal, definition.read(tenant, query), request)
      const { value, through } = yield* definition.run(tenant, query, asOf)
      return answer(value, through)
    })

const householdHistory = (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const household = decodeURIComponent(new URL(request.url, "http://localhost").pathname.split("/")[2] ?? "")
    if (!Schema.is(Scalars.Id)(household)) return yield* Effect.fail(ApiError.invalidRequest("not a household id"))
    const bound = yield* cutOf(query.asOf)
    yield* authorize(principal, { _tag: "HouseholdHistory", tenant, household }, request)
    const history = yield* Reports.householdHistory(tenant, household, bound)
    if (history.entries.length === 0) {
      return yield* Effect.fail(ApiError.notFound(`no events name household ${household}`))
    }
    return answer(history)
  })

/** The tenant's access log (Access.AccessLog): who read whose data, when and why; for auditors. */
const accessLog = (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const { after, limit } = yield* pageOf(query)
    yield* authorize(principal, { _tag: "AccessLog", tenant }, request)
    return answer(yield* storeError(Access.AccessLog.list(tenant, { after, limit })))
  })

const dashboard = (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const today = Scalars.chinaDateOf(yield* Clock.currentTimeMillis)
    const parsed = Dashboard.parseQuery(query, today)
    if (Result.isFailure(parsed)) {
      return yield* Effect.fail(
        ApiError.invalidRequest(parsed.failure.message, {
          issues: [{ path: parsed.failure.field, message: parsed.failure.message }]
        })
      )
    }
    yield* authorize(principal, { _tag: "CountyDashboard", tenant }, request)
    const state = yield* storeError(Reports.foldLog(tenant, Dashboard.projection(parsed.success.asOf)))
    return HttpServerResponse.html(Dashboard.render(state, parsed.success.language))
  })

const encoder = new TextEncoder()

const sse = (event: { readonly position: number; readonly type: string }) =>
  encoder.encode(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)

const feed = (options: Options) => (principal: Access.Principal, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const query = queryOf(request)
    const tenant = tenantOf(principal, query)
    const lastEventId = request.headers["last-event-id"]
    const after = yield* position(lastEventId === undefined ? "after" : "Last-Event-ID", lastEventId ?? query.after, 0)
    yield* authorize(principal, { _tag: "Log", tenant }, request)
    const store = yield* EventStore.EventStore
    const head = yield* storeError(store.head(tenant))
    if (after > head.position) {
      return yield* Effect.fail(
        ApiError.make({
          status: 400,
          code: "BeyondHead",
          message: `position ${after} is beyond the log's head (${head.position}): resume from a position received`,
          issues: [{ path: lastEventId === undefined ? "after" : "Last-Event-ID", message: `at most ${head.position}` }]
        })
      )
    }
    const heartbeat = Stream.tick(options.heartbeat ?? Duration.seconds(15)).pipe(
      Stream.drop(1),
      Stream.map(() => encoder.encode(":\n\n"))
    )
    const live = store.subscribe(tenant, { after }).pipe(Stream.map(sse), Stream.mergeLeft(heartbeat))
    const body = Stream.concat(Stream.make(encoder.encode("retry: 1000\n\n")), live)
    return HttpServerResponse.stream(
      options.shutdown === undefined ? body : Stream.interruptWhen(body, Deferred.await(options.shutdown)),
      {
        contentType: "text/event-stream",
        headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
      }
    )
  })

const health = Effect.succeed({ status: "ok" as const })

const ready = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  return yield* store.head("ready-probe").pipe(
    Effect.as(json({ status: "ok" })),
    Effect.catch((error) =>
      Effect.succeed(
        ApiError.toResponse(
          error.reason === "Unavailable"
            ? ApiError.unavailable(`the event store is unavailable: ${error.message}`)
            : ApiError.make(
                { status: 503, code: `EventStore${error.reason}`, message: error.message },
                { "retry-after": "5" }
              )
        )
      )
    )
  )
})

/** The handlers of every group of `api`, given what they run against. */
export const layer = (options: Options = {}): Layer.Layer<any, never, Services> => {
  const guarded = guard(options)
  const groups = [
    HttpApiBuilder.group(api, "commands" as never, (handlers: any) =>
      Commands.routes.reduce(
        (h: any, route) => h.handleRaw(route.tag, guarded(command(route, options)), { uninterruptible: true }),
        handlers
      )
    ),
    HttpApiBuilder.group(api, "reports" as never, (handlers: any) =>
      Reports.reports
        .reduce((h: any, definition) => h.handleRaw(definition.name, guarded(report(definition))), handlers)
        .handleRaw("household-history", guarded(householdHistory))
        .handleRaw("dashboard", guarded(dashboard))
    ),
    HttpApiBuilder.group(api, "log" as never, (handlers: any) =>
      handlers
        .handleRaw("events", guarded(events))
        .handleRaw("stream", guarded(stream))
        .handleRaw("feed", guarded(feed(options)))
        .handleRaw("access-log", guarded(accessLog))
    ),
    HttpApiBuilder.group(api, "subjects" as never, (handlers: any) =>
      handlers.handleRaw("erase", guarded(erase(options)), { uninterruptible: true })
    ),
    HttpApiBuilder.group(api, "system" as never, (handlers: any) =>
      handlers.handle("health", () => health).handleRaw("ready", () => ready)
    )
  ]
  return Layer.mergeAll(...(groups as [any, ...Array<any>])) as Layer.Layer<any, never, Services>
}
