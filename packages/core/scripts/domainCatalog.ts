// The event catalog as data and as Markdown, read from the code: `Domain.contexts` for what each context
// owns (codec, labels, rules), the contexts' Events and Commands modules for the Schemas, and the Schema
// AST for every field's type. Nothing here is written by hand but the headings: the prose that explains
// the domain lives in docs/domain.prose.md and is put in front of the catalog by `render`.

import { Scalars } from "@shuangbai/eventsourcing"
import { Schema, type SchemaAST } from "effect"
import * as Domain from "../src/Domain.ts"
import * as Core from "../src/index.ts"

// ---- types from the Schema AST --------------------------------------------------------------------

type Check = SchemaAST.Check<any>

/**
 * Names the AST does not keep. A brand (`HouseholdId`) is a type-level tag in Effect 4: its AST is `Id`'s
 * own. So a field whose Schema value is a named export (a brand, `Quantity`, `LocalDate`) is named by
 * reference; below that, a leaf is named by the longest named check list its checks begin with.
 */
interface Names {
  readonly byValue: ReadonlyMap<unknown, string>
  readonly byChecks: ReadonlyArray<{ readonly name: string; readonly checks: ReadonlyArray<Check> }>
  /** A brand's name → the name of the Schema it brands (`HouseholdId` → `Id`). */
  readonly brands: ReadonlyMap<string, string>
  /** The names a rendering used (filled as it goes). */
  readonly used: Set<string>
}

const leafTags = new Set(["String", "Number", "Boolean", "BigInt"])

const isLeaf = (value: unknown): value is Schema.Top =>
  Schema.isSchema(value) && leafTags.has(value.ast._tag) && value.ast.checks !== undefined

/** The modules whose exported leaf Schemas give names: the kernel's Scalars, Shared, each context's. */
const namingModules = (): ReadonlyArray<Record<string, unknown>> => {
  const modules: Array<Record<string, unknown>> = [Scalars, Core.Shared]
  for (const ns of Object.values(Core) as ReadonlyArray<Record<string, unknown>>) {
    if (typeof ns !== "object" || ns === null || !("Events" in ns)) continue
    modules.push(ns, ns.Events as Record<string, unknown>, ns.Commands as Record<string, unknown>)
  }
  return modules
}

const makeNames = (): Names => {
  const byValue = new Map<unknown, string>([[Schema.Int, "Int"]])
  const byChecks: Array<{ name: string; checks: ReadonlyArray<Check> }> = [
    { name: "Int", checks: Schema.Int.ast.checks! }
  ]
  const seenAst = new Map<unknown, string>()
  const brands = new Map<string, string>()
  for (const module of namingModules()) {
    for (const [name, value] of Object.entries(module)) {
      if (!isLeaf(value) || byValue.has(value)) continue
      byValue.set(value, name)
      // A brand shares its AST with the Schema it brands: it is named by reference only.
      const base = seenAst.get(value.ast)
      if (base !== undefined) {
        brands.set(name, base)
        continue
      }
      seenAst.set(value.ast, name)
      byChecks.push({ name, checks: value.ast.checks! })
    }
  }
  return { byValue, byChecks, brands, used: new Set() }
}

const startsWith = (checks: ReadonlyArray<Check>, prefix: ReadonlyArray<Check>) =>
  prefix.length <= checks.length && prefix.every((c, i) => checks[i] === c)

const number = (n: unknown) => (typeof n === "number" ? n.toLocaleString("en-US") : String(n))

