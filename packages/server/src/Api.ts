import { Envelope, Erasure, StreamId } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { documented } from "./ApiError.ts"
import * as Commands from "./Commands.ts"
import * as Reports from "./Reports.ts"

// The HTTP API as data: every endpoint, its parameters and answers, for the OpenAPI document, the reference
// page and docs/api.md. Handlers (Handlers.ts) read requests themselves, so every refusal has the one
// error shape of ApiError; the Schemas here describe what they accept.

/** What a command wrote (or, retried with the same Idempotency-Key, what it wrote the first time). */
export const CommandResult = Schema.Struct({
  commandId: Schema.String,
  /** True when this Idempotency-Key had been handled before: nothing was written now. */
  duplicate: Schema.Boolean,
  /** The stream's version after the command. */
  version: Schema.Int,
  events: Schema.Array(
    Schema.Struct({
      eventId: Schema.String,
      type: Schema.String,
      stream: StreamId.StreamId,
      version: Schema.Int,
      position: Schema.Int
    })
  )
}).annotate({ identifier: "CommandResult" })

const optionalText = (description: string) => Schema.optionalKey(Schema.String.annotate({ description }))

const tenantParam = optionalText("the tenant to read; default and only allowed value: the principal's own")

const cutParam = optionalText(
  "as of a position (1234) or a store instant (2024-08-08T16:00:00.000Z): what the log held then; the answer's X-Result-Digest is sha256 of its canonical JSON"
)

const purposeParam = optionalText("the purpose of this read of personal data, where X-Purpose cannot be sent")

/** Reads of personal data state their purpose; the access log records it (GET /access-log). */
const purposeHeader = Schema.Struct({
  "x-purpose": optionalText(
    "the purpose of this read (percent-encoded UTF-8): required for personal data (400 MissingPurpose without it), recorded in the access log"
  )
})

export const ReportQuery = Schema.Struct({
  tenant: tenantParam,
  asOf: optionalText(
    "a day, yyyy-mm-dd: the report's day (default: today in China); a position (1234) or a store instant (2024-08-08T16:00:00.000Z): the log as it stood then, on that moment's day. X-Result-Digest: sha256 of the answer's canonical JSON; X-As-Of-Position: the last position folded"
  ),
  from: optionalText("first day of the period, yyyy-mm-dd (training)"),
  to: optionalText("last day of the period, yyyy-mm-dd (training)"),
  station: optionalText("only this station"),
  position: optionalText("the log as it stood at this position"),
  purpose: purposeParam
})

const Report = Schema.Unknown.annotate({
  identifier: "Report",
  description: "the report's view (see packages/core/src/reports/README.md)"
})

const refusals = (...statuses: ReadonlyArray<number>) => statuses.map(documented)
const readErrors = refusals(400, 401, 403, 404, 429, 503)

const idempotencyKey = Schema.Struct({
  "idempotency-key": optionalText("becomes the commandId: the same key again returns the first result, writes nothing")
})

const commands = Commands.routes.reduce(
  (group: any, route) =>
    (group as any).add(
      HttpApiEndpoint.post(route.tag, route.path as `/${string}`, {
        headers: idempotencyKey,
        query: { tenant: optionalText("the tenant to write to; default and only allowed value: the principal's own") },
        payload: route.schema,
        success: CommandResult,
        error: refusals(400, 401, 403, 409, 413, 415, 422, 429, 503)
      }).annotate(OpenApi.Description, `${route.context.title.en} (${route.context.title["zh-CN"]}): ${route.tag}`)
    ),
  HttpApiGroup.make("commands").annotate(OpenApi.Description, "Every command of every context, one path each") as any
) as HttpApiGroup.Top

const reports = Reports.reports
  .reduce(
    (group: any, report) =>
      (group as any).add(
        HttpApiEndpoint.get(report.name, `/reports/${report.name}`, {
          headers: purposeHeader,
          query: ReportQuery,
          success: Report,
          error: readErrors
        }).annotate(OpenApi.Description, report.summary)
      ),
    HttpApiGroup.make("reports") as any
  )
  .add(
    HttpApiEndpoint.get("household-history", "/households/:household/history", {
      params: { household: Schema.String },
      headers: purposeHeader,
      query: { tenant: tenantParam, asOf: cutParam, purpose: purposeParam },
      success: Report,
      error: readErrors
    }).annotate(
      OpenApi.Description,
      "Every event about a household and its members, in position order, and who read them (`reads`)"
    )
  )
  .add(
    HttpApiEndpoint.get("dashboard", "/dashboard", {
      query: {
        tenant: tenantParam,
        lang: optionalText("zh-CN (default) or en"),
        period: optionalText("a day (2025-08-04), a month (2025-08: its last day) or a year (2025: 31 December)")
      },
      success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/html" })),
      error: readErrors
    }).annotate(OpenApi.Description, "The county's figures and the station table as a page, with their trends")
  ) as HttpApiGroup.Top

export const FeedEvent = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/event-stream" })).annotate({
  description:
    "Server-sent events: `id` is the event's position, `event` its type, `data` the stored envelope (JSON). " +
    "Reconnect with Last-Event-ID (or ?after=) to resume with nothing skipped or repeated."
})

