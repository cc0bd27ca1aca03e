import { Schema, type SchemaAST } from "effect"

// A faster way to decode the payload of a stored event, for replays that decode millions of them.
//
// Effect's decoder is general: Effects, suspension, issue trees, transformations. A stored payload is
// plain JSON and an event Schema is a tagged class of structs, arrays, literals, unions and strings or
// numbers with checks. For such a Schema this module compiles a plain validator that does what the
// decoder does on success: the same type tests (`typeof`, `===`, `Array.isArray`, `key in`), the same
// check objects run in the same order, the same output (a new object per struct with its declared
// keys only, a new array per array, the class built by Effect's own trusted constructor). It only ever
// says "valid, here is the value" or "not sure": on anything else, and on every invalid payload, the
// caller runs Effect's decoder, so errors and edge cases stay Effect's. A Schema it does not know
// (a transformation, an index signature, a suspended or declared type) gets no fast path at all.

/** What a compiled validator returns when the value is not valid (or when it cannot tell). */
export const unsure: unique symbol = Symbol("unsure")

type Validate = (input: unknown) => unknown

// Filters read the parse options only to describe a failure, and a failure goes to Effect's decoder.
const parseOptions = {}

/**
 * Checks whose maker also gave the plain test they run (`withPredicate`): the validator calls that test
 * directly instead of going through the check's `run` (a check per field of every event of a replay).
 */
const predicates = new WeakMap<SchemaAST.Check<any>, (value: any) => boolean>()

/**
 * Declares that `check` passes exactly the values `holds` is true of, and returns it. For checks made in
 * this package (Scalars.ts), each tested to agree with its `run` (fastDecode.test.ts).
 */
export const withPredicate = <C extends SchemaAST.Check<any>>(check: C, holds: (value: any) => boolean): C => {
  predicates.set(check, holds)
  return check
}

type Predicate = (value: unknown) => boolean

/** The checks of a node as one test, made once: groups flattened, each check its plain test where declared. */
const compileChecks = (checks: ReadonlyArray<SchemaAST.Check<any>>, ast: SchemaAST.AST): Predicate => {
  const tests: Array<Predicate> = []
  const add = (list: ReadonlyArray<SchemaAST.Check<any>>) => {
    for (const check of list) {
      if (check._tag === "FilterGroup") add(check.checks)
      else tests.push(predicates.get(check) ?? ((value) => check.run(value, ast, parseOptions as never) === undefined))
    }
  }
  add(checks)
  if (tests.length === 1) return tests[0]!
  if (tests.length === 2) {
    const [first, second] = tests as [Predicate, Predicate]
    return (value) => first(value) && second(value)
  }
  return (value) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(value)) return false
    return true
  }
}

const isString: Validate = (input) => (typeof input === "string" ? input : unsure)
const isNumber: Validate = (input) => (typeof input === "number" ? input : unsure)
const isBoolean: Validate = (input) => (typeof input === "boolean" ? input : unsure)
const isNull: Validate = (input) => (input === null ? input : unsure)

interface Property {
  readonly name: string
  readonly optional: boolean
  readonly validate: Validate
}

const compileProperties = (ast: SchemaAST.Objects): ReadonlyArray<Property> | undefined => {
  if (ast.indexSignatures.length > 0) return undefined
  const properties: Array<Property> = []
  for (const p of ast.propertySignatures) {
    if (typeof p.name !== "string" || p.name === "__proto__") return undefined
    const validate = compile(p.type)
    if (validate === undefined) return undefined
    properties.push({ name: p.name, optional: p.type.context?.isOptional === true, validate })
  }
  return properties
}

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/** A struct: the declared keys, in order, each validated; others are dropped, as Effect drops them. */
const objects = (properties: ReadonlyArray<Property>): Validate => {
  const n = properties.length
  return (input) => {
    if (!isRecord(input)) return unsure
    const out: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const p = properties[i]!
      // One lookup for a present key; `in` only tells an absent key from one whose value is undefined.
      const given = input[p.name]
      if (given !== undefined || p.name in input) {
        const value = p.validate(given)
        if (value === unsure) return unsure
        out[p.name] = value
      } else if (!p.optional) {
        return unsure
      }
    }
    return out
  }
}