/** One check as a short phrase; `unit` says what a length counts. */
const describeCheck = (check: Check, unit: string): string => {
  if (check._tag === "FilterGroup") return check.checks.map((c) => describeCheck(c, unit)).join(", ")
  const annotations = (check.annotations ?? {}) as Record<string, any>
  const representation = annotations.representation as { id: string; payload: any } | undefined
  const p = representation?.payload
  switch (representation?.id) {
    case "effect/schema/isInt":
      return "integer"
    case "effect/schema/isGreaterThanOrEqualTo":
      return `≥ ${number(p.minimum)}`
    case "effect/schema/isGreaterThan":
      return `> ${number(p.exclusiveMinimum ?? p.minimum)}`
    case "effect/schema/isLessThanOrEqualTo":
      return `≤ ${number(p.maximum)}`
    case "effect/schema/isBetween":
      return `${number(p.minimum)} to ${number(p.maximum)}`
    case "effect/schema/isMinLength":
      return p.minLength === 1 && unit === "characters" ? "not empty" : `at least ${number(p.minLength)} ${unit}`
    case "effect/schema/isMaxLength":
      return `at most ${number(p.maxLength)} ${unit}`
    case "effect/schema/isUnique":
      return "each once"
    case "effect/schema/isTrimmed":
      return "trimmed"
    case "effect/schema/isPattern":
      return annotations.expected ?? `matches /${p.source}/`
  }
  return annotations.expected ?? annotations.description ?? "a check without a description"
}

const unitOf = (ast: SchemaAST.AST) => (ast._tag === "Arrays" ? "items" : "characters")

/** A field (or a nested one: `itemsGiven[].item`) as the catalog lists it. */
export interface Field {
  readonly path: string
  readonly type: string
  readonly optional: boolean
  /** Checks beyond what the type's name says. */
  readonly constraints: ReadonlyArray<string>
}

interface Rendered {
  readonly type: string
  readonly constraints: ReadonlyArray<string>
  /** Fields inside (a struct's, an array element's), with paths relative to this one. */
  readonly nested: ReadonlyArray<Field>
}

const childHint = (hint: any, key: string): any => hint?.[key]

/** The Schema under `Schema.optionalKey` (an optional field's hint is one). */
const unwrapOptional = (hint: any, optional: boolean): any =>
  optional && hint !== undefined && "schema" in hint ? hint.schema : hint

const renderType = (names: Names, ast: SchemaAST.AST, hint: any): Rendered => {
  const byValue = hint === undefined ? undefined : names.byValue.get(hint)
  const checks = ast.checks ?? []
  let name = byValue
  let own: ReadonlyArray<Check> = []
  if (name === undefined && leafTags.has(ast._tag)) {
    let best: { name: string; checks: ReadonlyArray<Check> } | undefined
    for (const candidate of names.byChecks) {
      if (startsWith(checks, candidate.checks) && (best === undefined || candidate.checks.length > best.checks.length))
        best = candidate
    }
    if (best !== undefined) {
      name = best.name
      own = best.checks
    }
  } else if (name !== undefined) {
    own = hint.ast.checks ?? []
  }
  const extra = checks.slice(own.length).map((c) => describeCheck(c, unitOf(ast)))
  if (name !== undefined) {
    names.used.add(names.brands.get(name) ?? name)
    return { type: name, constraints: extra, nested: [] }
  }

  switch (ast._tag) {
    case "String":
      return { type: "string", constraints: extra, nested: [] }
    case "Number":
      return { type: "number", constraints: extra, nested: [] }
    case "Boolean":
      return { type: "boolean", constraints: extra, nested: [] }
    case "Null":
      return { type: "null", constraints: extra, nested: [] }
    case "Unknown":
      return { type: "unknown", constraints: extra, nested: [] }
    case "Literal":
      return { type: JSON.stringify(ast.literal), constraints: extra, nested: [] }
    case "Arrays": {
      const element = (a: SchemaAST.AST) => renderType(names, a, childHint(hint, "value"))
      const nestedOf = (r: Rendered) => r.nested.map((f) => ({ ...f, path: `[]${f.path}` }))
      if (ast.elements.length === 0 && ast.rest.length === 1) {
        const r = element(ast.rest[0]!)
        return {
          type: `Array<${r.type}>`,
          constraints: [...r.constraints.map((c) => `items: ${c}`), ...extra],
          nested: nestedOf(r)
        }
      }
      if (ast.elements.length === 1 && ast.rest.length === 1) {
        const r = element(ast.rest[0]!)
        return {
          type: `NonEmptyArray<${r.type}>`,
          constraints: [...r.constraints.map((c) => `items: ${c}`), ...extra],
          nested: nestedOf(r)
        }
      }
      const parts = [
        ...ast.elements.map((e) => renderType(names, e, undefined).type),
        ...ast.rest.map((r) => `...${renderType(names, r, undefined).type}[]`)
      ]
      return { type: `[${parts.join(", ")}]`, constraints: extra, nested: [] }
    }
    case "Objects": {
      const fields = objectFields(names, ast, hint)
      const shape = ast.propertySignatures.map((p) => {
        const key = String(p.name)
        if (key === "_tag" && p.type._tag === "Literal") return `_tag: ${JSON.stringify(p.type.literal)}`
        return `${key}${p.type.context?.isOptional ? "?" : ""}`
      })
      const nested = fields.flatMap((f) => (f.path === "_tag" ? [] : [{ ...f, path: `.${f.path}` }]))
      return { type: `{ ${shape.join(", ")} }`, constraints: extra, nested }
    }
    case "Union": {
      const members: ReadonlyArray<any> | undefined = hint?.members
      const rendered = ast.types.map((t, i) => renderType(names, t, members?.[i]))
      const nested = rendered.flatMap((r, i) => {
        const member = ast.types[i]!
        const tag =
          member._tag === "Objects"
            ? member.propertySignatures.find((p) => p.name === "_tag" && p.type._tag === "Literal")
            : undefined
        const when =
          tag === undefined ? [] : [`when _tag is ${JSON.stringify((tag.type as SchemaAST.Literal).literal)}`]
        return r.nested.map((f) => ({ ...f, constraints: [...when, ...f.constraints] }))
      })
      return { type: rendered.map((r) => r.type).join(" | "), constraints: extra, nested }
    }
    case "Declaration": {
      const identifier = (ast.annotations as Record<string, unknown> | undefined)?.identifier
      return { type: typeof identifier === "string" ? identifier : "object", constraints: extra, nested: [] }
    }
    default:
      return { type: ast._tag.toLowerCase(), constraints: extra, nested: [] }
  }
}

