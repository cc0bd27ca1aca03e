import { Schema, SchemaAST } from "effect"
import type { Versioning } from "./EventCodec.ts"

// Personal fields: names, ID and phone numbers, addresses, birth dates, free-text notes about people. A field
// is marked where it is declared (`Personal.field`); the codec reads the marks once, at `EventCodec.make`, and
// stores each marked field sealed under its data subject's key (Sealing.ts), so that destroying the key
// erases the field everywhere without changing a stored row (docs/audit.md, "Erasure").

const key = "@shuangbai/eventsourcing/Personal"

interface Mark {
  /** The field (of the same struct, else of the event) holding the data subject's id. */
  readonly about: string
  /** What a decoded event holds in the field once its subject's key is destroyed: a value the Schema accepts. */
  readonly erased: unknown
}

/** The text an erased text field reads as, in every language: 已删除 ("erased"). */
export const erasedText = "已删除"

/**
 * Marks a field as personal data about the subject whose id is in the field `about` of the same struct (or,
 * where the struct has no such field, of the event; failing both, the event's last subject, which handlers
 * list after the household). `erased` is what the field decodes to after erasure: a value the field's Schema
 * accepts, `erasedText` by default; a decoded event lists its erased fields in `Recorded.erased`.
 */
export const field = <S extends Schema.Top>(
  schema: S,
  options: { readonly about?: string; readonly erased?: S["Type"] } = {}
): S =>
  // A key annotation (on the field, not its type): the type keeps its checks and their descriptions.
  Schema.annotateKey({
    [key]: { about: options.about ?? "person", erased: options.erased ?? erasedText } satisfies Mark
  } as never)(schema) as S

/** A personal field of an event type: where it is, and how its subject is found. */
export interface Path {
  /** Keys from the payload's root to the field. */
  readonly path: ReadonlyArray<string>
  /** Keys to the field naming the subject, tried in order. */
  readonly about: ReadonlyArray<ReadonlyArray<string>>
  readonly erased: unknown
}

const fieldsOf = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.PropertySignature> | undefined => {
  const resolved = SchemaAST.isDeclaration(ast) ? ast.typeParameters[0] : ast
  if (resolved === undefined) return undefined
  const encoded = resolved
  return SchemaAST.isObjects(encoded) ? encoded.propertySignatures : undefined
}

const markOf = (ast: SchemaAST.AST): Mark | undefined => ast.context?.annotations?.[key] as Mark | undefined

/** Every personal field of an event class or struct, read from the marks of `field`. */
export const pathsOf = (schema: Schema.Top): ReadonlyArray<Path> => {
  const out: Array<Path> = []
  const walk = (ast: SchemaAST.AST, prefix: ReadonlyArray<string>) => {
    const fields = fieldsOf(ast)
    if (fields === undefined) return
    for (const property of fields) {
      const name = String(property.name)
      const mark = markOf(property.type)
      if (mark !== undefined) {
        const own = fields.some((f) => String(f.name) === mark.about) ? [[...prefix, mark.about]] : []
        out.push({ path: [...prefix, name], about: [...own, [mark.about]], erased: mark.erased })
      } else {
        walk(property.type, [...prefix, name])
      }
    }
  }
  walk(schema.ast, [])
  return out
}

const at = (data: unknown, path: ReadonlyArray<string>): unknown => {
  let value = data
  for (const k of path) {
    if (value === null || typeof value !== "object") return undefined
    value = (value as Record<string, unknown>)[k]
  }
  return value
}

/** A personal field of one encoded payload, with its subject resolved. */
export interface Located {
  readonly path: ReadonlyArray<string>
  readonly subject: string
}

/**
 * The personal fields present in an encoded payload and whose each is: the subject's id from the field the
 * mark names, or the event's last subject. A field whose subject cannot be found is an error of the event's
 * definition, thrown (never stored unsealed).
 */
export const locate = (
  paths: ReadonlyArray<Path>,
  data: unknown,
  subjects: ReadonlyArray<string>
): ReadonlyArray<Located> => {
  const out: Array<Located> = []
  for (const p of paths) {
    if (at(data, p.path) === undefined) continue
    const named = p.about.map((a) => at(data, a)).find((v) => typeof v === "string")
    const subject = (named as string | undefined) ?? subjects[subjects.length - 1]
    if (subject === undefined) throw new Error(`personal field ${p.path.join(".")} has no data subject`)
    out.push({ path: p.path, subject })
  }
  return out
}

/** A copy of `data` with the value at `path` replaced (the payload is JSON: plain objects all the way). */
export const replaceAt = (data: unknown, path: ReadonlyArray<string>, f: (value: unknown) => unknown): unknown => {
  if (path.length === 0) return f(data)
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data
  const [head, ...rest] = path as [string, ...Array<string>]
  const record = data as Record<string, unknown>
  if (!(head in record)) return data
  return { ...record, [head]: replaceAt(record[head], rest, f) }
}

/** A personal value of a version-1 payload, stored in plaintext before sealing: upcast as already open. */
export const plainMark: unique symbol = Symbol.for("@shuangbai/eventsourcing/Personal/plain")

/**
 * The versioning of an event type whose personal fields were stored in plaintext at version 1 and are sealed
 * from version 2: the upcaster marks each version-1 value as open, so that the codec reads it as it reads an
 * opened sealed value (`Sealing.ts`).
 */
export const versioning = (schema: Schema.Top, current = 2): Versioning => {
  const paths = pathsOf(schema)
  return {
    current,
    upcast: {
      1: (data) =>
        paths.reduce<Record<string, unknown>>(
          (acc, p) => replaceAt(acc, p.path, (value) => ({ [plainMark]: value })) as Record<string, unknown>,
          data
        )
    }
  }
}

export { at as valueAt }
