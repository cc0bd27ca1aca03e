import { Result, Schema, SchemaAST } from "effect"
import * as fc from "fast-check"
import * as TextArbitrary from "./textArbitrary.ts"

type Constraint = TextArbitrary.Constraint

/** Annotation key under which a schema can carry its own arbitrary (see `Arbitrary.annotation`). */
export const overrideKey = "@shuangbai/testing/Arbitrary"

/**
 * How deep recursive (Suspend) schemas may go. Inside a recursion, collections shrink with depth and at
 * this depth stay minimal, optional keys stay absent and unions pick a member that does not recurse.
 */
const maxRecursion = 3

interface Walk {
  readonly path: ReadonlyArray<PropertyKey>
  readonly recursion: number
  readonly depth: fc.DepthIdentifier
}

const cannot = (what: string, walk: Walk) =>
  new Error(
    `Arbitrary.make: cannot generate ${what} at ${walk.path.length === 0 ? "(root)" : walk.path.map(String).join(".")}; annotate the schema with Arbitrary.annotation(...)`
  )

interface Bound {
  readonly value?: unknown
  readonly exclusive?: boolean
}

// Bounds of numbers, bigints and dates all compare with `<` (dates through valueOf).
const below = (a: unknown, b: unknown) => (a as number) < (b as number)

/** Keeps the tighter of two bounds: `tighter(a, b)` says whether b is tighter than a. */
const mergeBound = (
  current: Bound,
  value: unknown,
  exclusive: boolean | undefined,
  tighter: (a: unknown, b: unknown) => boolean
): Bound => {
  if (value === undefined) return current
  if (current.value === undefined || tighter(current.value, value)) return { value, exclusive: exclusive === true }
  if (!tighter(value, current.value)) return { value, exclusive: current.exclusive === true || exclusive === true }
  return current
}

/** Folds every check's `arbitraryConstraint` into one constraint and lists the filters to run afterwards. */
const collect = (checks: SchemaAST.Checks | undefined) => {
  const filters: Array<SchemaAST.Filter<unknown>> = []
  let min: Bound = {}
  let max: Bound = {}
  const lengths: { minLength?: number; maxLength?: number; minProperties?: number; maxProperties?: number } = {}
  const patterns: Array<{ source: string; flags: string }> = []
  const representations: Array<{ id: string; payload: unknown }> = []
  let number: "finite" | "integer" | undefined
  const visit = (check: SchemaAST.Check<unknown>) => {
    const c = check.annotations?.arbitraryConstraint as
      | (Omit<Constraint, "representations"> & { exclusiveMinimum?: true; exclusiveMaximum?: true })
      | undefined
    const representation = check.annotations?.representation as { id: string; payload: unknown } | undefined
    if (representation !== undefined && typeof representation.id === "string") representations.push(representation)
    if (c !== undefined) {
      min = mergeBound(min, c.minimum, c.exclusiveMinimum, below)
      max = mergeBound(max, c.maximum, c.exclusiveMaximum, (a, b) => below(b, a))
      for (const key of ["minLength", "minProperties"] as const)
        if (c[key] !== undefined) lengths[key] = Math.max(lengths[key] ?? 0, c[key])
      for (const key of ["maxLength", "maxProperties"] as const)
        if (c[key] !== undefined) lengths[key] = Math.min(lengths[key] ?? Number.POSITIVE_INFINITY, c[key])
      if (c.patterns !== undefined) patterns.push(...c.patterns)
      if (c.number === "integer" || (c.number === "finite" && number === undefined)) number = c.number
    }
    if (check._tag === "Filter") filters.push(check)
    else check.checks.forEach(visit)
  }
  checks?.forEach(visit)
  const constraint: Constraint = {
    ...lengths,
    ...(min.value === undefined ? {} : { minimum: min.value, exclusiveMinimum: min.exclusive === true }),
    ...(max.value === undefined ? {} : { maximum: max.value, exclusiveMaximum: max.exclusive === true }),
    ...(patterns.length === 0 ? {} : { patterns }),
    ...(number === undefined ? {} : { number }),
    representations
  }
  return { constraint, filters }
}

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 }