/** The fields of an Objects AST, nested ones flattened after their parent. */
const objectFields = (names: Names, ast: SchemaAST.Objects, hint: any): ReadonlyArray<Field> =>
  ast.propertySignatures.flatMap((p) => {
    const key = String(p.name)
    const optional = p.type.context?.isOptional === true
    const fieldHint = unwrapOptional(childHint(hint?.fields, key), optional)
    const r = renderType(names, p.type, fieldHint)
    return [
      { path: key, type: r.type, optional, constraints: r.constraints },
      ...r.nested.map((f) => ({ ...f, path: `${key}${f.path}` }))
    ]
  })

/** The struct of a tagged class (its Declaration's type parameter), or the Schema's own Objects AST. */
const structOf = (schema: Schema.Top): SchemaAST.Objects | undefined => {
  const ast = schema.ast
  if (ast._tag === "Objects") return ast
  if (ast._tag === "Declaration") {
    const inner = ast.typeParameters[0]
    if (inner !== undefined && inner._tag === "Objects") return inner
  }
  return undefined
}

// ---- the catalog as data ---------------------------------------------------------------------------

export interface Message {
  readonly en: string | undefined
  readonly zh: string | undefined
}

export interface RuleEntry {
  readonly code: string
  readonly message: Message
}

export interface MessageEntry {
  readonly tag: string
  readonly label: { readonly "zh-CN": string; readonly en: string } | undefined
  readonly fields: ReadonlyArray<Field>
  /** Checks on the whole payload (e.g. "a transfer to a worker and/or a station"). */
  readonly checks: ReadonlyArray<string>
}

export interface EventEntry extends MessageEntry {
  readonly schemaVersion: number
  /** Its personal fields (`Personal.field`), each with the field naming its data subject. */
  readonly personal: ReadonlyArray<{ readonly path: string; readonly about: string }>
}

/** What one command does for a person who withdrew consent to processing (`afterWithdrawal`). */
export interface WithdrawalEntry {
  readonly command: string
  readonly outcome: string
  readonly why: string
}

