// docs/api.md from the OpenAPI document the server publishes: the same data, as a page to read.
import { Erasure } from "@shuangbai/eventsourcing"
import { openApi } from "../src/Api.ts"

type Json = Record<string, any>

const resolve = (doc: Json, schema: Json | undefined): Json | undefined =>
  schema?.$ref === undefined ? schema : doc.components.schemas[String(schema.$ref).split("/").pop()!]

/** A schema as a short phrase: `string`, `"HomeVisit" | "Phone"`, `array of { item, quantity }`. */
const typeOf = (doc: Json, schema: Json | undefined, depth = 0): string => {
  const s = resolve(doc, schema)
  if (s === undefined) return "any"
  if (s.enum !== undefined) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")
  if (s.anyOf !== undefined) return s.anyOf.map((m: Json) => typeOf(doc, m, depth)).join(" | ")
  if (s.type === "array") return `array of ${typeOf(doc, s.items ?? s.prefixItems?.[0], depth)}`
  if (s.type === "object" && s.properties !== undefined) {
    if (depth > 0) return "object"
    const required = new Set<string>(s.required ?? [])
    return `{ ${Object.keys(s.properties)
      .map((k) => (required.has(k) ? k : `${k}?`))
      .join(", ")} }`
  }
  return s.type ?? "any"
}

const fieldsOf = (doc: Json, schema: Json | undefined): string => {
  const s = resolve(doc, schema)
  if (s?.properties === undefined) return typeOf(doc, s)
  const required = new Set<string>(s.required ?? [])
  return Object.entries(s.properties as Record<string, Json>)
    .filter(([name]) => name !== "_tag")
    .map(([name, field]) => `\`${name}${required.has(name) ? "" : "?"}\`: ${typeOf(doc, field, 1)}`)
    .join("; ")
}

const errorsOf = (operation: Json): string =>
  Object.keys(operation.responses)
    .filter((status) => Number(status) >= 400)
    .join(", ")

const parametersOf = (operation: Json): string =>
  (operation.parameters ?? [])
    .map((p: Json) => `\`${p.name}\`${p.in === "header" ? " (header)" : p.in === "path" ? " (path)" : ""}`)
    .join(", ")

const cell = (text: string | undefined) => (text ?? "").replaceAll("\n", " ").replaceAll("|", "\\|")