const arrays = (ast: SchemaAST.Arrays): Validate | undefined => {
  // `Array(X)` (no leading element) and `NonEmptyArray(X)` (one): the shapes events use.
  if (ast.rest.length !== 1 || ast.elements.length > 1) return undefined
  if (ast.elements.some((e) => e.context?.isOptional === true)) return undefined
  const rest = compile(ast.rest[0]!)
  const first = ast.elements.length === 1 ? compile(ast.elements[0]!) : rest
  if (rest === undefined || first === undefined) return undefined
  const min = ast.elements.length
  return (input) => {
    if (!Array.isArray(input) || input.length < min) return unsure
    const out = new Array(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = (i === 0 ? first : rest)(input[i])
      if (value === unsure) return unsure
      out[i] = value
    }
    return out
  }
}

const union = (ast: SchemaAST.Union): Validate | undefined => {
  const members: Array<Validate> = []
  for (const t of ast.types) {
    const validate = compile(t)
    if (validate === undefined) return undefined
    members.push(validate)
  }
  // The first member that takes the value, as Effect's union does.
  return (input) => {
    for (let i = 0; i < members.length; i++) {
      const value = members[i]!(input)
      if (value !== unsure) return value
    }
    return unsure
  }
}

const base = (ast: SchemaAST.AST): Validate | undefined => {
  switch (ast._tag) {
    case "String":
      return isString
    case "Number":
      return isNumber
    case "Boolean":
      return isBoolean
    case "Null":
      return isNull
    case "Literal": {
      const literal = ast.literal
      return (input) => (input === literal ? input : unsure)
    }
    case "Arrays":
      return arrays(ast)
    case "Objects": {
      const properties = compileProperties(ast)
      return properties === undefined ? undefined : objects(properties)
    }
    case "Union":
      return union(ast)
    default:
      return undefined
  }
}

const compile = (ast: SchemaAST.AST): Validate | undefined => {
  if (ast.encoding !== undefined || (ast as { encodingChecks?: unknown }).encodingChecks !== undefined) {
    return undefined
  }
  const validate = base(ast)
  const checks = ast.checks
  if (validate === undefined || checks === undefined) return validate
  const passes = compileChecks(checks, ast)
  if (validate === isString) return (input) => (typeof input === "string" && passes(input) ? input : unsure)
  return (input) => {
    const value = validate(input)
    return value === unsure || !passes(value) ? unsure : value
  }
}

// Effect builds a decoded class with this (exported, not declared): the instance a decode returns.
const makeClassTrusted = (Schema as unknown as { makeClassTrusted?: (self: unknown, fields: object) => unknown })
  .makeClassTrusted

/**
 * The payload validator of an event Schema, or undefined when it has none: `(data, tag)` decodes
 * `{ ...data, _tag: tag }` as Effect would, or returns `unsure`. `data` must be a plain object (JSON).
 */
export const compileEvent = (
  schema: Schema.Top
): ((data: Record<string, unknown>, tag: string) => unknown) | undefined => {
  const ast = schema.ast
  let struct: SchemaAST.AST
  let build: (fields: Record<string, unknown>) => unknown
  if (ast._tag === "Objects") {
    struct = ast
    build = (fields) => fields
  } else if (
    ast._tag === "Declaration" &&
    ast.checks === undefined &&
    ast.encoding?.length === 1 &&
    typeof schema === "function" &&
    makeClassTrusted !== undefined
  ) {
    // A class: its struct decoded, then the instance built as Effect's class transformation builds it.
    struct = ast.encoding[0]!.to
    build = (fields) => makeClassTrusted(schema, fields)
  } else {
    return undefined
  }
  if (struct._tag !== "Objects" || struct.encoding !== undefined) return undefined
  const properties = compileProperties(struct)
  if (properties === undefined) return undefined
  const passes = struct.checks === undefined ? undefined : compileChecks(struct.checks, struct)
  const n = properties.length
  const tagAt = properties.findIndex((p) => p.name === "_tag")
  return (data, tag) => {
    // `{ ...data, _tag: tag }` has data's own keys and `_tag`; for plain JSON data, `key in data` is the same.
    if (Object.getPrototypeOf(data) !== Object.prototype) return unsure
    const out: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const p = properties[i]!
      let value: unknown
      if (i === tagAt) value = p.validate(tag)
      else {
        const given = data[p.name]
        if (given !== undefined || p.name in data) value = p.validate(given)
        else if (p.optional) continue
        else return unsure
      }
      if (value === unsure) return unsure
      out[p.name] = value
    }
    if (passes !== undefined && !passes(out)) return unsure
    return build(out)
  }
}