export interface ContextEntry {
  readonly name: string
  readonly title: { readonly "zh-CN": string; readonly en: string }
  readonly streams: ReadonlyArray<string>
  readonly events: ReadonlyArray<EventEntry>
  readonly commands: ReadonlyArray<MessageEntry>
  readonly rules: ReadonlyArray<RuleEntry>
  readonly afterWithdrawal: ReadonlyArray<WithdrawalEntry>
}

export interface Catalog {
  readonly contexts: ReadonlyArray<ContextEntry>
  /** Rules every context uses, defined in `shared/`. */
  readonly sharedRules: ReadonlyArray<RuleEntry>
  /** The named leaf types the fields use, with their checks. */
  readonly types: ReadonlyArray<{ readonly name: string; readonly checks: ReadonlyArray<string> }>
}

interface RuleLike {
  (fields: Record<string, unknown>): { readonly message: string; readonly messageZh: string }
  readonly code: string
  readonly is: (u: unknown) => boolean
}

export const isRule = (value: unknown): value is RuleLike =>
  typeof value === "function" &&
  typeof (value as { code?: unknown }).code === "string" &&
  typeof (value as { is?: unknown }).is === "function"

/** A value that prints as `{name}` however a message uses it: interpolated, joined, lower-cased… */
const placeholder = (name: string): unknown => {
  const text = `{${name}}`
  const print = () => text
  return new Proxy(print, {
    get: (_target, property) => {
      if (property === Symbol.toPrimitive || property === "toString" || property === "valueOf") return print
      if (property === "length") return 1
      if (typeof property === "string" && typeof (String.prototype as any)[property] === "function") return print
      if (typeof property === "string" && typeof (Array.prototype as any)[property] === "function") return print
      return undefined
    }
  })
}

/** Fields whose every property is a placeholder named after it. */
const placeholderFields = (): Record<string, unknown> =>
  new Proxy({} as Record<string, unknown>, {
    get: (_target, property) => (typeof property === "string" ? placeholder(property) : undefined)
  })

/**
 * A rule's messages with `{field}` where a value goes. A message that computes on a value (looks up a
 * label by it) cannot be rendered so: it is undefined, and the catalog says so.
 */
export const messagesOf = (rule: RuleLike): Message => {
  try {
    const violation = rule(placeholderFields())
    return { en: violation.message, zh: violation.messageZh }
  } catch {
    return { en: undefined, zh: undefined }
  }
}