export const render = (): string => {
  const doc = openApi() as unknown as Json
  const operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation }))
  )
  const byTag = (tag: string) => operations.filter((o) => o.operation.tags?.includes(tag))
  const errorShape = resolve(doc, { $ref: "#/components/schemas/Error" })!
  const lines: Array<string> = [
    "# HTTP API",
    "",
    "<!-- Generated from the server's OpenAPI document by packages/server/scripts/api-docs.ts: run `npm run docs`, do not edit. -->",
    "",
    cell(doc.info.description),
    "",
    "The server publishes the same document at `GET /openapi.json` and a browsable reference at `GET /docs`.",
    "Start it with `Server.serve({ port, store, authentication })` from `@shuangbai/server` (see its README).",
    "",
    "## Errors",
    "",
    `Every refusal has one JSON shape: ${fieldsOf(doc, errorShape)}.`,
    "",
    "| status | when | code |",
    "| --- | --- | --- |",
    "| 400 | a body, query or header that does not match: `issues` names each field path | `InvalidRequest`, `InvalidJson`, `InvalidPosition`, `BeyondHead`, `MissingPurpose`, `InvalidErasure` |",
    "| 401 | no API key, an unknown or a revoked one | `Unauthenticated`, `UnknownKey`, `RevokedKey` |",
    "| 403 | the access policy refuses (another tenant, another station, a role that may not) | the policy's rule code: `OtherTenant`, `OtherStation`, `RoleNotPermitted`… |",
    "| 404 | no such route, command, stream, household or data subject | `NotFound`, `UnknownCommand`, `SubjectNotFound` |",
    "| 409 | other writers kept moving the stream on through every retry; an Idempotency-Key reused for another request | `ConcurrencyConflict`, `IdempotencyMismatch` |",
    "| 413 | a body over the limit | `PayloadTooLarge` |",
    "| 415 | a command not sent as `application/json` | `UnsupportedMediaType` |",
    "| 422 | a business rule refuses: `messages` has zh-CN and en | the rule's code, e.g. `HouseholdAlreadyRegistered` |",
    "| 429 | past the principal's rate limit; `Retry-After` says when to retry | `RateLimited` |",
    "| 503 | the database is unavailable; `Retry-After` says when to retry | `Unavailable` |",
    "",
    "Nothing is written by a refused request.",
    "",
    "## Commands",
    "",
    "`POST /commands/<context>/<Command>` with the command as JSON (`_tag` may be left out: the path names it).",
    "An `Idempotency-Key` header becomes the commandId: the same key again returns the first result",
    "(`duplicate: true`) and writes nothing. The answer is a `CommandResult`: " +
      `${fieldsOf(doc, { $ref: "#/components/schemas/CommandResult" })}.`,
    "The actor recorded is the authenticated principal, never anything in the body.",
    ""
  ]
  const commands = byTag("commands")
  const contexts = [...new Set(commands.map((c) => c.path.split("/")[2]!))]
  for (const context of contexts) {
    lines.push(`### ${context}`, "", "| command | fields |", "| --- | --- |")
    for (const { path, operation } of commands.filter((c) => c.path.split("/")[2] === context)) {
      const schema = operation.requestBody?.content?.["application/json"]?.schema
      lines.push(`| \`${path.split("/")[3]}\` | ${cell(fieldsOf(doc, schema))} |`)
    }
    lines.push("")
  }
  const table = (title: string, tag: string, intro: Array<string>) => {
    lines.push(`## ${title}`, "", ...intro, "| endpoint | parameters | errors | what |", "| --- | --- | --- | --- |")
    for (const { path, method, operation } of byTag(tag)) {
      lines.push(
        `| \`${method} ${path}\` | ${parametersOf(operation)} | ${errorsOf(operation)} | ${cell(operation.description)} |`
      )
    }
    lines.push("")
  }
  table("Reports", "reports", [
    "Every report takes `tenant` (only the principal's own), `asOf`, `station`, a period (`from`, `to`)",
    "where it has one, and `position`. `asOf` is a day (yyyy-mm-dd, the report's day), a position (`1234`) or",
    "a store instant (`2024-08-08T16:00:00.000Z`): the log as it stood then, on that moment's day",
    '(docs/audit.md, "Time travel"). Reports, histories, streams and `/events` answer with `X-Result-Digest: sha256=<hex>` of their JSON, to',
    "compare with another auditor's. Reads of personal data (a history, a stream, the log, the visit schedule,",
    "the caseloads) need `X-Purpose` (percent-encoded) or `purpose=`, else 400 `MissingPurpose`; they are",
    "recorded in the access log (`GET /access-log`, auditors).",
    ""
  ])
  table("The log and its live feed", "log", [
    "`GET /feed` is server-sent events: `id:` is the event's position, `event:` its type, `data:` the stored",
    "envelope. A client that reconnects with `Last-Event-ID` (as EventSource does) gets every event after it,",
    "none skipped, none repeated. A Last-Event-ID that is not a position, or is beyond the head, is a 400.",
    ""
  ])
  table("Erasure", "subjects", [
    "`POST /subjects/<subject>/erasure` with `{ legalBasis: { ground, text }, reason }` erases a person or a",
    'household by crypto-shredding (`Access.erase`; docs/audit.md, "Erasure"). `ground` is one of PIPL art. 47:',
    `${Erasure.Ground.literals.map((ground) => `\`${ground}\``).join(", ")}; \`text\` and \`reason\` are 1–500 characters.`,
    "Only the `admin` role may; the actor recorded is the authenticated principal. The answer is an",
    `\`ErasureResult\`: ${fieldsOf(doc, { $ref: "#/components/schemas/ErasureResult" })}; a second erasure of the`,
    "subject answers 200 with the first one's event, `duplicate: true`, and writes nothing.",
    ""
  ])
  table("Health", "system", [])
  return `${lines.join("\n").trimEnd()}\n`
}
