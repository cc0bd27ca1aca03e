// The authorization decision table as Markdown, read from the policy itself (src/access/Policy.ts): who
// may send each command of Domain.contexts, who may make each read and read each stream category, and
// the rule codes a refusal carries. Nothing here is written by hand but the headings and the column notes.

import type { StreamId } from "@shuangbai/eventsourcing"
import { Refusals } from "../src/access/AccessDenied.ts"
import { type CommandTag, commandRules, readRule, readRules, streamRules, type Targets } from "../src/access/Policy.ts"
import { type Role, roles, stationRoles } from "../src/access/Principal.ts"
import type { Read } from "../src/access/Read.ts"
import * as Domain from "../src/Domain.ts"
import { code, table } from "./domainCatalog.ts"

const roleTitles: Record<Role, string> = {
  worker: "worker 社工",
  stationLead: "stationLead 站长",
  bureau: "bureau 县民政局",
  auditor: "auditor 审计",
  admin: "admin 管理员"
}

/**
 * A stand-in for a command or read: every field reads as `‹field›`, so the policy's `targets` tell which
 * fields a decision looks at (a station it names, the household whose station is loaded, a worker).
 */
const probe = (tag: string): any =>
  new Proxy({}, { get: (_, key) => (key === "_tag" ? tag : `‹${String(key)}›`), has: () => true })

const field = (placeholder: string) => code(placeholder.replace(/^‹(.*)›$/, "$1"))

/** What station staff are held to, in words: the stations named, the subjects' stations, their own work. */
const concerns = (targets: Targets): string => {
  const parts: Array<string> = []
  if (targets.county) parts.push("the whole county")
  if (targets.stations.length > 0) parts.push(`the station in ${targets.stations.map(field).join(", ")}`)
  const subjects = [...new Set(targets.subjects.map((s: StreamId.StreamId) => code(s.category)))]
  if (subjects.length > 0) parts.push(`the station of its ${subjects.join(", ")}`)
  if (targets.workers.length > 0) parts.push(`a worker's own: ${targets.workers.map(field).join(", ")}`)
  return parts.length === 0 ? "" : parts.join("; ")
}

/** A cell of the table: may this role, and on what condition. */
const grant = (allowed: ReadonlyArray<Role>, role: Role, targets: Targets): string => {
  if (!allowed.includes(role)) return "—"
  if (!stationRoles.has(role)) return "✓"
  const own = targets.workers.length > 0 && role === "worker" ? ", own work" : ""
  return role === "worker" ? `own station, on post${own}` : "own station"
}

const row = (name: string, allowed: ReadonlyArray<Role>, targets: Targets): ReadonlyArray<string> => [
  name,
  ...roles.map((role) => grant(allowed, role, targets)),
  allowed.some((r) => stationRoles.has(r)) ? concerns(targets) : ""
]

const headers = ["", ...roles.map((r) => roleTitles[r]), "station staff are held to"]

export const renderTables = (): string => {
  const out: Array<string> = []
  out.push("## Commands", "")
  out.push(
    "Generated from `Access.commandRules`, one table per context of `Domain.contexts`. ✓: allowed in the " +
      "whole tenant. *own station*: only when everything the command concerns (last column) is the " +
      "principal's station's; *on post*: the worker is on post at that station today; *own work*: the " +
      "worker fields name the principal. —: refused (`RoleNotPermitted`).",
    ""
  )
  for (const context of Domain.contexts) {
    out.push(`### ${context.title["zh-CN"]} · ${context.title.en}`, "")
    out.push(
      table(
        ["command", ...headers.slice(1)],
        context.commands.map((tag) => {
          const rule = commandRules[tag as CommandTag]
          const label = context.commandLabels[tag]
          const name = `${code(tag)} ${label === undefined ? "" : `${label["zh-CN"]} · ${label.en}`}`.trim()
          return row(name, rule.roles, (rule.targets as (c: unknown) => Targets)(probe(tag)))
        })
      ),
      ""
    )
  }
  out.push("## Reads", "")
  out.push(
    "Generated from `Access.readRules`. A report asked without a station covers the whole county: station " +
      "staff are refused it (`StationNotNamed`) and name their own station.",
    ""
  )
  out.push(
    table(
      ["read", ...headers.slice(1)],
      Object.entries(readRules).map(([tag, rule]) =>
        row(code(tag), rule.roles, (rule.targets as (r: unknown) => Targets)(probe(tag)))
      )
    ),
    ""
  )
  out.push("### Streams", "")
  out.push(
    "Generated from `Access.streamRules`: a `Stream` read by the stream's category. A station's stream " +
      "(household, visit, case, activity, worker) is read by its own station's staff only; a worker reads " +
      "their own worker stream; a category not listed is the auditor's alone.",
    ""
  )
  out.push(
    table(
      ["stream category", ...headers.slice(1)],
      Object.keys(streamRules).map((category) => {
        const read: Read = { _tag: "Stream", tenant: "‹tenant›", stream: { category, id: "‹id›" } }
        const rule = readRule(read)
        return row(code(category), rule.roles, rule.targets(read))
      })
    ),
    ""
  )
  out.push("## Rule codes", "")
  out.push(
    "Every refusal is an `AccessDenied` with one of these codes (a server answers 403 with it) and both " +
      "messages. Generated from `Access.Refusals`; `‹field›` marks a value filled in at run time.",
    ""
  )
  const details = new Proxy({}, { get: (_, key) => `‹${String(key)}›` }) as never
  out.push(
    table(
      ["code", "en", "zh-CN"],
      Object.values(Refusals).map((r) => [code(r.code), r.en(details), r.zh(details)])
    ),
    ""
  )
  return out.join("\n")
}

export const header =
  "<!-- Generated by packages/core/scripts/access-docs.ts from the access policy and " +
  "docs/authorization.prose.md. Do not edit: change the code or the prose file, then run `npm run docs`. -->"

/** The whole page: the hand-written prose, then the tables. */
export const render = (prose: string): string => `${header}\n\n${prose.trim()}\n\n${renderTables().trimEnd()}\n`
