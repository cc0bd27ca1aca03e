import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Erasure } from "@shuangbai/eventsourcing"
import * as Domain from "./Domain.ts"

// The catalog generator (scripts/domain-docs.ts → docs/domain.md) against the code it documents.
// scripts/ is typechecked by its own tsconfig (`npm run docs:check`); this package's project lists src and
// test only, so the generator is imported by URL and described here by the little the test reads.

interface Field {
  readonly path: string
  readonly type: string
  readonly optional: boolean
  readonly constraints: ReadonlyArray<string>
}
interface Entry {
  readonly tag: string
  readonly label: unknown
  readonly fields: ReadonlyArray<Field>
}
interface Rule {
  readonly code: string
  readonly message: { readonly en: string | undefined; readonly zh: string | undefined }
}
interface Catalog {
  readonly contexts: ReadonlyArray<{
    readonly name: string
    readonly events: ReadonlyArray<Entry & { readonly schemaVersion: number }>
    readonly commands: ReadonlyArray<Entry>
    readonly rules: ReadonlyArray<Rule>
  }>
  readonly sharedRules: ReadonlyArray<Rule>
}

const generator: { catalog: () => Catalog; renderCatalog: (c: Catalog) => string } = await import(
  new URL("../scripts/domainCatalog.ts", import.meta.url).href
)
const built = generator.catalog()
const markdown = generator.renderCatalog(built)

/** Every `Rule.define(…"Code"…)` in the package's sources, tests left out: the rules as written. */
const definedRuleCodes = (): ReadonlyArray<string> => {
  const codes: Array<string> = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/Rule\.define\b[\s\S]*?\(\s*"(\w+)"/g)) codes.push(m[1]!)
      }
    }
  }
  walk(import.meta.dirname)
  return codes.sort()
}

describe("the domain catalog", () => {
  it("lists every event type of Domain.codec once, with its schema version and labels", () => {
    const listed = built.contexts.flatMap((c) => c.events.map((e) => e.tag))
    // Every type of the codec but the kernel's erasure event (docs/audit.md documents it), which no context owns.
    const kernel = new Set<string>(Erasure.codec.types)
    const owned = Domain.codec.types.filter((t) => !kernel.has(t))
    assert.deepStrictEqual([...listed].sort(), [...owned].sort())
    for (const context of built.contexts) {
      for (const event of context.events) {
        assert.strictEqual(event.schemaVersion, Domain.codec.schemaVersion(event.tag), event.tag)
        assert.isDefined(event.label, event.tag)
        assert.isAbove(event.fields.length, 0, event.tag)
        assert.include(markdown, `##### \`${event.tag}\``)
      }
    }
  })

  it("lists every command handle routes", () => {
    for (const context of Domain.contexts) {
      const entry = built.contexts.find((c) => c.name === context.name)!
      assert.deepStrictEqual(
        entry.commands.map((c) => c.tag),
        [...context.commands]
      )
    }
  })

  it("lists every rule defined in the sources, each with both messages", () => {
    const listed = [...built.contexts.flatMap((c) => c.rules), ...built.sharedRules]
    assert.deepStrictEqual(listed.map((r) => r.code).sort(), definedRuleCodes())
    for (const rule of listed) assert.include(markdown, `| \`${rule.code}\` |`)
  })

  it("prints a rule's messages with {field} where a value goes", () => {
    const visits = built.contexts.find((c) => c.name === "visits")!
    const rule = visits.rules.find((r) => r.code === "VisitIsForAnotherHousehold")!
    assert.deepStrictEqual(rule.message, {
      en: "visit {visit} was scheduled for household {scheduledFor}, not {household}",
      zh: "探访 {visit} 安排给户 {scheduledFor}，不是户 {household}"
    })
  })

  it("renders field types from the Schemas: names, literals, arrays of structs, optional fields", () => {
    const visits = built.contexts.find((c) => c.name === "visits")!
    const conducted = visits.events.find((e) => e.tag === "VisitConducted")!
    const field = (path: string) => conducted.fields.find((f) => f.path === path)
    assert.deepInclude(field("visitedOn"), { type: "LocalDate", optional: false })
    assert.deepInclude(field("household"), { type: "HouseholdId" })
    assert.deepInclude(field("modality"), { type: '"HomeVisit" | "Phone" | "Video" | "AtStation"' })
    assert.deepInclude(field("personsSeen"), { type: "NonEmptyArray<PersonId>", constraints: ["each once"] })
    assert.deepInclude(field("itemsGiven"), { type: "Array<{ item, quantity }>" })
    assert.deepInclude(field("itemsGiven[].quantity"), { type: "Int", constraints: ["≥ 1"] })
    assert.deepInclude(field("campaign"), { type: "CampaignId", optional: true })
  })
})