const integer = (c: Constraint): fc.Arbitrary<number> => {
  const lo =
    c.minimum === undefined
      ? Number.MIN_SAFE_INTEGER
      : Math.ceil(c.minimum as number) + (c.exclusiveMinimum && Number.isInteger(c.minimum) ? 1 : 0)
  const hi =
    c.maximum === undefined
      ? Number.MAX_SAFE_INTEGER
      : Math.floor(c.maximum as number) - (c.exclusiveMaximum && Number.isInteger(c.maximum) ? 1 : 0)
  const min = Math.max(lo, Number.MIN_SAFE_INTEGER)
  const max = Math.min(hi, Number.MAX_SAFE_INTEGER)
  if (min >= int32.min && max <= int32.max) return fc.integer({ min, max })
  // Small numbers find most bugs; the whole safe range finds the overflow ones.
  const small = fc.integer({ min: Math.max(min, int32.min), max: Math.min(max, int32.max) })
  const wide = fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number)
  return min <= int32.max && max >= int32.min ? fc.oneof({ weight: 3, arbitrary: small }, wide) : wide
}

const number = (c: Constraint): fc.Arbitrary<number> => {
  if (c.number === "integer") return integer(c)
  const bounded = c.minimum !== undefined || c.maximum !== undefined
  // -0 is 0 to every rule, but not to deep equality after JSON or NumberFromString: it would only add noise.
  return fc
    .double({
      ...(c.minimum === undefined ? {} : { min: c.minimum as number, minExcluded: c.exclusiveMinimum === true }),
      ...(c.maximum === undefined ? {} : { max: c.maximum as number, maxExcluded: c.exclusiveMaximum === true }),
      noNaN: c.number === "finite" || bounded,
      noDefaultInfinity: c.number === "finite"
    })
    .map((n) => (Object.is(n, -0) ? 0 : n))
}

const bigint = (c: Constraint): fc.Arbitrary<bigint> =>
  fc.bigInt({
    ...(c.minimum === undefined ? {} : { min: (c.minimum as bigint) + (c.exclusiveMinimum ? 1n : 0n) }),
    ...(c.maximum === undefined ? {} : { max: (c.maximum as bigint) - (c.exclusiveMaximum ? 1n : 0n) })
  })

/** Any JSON value, for `Unknown`/`Any`: what an event payload or a record of unknowns can hold. */
const json = fc.jsonValue({ maxDepth: 2, stringUnit: TextArbitrary.textUnit })

const absent = Symbol("absent")
const maxKeysOf = (maxKeys: number | undefined) => (maxKeys === undefined ? {} : { maxKeys })

/** Largest collection size at this recursion depth: shrinking as it deepens keeps recursive values finite. */
const capAt = (recursion: number, minimum: number, maximum: number | undefined): number | undefined =>
  recursion === 0 ? maximum : Math.max(minimum, Math.min(maximum ?? Number.POSITIVE_INFINITY, maxRecursion - recursion))

/** Whether an AST refers to a Suspend (a recursion point) without going through one. */
const recurses = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "Suspend":
      return true
    case "Union":
      return ast.types.some(recurses)
    case "Arrays":
      return [...ast.elements, ...ast.rest].some(recurses)
    case "Objects":
      return (
        ast.propertySignatures.some((ps) => recurses(ps.type)) || ast.indexSignatures.some((is) => recurses(is.type))
      )
    case "Declaration":
      return ast.typeParameters.some(recurses)
    default:
      return false
  }
}