const log = HttpApiGroup.make("log")
  .add(
    HttpApiEndpoint.get("events", "/events", {
      headers: purposeHeader,
      query: {
        tenant: tenantParam,
        after: optionalText("exclusive position to read after (default 0)"),
        limit: optionalText("at most this many events, 1–1000 (default 100)"),
        asOf: cutParam,
        purpose: purposeParam
      },
      success: Schema.Array(Envelope.StoredEvent),
      error: readErrors
    }).annotate(OpenApi.Description, "The tenant's log by position, a page at a time")
  )
  .add(
    HttpApiEndpoint.get("stream", "/streams/:category/:id", {
      params: { category: Schema.String, id: Schema.String },
      headers: purposeHeader,
      query: { tenant: tenantParam, asOf: cutParam, purpose: purposeParam },
      success: Schema.Array(Envelope.StoredEvent),
      error: readErrors
    }).annotate(OpenApi.Description, "One stream's events by version")
  )
  .add(
    HttpApiEndpoint.get("feed", "/feed", {
      headers: Schema.Struct({
        "last-event-id": optionalText("the last position received"),
        "x-purpose": purposeHeader.fields["x-purpose"]
      }),
      query: {
        tenant: tenantParam,
        after: optionalText("the last position received, when Last-Event-ID is absent"),
        purpose: purposeParam
      },
      success: FeedEvent,
      error: readErrors
    }).annotate(OpenApi.Description, "The tenant's log, then every new event as it is committed (SSE)")
  )
  .add(
    HttpApiEndpoint.get("access-log", "/access-log", {
      query: {
        tenant: tenantParam,
        after: optionalText("exclusive position of the access log to read after (default 0)"),
        limit: optionalText("at most this many reads, 1–1000 (default 100)")
      },
      success: Schema.Array(Schema.Unknown.annotate({ identifier: "AccessLogEntry" })),
      error: readErrors
    }).annotate(
      OpenApi.Description,
      "Every recorded read of personal data: who (actor and role), when, what and the stated purpose (auditors)"
    )
  )

/** The erasure event (Erasure.erase): the first one's again when the subject had been erased already. */
export const ErasureResult = Schema.Struct({
  subject: Schema.String,
  /** True when the subject had been erased already: the first erasure's event, nothing written now. */
  duplicate: Schema.Boolean,
  /** How many of the subject's version-1 rows were rewritten to the sealed form (0 on a repeat). */
  rewritten: Schema.Int,
  eventId: Schema.String,
  type: Schema.String,
  stream: StreamId.StreamId,
  position: Schema.Int,
  recordedAt: Schema.String
}).annotate({ identifier: "ErasureResult" })

const subjects = HttpApiGroup.make("subjects").add(
  HttpApiEndpoint.post("erase", "/subjects/:subject/erasure", {
    params: { subject: Schema.String },
    query: { tenant: optionalText("the tenant of the subject; default and only allowed value: the principal's own") },
    payload: Erasure.Request,
    success: ErasureResult,
    error: refusals(400, 401, 403, 404, 413, 415, 429, 503)
  }).annotate(
    OpenApi.Description,
    'Erases a data subject by crypto-shredding (admin only; docs/audit.md, "Erasure"): destroys its key, rewrites its version-1 rows sealed and records SubjectErased with the principal as actor. 400 InvalidErasure without a legal basis of PIPL art. 47 or a reason, 404 SubjectNotFound; a second erasure answers with the first (duplicate: true) and writes nothing'
  )
)

const Health = Schema.Struct({ status: Schema.Literals(["ok", "unavailable"]) }).annotate({ identifier: "Health" })

const system = HttpApiGroup.make("system")
  .add(
    HttpApiEndpoint.get("health", "/health", { success: Health }).annotate(
      OpenApi.Description,
      "The process is up (no store access)"
    )
  )
  .add(
    HttpApiEndpoint.get("ready", "/ready", { success: Health, error: documented(503) }).annotate(
      OpenApi.Description,
      "The store answers: 503 with Retry-After while it does not"
    )
  )

/** Paths answered without a key. */
const open = new Set(["/health", "/ready"])

export const api = HttpApi.make("shuangbai")
  .add(commands as any)
  .add(reports as any)
  .add(log)
  .add(subjects)
  .add(system)
  .annotateMerge(
    OpenApi.annotations({
      title: "Shuangbai HTTP API",
      version: "0.1.0",
      description:
        "Commands, reports, the log and its live feed of a tenant's social-work records, and erasure of a data subject. Every request but " +
        "/health and /ready carries `Authorization: Bearer <key>`; the authenticated principal is the actor.",
      transform: (spec) => ({
        ...spec,
        paths: Object.fromEntries(
          Object.entries(spec.paths as Record<string, Record<string, object>>).map(([path, operations]) => [
            path,
            Object.fromEntries(
              Object.entries(operations).map(([method, operation]) => [
                method,
                { ...operation, security: open.has(path) ? [] : [{ bearer: [] }] }
              ])
            )
          ])
        ),
        components: { ...spec.components, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } }
      })
    })
  )

export const openApi = () => OpenApi.fromApi(api)