const rulesIn = (module: Readonly<Record<string, unknown>> | ReadonlyArray<unknown>): ReadonlyArray<RuleEntry> =>
  Object.values(module)
    .filter(isRule)
    .map((rule) => ({ code: rule.code, message: messagesOf(rule) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))

type Namespace = Readonly<Record<string, any>>

/** The namespace of `@shuangbai/core` a context of `Domain.contexts` is (the one exporting its codec). */
const namespaceOf = (context: Domain.Context): Namespace => {
  const found = (Object.values(Core) as ReadonlyArray<Namespace>).find(
    (ns) => typeof ns === "object" && ns !== null && ns.codec === context.codec
  )
  if (found === undefined) throw new Error(`no namespace of @shuangbai/core exports the codec of ${context.name}`)
  return found
}

/** The exported Schema of a module whose identifier (the class's tag) is `tag`. */
const schemaTagged = (module: Namespace, tag: string, what: string): Schema.Top => {
  const found = Object.values(module).find(
    (value) => Schema.isSchema(value) && (value as { identifier?: unknown }).identifier === tag
  )
  if (found === undefined) throw new Error(`${what} ${tag}: no exported Schema class with that tag`)
  return found as Schema.Top
}

const entryOf = (names: Names, schema: Schema.Top, tag: string, label: MessageEntry["label"]): MessageEntry => {
  const struct = structOf(schema)
  if (struct === undefined) throw new Error(`${tag} is not a struct or a tagged class`)
  return {
    tag,
    label,
    fields: objectFields(names, struct, schema).filter((f) => f.path !== "_tag"),
    checks: (struct.checks ?? []).map((c) => describeCheck(c, "fields"))
  }
}

/** A command's `afterWithdrawal` entry as the table says it. */
const outcomeOf = (treatment: Core.Shared.AfterWithdrawal): string => {
  const refused = code(Core.Registry.Decide.ProcessingConsentWithdrawn.code)
  const notesRefused = code(Core.Registry.Decide.NotesAboutWithdrawnPerson.code)
  switch (treatment._tag) {
    case "Runs":
      return "runs"
    case "Refused":
      return `refused (${refused})`
    case "RefusedUnless":
      return `refused (${refused}) unless ${treatment.unless}`
    case "FieldsRefused":
      return `runs, but not with ${treatment.fields.map(code).join(" or ")} (${notesRefused})`
    case "NotChecked":
      return "not checked"
  }
}

const withdrawalEntries = (context: Domain.Context): ReadonlyArray<WithdrawalEntry> => {
  const table = context.afterWithdrawal
  if (table === undefined) return []
  return context.commands.map((command) => {
    const treatment = table[command]
    if (treatment === undefined) throw new Error(`${context.name}: afterWithdrawal has no entry for ${command}`)
    return { command, outcome: outcomeOf(treatment), why: treatment.why }
  })
}

export const catalog = (): Catalog => {
  const names = makeNames()
  const contexts = Domain.contexts.map((context): ContextEntry => {
    const ns = namespaceOf(context)
    return {
      name: context.name,
      title: context.title,
      streams: context.streams,
      events: context.events.map((type) => ({
        ...entryOf(names, schemaTagged(ns.Events, type, "event"), type, context.eventLabels[type]),
        schemaVersion: context.codec.schemaVersion(type),
        personal: context.codec.personal(type).map((p) => ({
          path: p.path.join("."),
          about: p.about.map((a) => a.join(".")).find((a) => a.includes(".")) ?? p.about[0]!.join(".")
        }))
      })),
      commands: context.commands.map((tag) =>
        entryOf(names, schemaTagged(ns.Commands, tag, "command"), tag, context.commandLabels[tag])
      ),
      rules: rulesIn(context.rules),
      afterWithdrawal: withdrawalEntries(context)
    }
  })
  const types = new Map<string, { name: string; checks: ReadonlyArray<string> }>()
  for (const n of names.byChecks) {
    if (!names.used.has(n.name)) continue
    const checks = n.checks.map((c) => describeCheck(c, "characters"))
    types.set(`${n.name} ${checks.join(";")}`, { name: n.name, checks })
  }
  return {
    contexts,
    sharedRules: rulesIn(Core.Shared),
    types: [...types.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }
}

// ---- Markdown ----------------------------------------------------------------------------------------

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ")
export const code = (text: string) => `\`${text.replaceAll("`", "'")}\``

export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)
  ].join("\n")

const fieldsTable = (entry: MessageEntry): string => {
  const body =
    entry.fields.length === 0
      ? "No fields."
      : table(
          ["field", "type", "checks"],
          entry.fields.map((f) => [
            code(f.optional ? `${f.path}?` : f.path),
            code(f.type),
            [...(f.optional ? ["optional"] : []), ...f.constraints].join("; ")
          ])
        )
  const checks = entry.checks.length === 0 ? "" : `\n\nThe whole payload: ${entry.checks.join("; ")}.`
  return body + checks
}

const labelOf = (label: MessageEntry["label"]) =>
  label === undefined ? "(no label)" : `${label["zh-CN"]} · ${label.en}`

const anchor = (context: ContextEntry) => `context-${context.name}`

const messageCell = (text: string | undefined) => (text === undefined ? "*(worded from the values at run time)*" : text)

const rulesTable = (rules: ReadonlyArray<RuleEntry>): string =>
  rules.length === 0
    ? "No rules of its own."
    : table(
        ["code", "en", "zh-CN"],
        rules.map((r) => [code(r.code), messageCell(r.message.en), messageCell(r.message.zh)])
      )

/** Codes defined by more than one rule: a code is what callers branch on, so each should be unique. */
export const duplicateCodes = (
  c: Catalog
): ReadonlyArray<{ readonly code: string; readonly owners: ReadonlyArray<string> }> => {
  const owners = new Map<string, Array<string>>()
  const add = (code: string, owner: string) => owners.set(code, [...(owners.get(code) ?? []), owner])
  for (const context of c.contexts) for (const r of context.rules) add(r.code, context.name)
  for (const r of c.sharedRules) add(r.code, "shared")
  return [...owners].filter(([, o]) => o.length > 1).map(([code, o]) => ({ code, owners: o }))
}