export const make = (root: SchemaAST.AST): fc.Arbitrary<unknown> => {
  const go = (ast: SchemaAST.AST, walk: Walk): fc.Arbitrary<unknown> => {
    const custom = SchemaAST.resolve(ast)?.[overrideKey]
    if (typeof custom === "function") return custom() as fc.Arbitrary<unknown>
    const { constraint, filters } = collect(ast.checks)
    const base = baseOf(ast, constraint, walk)
    if (filters.length === 0) return base
    // Hints make valid values likely; the schema's own filters make them certain (and cover what no hint says).
    return base.filter((value) => filters.every((filter) => filter.run(value, ast, {}) === undefined))
  }

  const baseOf = (ast: SchemaAST.AST, c: Constraint, walk: Walk): fc.Arbitrary<unknown> => {
    switch (ast._tag) {
      case "String":
        return TextArbitrary.string(c)
      case "Number":
        return number(c)
      case "Boolean":
        return fc.boolean()
      case "BigInt":
        return bigint(c)
      case "Symbol":
        return fc.string({ unit: TextArbitrary.textUnit, maxLength: 8 }).map((s) => Symbol.for(s))
      case "UniqueSymbol":
        return fc.constant(ast.symbol)
      case "Literal":
        return fc.constant(ast.literal)
      case "Enum":
        return fc.constantFrom(...ast.enums.map(([, value]) => value))
      case "Null":
        return fc.constant(null)
      case "Undefined":
      case "Void":
        return fc.constant(undefined)
      case "Unknown":
      case "Any":
        return json
      case "ObjectKeyword":
        return fc.dictionary(fc.string({ unit: TextArbitrary.textUnit, maxLength: 8 }), json, { maxKeys: 4 })
      case "Never":
        throw cannot("a value of Never", walk)
      case "TemplateLiteral":
        return templateLiteral(ast, walk)
      case "Union": {
        const finite = ast.types.filter((member) => !recurses(member))
        const members = walk.recursion >= maxRecursion && finite.length > 0 ? finite : ast.types
        if (members.length === 0) throw cannot("a value of an empty union", walk)
        return fc.oneof(
          { depthSize: "small", depthIdentifier: walk.depth },
          ...members.map((member, i) => go(member, { ...walk, path: [...walk.path, `<${i}>`] }))
        )
      }
      case "Arrays":
        return arrays(ast, c, walk)
      case "Objects":
        return objects(ast, c, walk)
      case "Suspend": {
        // Lazy, or a recursive schema would recurse forever while the arbitrary is being built; memoized,
        // or every generated value would build its subtree's arbitraries (and regexes) again.
        const deeper = { ...walk, recursion: walk.recursion + 1 }
        let body: fc.Arbitrary<unknown> | undefined
        return fc.constant(null).chain(() => {
          body ??= go(ast.thunk(), deeper)
          return body
        })
      }
      case "Declaration":
        return declaration(ast, walk)
    }
  }

  const templateLiteral = (ast: SchemaAST.TemplateLiteral, walk: Walk): fc.Arbitrary<unknown> => {
    const parts = ast.parts.map((part) => go(part, walk).map(String))
    const is = Schema.is(Schema.make(ast))
    return fc
      .tuple(...parts)
      .map((strings) => strings.join(""))
      .filter(is)
  }

  const arrays = (ast: SchemaAST.Arrays, c: Constraint, walk: Walk): fc.Arbitrary<unknown> => {
    const at = (i: number) => ({ ...walk, path: [...walk.path, i] })
    const elements = ast.elements.map((element, i) => ({
      optional: SchemaAST.isOptional(element),
      arb: go(element, at(i))
    }))
    const firstOptional = elements.findIndex((e) => e.optional)
    const required = firstOptional === -1 ? elements.length : firstOptional
    const [head, ...tail] = ast.rest
    if (head === undefined) {
      // Optional elements are a suffix: choose how many of them are present.
      return fc
        .integer({ min: required, max: walk.recursion >= maxRecursion ? required : elements.length })
        .chain((n) => fc.tuple(...elements.slice(0, n).map((e) => e.arb)))
    }
    const tailArbs = tail.map((t, i) => go(t, at(elements.length + 1 + i)))
    const fixed = elements.length + tail.length
    const minLength = Math.max(0, (c.minLength ?? 0) - fixed)
    const declared = c.maxLength === undefined ? undefined : Math.max(minLength, c.maxLength - fixed)
    const maxLength = capAt(walk.recursion, minLength, declared)
    const rest = fc.array(go(head, at(elements.length)), {
      minLength,
      ...(maxLength === undefined ? {} : { maxLength }),
      depthIdentifier: walk.depth
    })
    return fc
      .tuple(fc.tuple(...elements.map((e) => e.arb)), rest, fc.tuple(...tailArbs))
      .map(([first, middle, last]) => [...first, ...middle, ...last])
  }

  const objects = (ast: SchemaAST.Objects, c: Constraint, walk: Walk): fc.Arbitrary<unknown> => {
    const shallow = walk.recursion >= maxRecursion
    const properties = ast.propertySignatures.map((ps) => {
      const arb = go(ps.type, { ...walk, path: [...walk.path, ps.name] })
      const optional = SchemaAST.isOptional(ps.type)
      return {
        name: ps.name,
        arb: !optional
          ? arb
          : shallow
            ? fc.constant(absent)
            : fc.option(arb, { nil: absent, depthIdentifier: walk.depth })
      }
    })
    const indexes = ast.indexSignatures.map((is) => {
      const key = go(is.parameter, { ...walk, path: [...walk.path, "<key>"] }).filter(
        (k) => k !== "__proto__" && (typeof k === "string" || typeof k === "symbol")
      ) as fc.Arbitrary<string>
      return fc.dictionary(key, go(is.type, { ...walk, path: [...walk.path, "<value>"] }), {
        minKeys: c.minProperties ?? 0,
        ...maxKeysOf(capAt(walk.recursion, c.minProperties ?? 0, c.maxProperties)),
        noNullPrototype: true,
        depthIdentifier: walk.depth
      })
    })
    return fc.tuple(fc.tuple(...properties.map((p) => p.arb)), fc.tuple(...indexes)).map(([values, records]) => {
      const out: Record<PropertyKey, unknown> = Object.assign({}, ...records)
      properties.forEach((p, i) => {
        if (values[i] !== absent) out[p.name] = values[i]
      })
      return out
    })
  }

  /**
   * Classes (Schema.Class, TaggedClass, TaggedError) and other declarations say how they are built from a
   * plain representation (`toCodec`): generate that representation, then decode it through the link, so a
   * generated class value is a real instance that encodes and decodes like one made by its constructor.
   */
  const declaration = (ast: SchemaAST.Declaration, walk: Walk): fc.Arbitrary<unknown> => {
    const representation = ast.annotations?.representation as { readonly id?: string } | undefined
    if (representation?.id === "effect/schema/Date") {
      return fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true })
    }
    const toCodec = ast.annotations?.toCodec
    if (typeof toCodec !== "function") throw cannot(`the declaration ${SchemaAST.resolveIdentifier(ast) ?? ""}`, walk)
    const link = toCodec(ast.typeParameters.map((p) => Schema.make(p))) as SchemaAST.Link
    if (link.transformation._tag !== "Transformation") throw cannot("a declaration built by middleware", walk)
    const from = Schema.make(SchemaAST.toType(link.to))
    const build = Schema.decodeUnknownResult(
      Schema.decodeTo(Schema.make(ast), link.transformation as never)(from) as unknown as Schema.Codec<unknown>
    )
    return go(SchemaAST.toType(link.to), walk)
      .map(build)
      .filter(Result.isSuccess)
      .map((built) => built.success)
  }

  return go(root, { path: [], recursion: 0, depth: fc.createDepthIdentifier() })
}
