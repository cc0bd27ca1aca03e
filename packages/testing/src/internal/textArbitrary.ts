import { Scalars } from "@shuangbai/eventsourcing"
import { Schema, type SchemaAST } from "effect"
import * as fc from "fast-check"

/** The generation hints effect's built-in checks carry (`arbitraryConstraint`), merged for one node. */
export interface Constraint {
  readonly minimum?: unknown
  readonly exclusiveMinimum?: boolean
  readonly maximum?: unknown
  readonly exclusiveMaximum?: boolean
  readonly minLength?: number
  readonly maxLength?: number
  readonly minProperties?: number
  readonly maxProperties?: number
  readonly patterns?: ReadonlyArray<{ readonly source: string; readonly flags: string }>
  readonly number?: "finite" | "integer"
  /** The `representation.id` of every check, so well-known formats (UUIDs) get a dedicated generator. */
  readonly representations: ReadonlyArray<{ readonly id: string; readonly payload: unknown }>
}

const char = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c))

/**
 * One UTF-16 code unit at a time, so Schema length checks (which count code units) map onto fast-check's.
 * Mostly printable ASCII, often Chinese (the domain's language), sometimes whitespace and accents.
 * Never U+0000: stored text refuses it, so generating it would only waste runs of every Text field.
 */
export const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: char(0x20, 0x7e) },
  { weight: 3, arbitrary: char(0x4e00, 0x9fa5) },
  { weight: 1, arbitrary: fc.constantFrom("\n", "\t", " ", "\u00a0", "é", "—", "·", "　") }
)

const patternsOf = (schema: { readonly ast: SchemaAST.AST }): ReadonlyArray<string> =>
  (schema.ast.checks ?? []).flatMap(
    (check) => (check.annotations?.arbitraryConstraint as Constraint | undefined)?.patterns?.map((p) => p.source) ?? []
  )

const trimmedPattern = patternsOf(Schema.String.check(Schema.isTrimmed()))[0]
const instantPatterns = new Set(patternsOf(Scalars.Instant))
const localDatePatterns = new Set(patternsOf(Scalars.LocalDate))

// Realistic times (2000–2039) rather than whatever digits a pattern allows, so `Date.parse` works on them.
const minMillis = Date.UTC(2000, 0, 1)
const maxMillis = Date.UTC(2040, 0, 1) - 1
const instant = fc.integer({ min: minMillis, max: maxMillis }).map((ms) => new Date(ms).toISOString())
const localDate = fc
  .integer({ min: minMillis / 86_400_000, max: Math.floor(maxMillis / 86_400_000) })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10))

const uuidVersion = (constraint: Constraint): number | null | undefined => {
  const uuid = constraint.representations.find((r) => r.id === "effect/schema/isUUID")
  if (uuid === undefined) return undefined
  const version = (uuid.payload as { readonly version?: number | null } | null)?.version
  return typeof version === "number" ? version : null
}

/**
 * A string arbitrary from the hints of a String node's checks. The node's filters still run on every
 * value afterwards, so a hint only has to make valid values likely, not certain.
 */
export const string = (constraint: Constraint): fc.Arbitrary<string> => {
  const version = uuidVersion(constraint)
  if (version !== undefined) return version === null ? fc.uuid() : fc.uuid({ version: version as 7 })
  const patterns = constraint.patterns ?? []
  if (patterns.some((p) => instantPatterns.has(p.source))) return instant
  if (patterns.some((p) => localDatePatterns.has(p.source))) return localDate
  const trimmed = patterns.some((p) => p.source === trimmedPattern)
  const pattern = patterns.find((p) => p.source !== trimmedPattern)
  if (pattern !== undefined) {
    const matching = fc.stringMatching(new RegExp(pattern.source, pattern.flags))
    return trimmed ? matching.map((s) => s.trim()) : matching
  }
  const minLength = constraint.minLength ?? 0
  const maxLength = constraint.maxLength
  const plain = fc.string({ unit: textUnit, minLength, ...(maxLength === undefined ? {} : { maxLength }) })
  // A blank-only string trims to "" and is then refused by a minimum length: rare, since blanks are rare units.
  return trimmed ? plain.map((s) => s.trim()) : plain
}