export const renderCatalog = (c: Catalog): string => {
  const out: Array<string> = []
  out.push("## Catalog", "")
  out.push(
    "Generated from the code: each context's codec (types and schema versions), labels, Schemas and rules. " +
      "Field types are read from the Schema AST; `?` marks an optional field, `a[].b` a field of each item of " +
      "`a`, `a.b` a field of the object `a`. Rule messages are printed with `{field}` where a value goes.",
    ""
  )
  out.push(
    table(
      ["context", "streams", "events", "commands", "rules"],
      c.contexts.map((x) => [
        `[${x.title["zh-CN"]} · ${x.title.en}](#${anchor(x)})`,
        x.streams.map(code).join(", "),
        String(x.events.length),
        String(x.commands.length),
        String(x.rules.length)
      ])
    ),
    ""
  )
  for (const x of c.contexts) {
    out.push(`<a id="${anchor(x)}"></a>`, "", `### ${x.title["zh-CN"]} · ${x.title.en} (${code(x.name)})`, "")
    out.push(`Streams: ${x.streams.map(code).join(", ")}.`, "")
    out.push("#### Events", "")
    for (const e of x.events) {
      out.push(`##### ${code(e.tag)} — ${labelOf(e.label)} · schema v${e.schemaVersion}`, "", fieldsTable(e), "")
      if (e.personal.length > 0) {
        const fields = e.personal.map((p) => `${code(p.path)} (about ${code(p.about)})`).join(", ")
        out.push(
          `Personal fields, stored sealed under their subject's key from schema v2 (docs/audit.md, "Erasure"): ${fields}. Where the event has no field of that name, the subject is the last one the handler lists.`,
          ""
        )
      }
    }
    out.push("#### Commands", "")
    for (const m of x.commands) out.push(`##### ${code(m.tag)} — ${labelOf(m.label)}`, "", fieldsTable(m), "")
    out.push("#### Rules", "", rulesTable(x.rules), "")
    if (x.afterWithdrawal.length > 0) {
      out.push(
        "#### After a withdrawal of consent to processing",
        "",
        "What each command does for a person whose `DataProcessing` consent is withdrawn and not given again " +
          "([why](#withdrawn-consent)); from `afterWithdrawal` in the context's Decide.ts.",
        "",
        table(
          ["command", "after a withdrawal", "why"],
          x.afterWithdrawal.map((w) => [code(w.command), w.outcome, w.why])
        ),
        ""
      )
    }
  }
  out.push("### Shared rules", "", "Defined in `shared/` and used by every context that records a date.", "")
  out.push(rulesTable(c.sharedRules), "")
  const duplicates = duplicateCodes(c)
  if (duplicates.length > 0) {
    out.push("### Rule codes defined twice", "")
    out.push(
      "A rule's code is what callers branch on; these codes are defined by more than one rule:",
      "",
      ...duplicates.map((d) => `- ${code(d.code)}: ${d.owners.join(", ")}`),
      ""
    )
  }
  out.push("### Named types", "", "The field types with a name, and the checks the name stands for.", "")
  out.push(
    table(
      ["type", "checks"],
      c.types.map((t) => [code(t.name), t.checks.join("; ")])
    ),
    ""
  )
  out.push(
    "Ids branded with their kind (`HouseholdId`, `PersonId`, `WorkerId`…) are `Id`s: the brand is a " +
      "compile-time tag and adds no check.",
    ""
  )
  return out.join("\n")
}

export const header =
  "<!-- Generated by packages/core/scripts/domain-docs.ts from Domain.contexts and docs/domain.prose.md. " +
  "Do not edit: change the code or the prose file, then run `npm run docs`. -->"

/** The whole page: the hand-written prose, then the catalog. */
export const render = (prose: string, c: Catalog = catalog()): string =>
  `${header}\n\n${prose.trim()}\n\n${renderCatalog(c).trimEnd()}\n`
