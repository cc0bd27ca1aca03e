import { type Schema, SchemaAST } from "effect"
import type * as fc from "fast-check"
import * as SchemaArbitrary from "./internal/schemaArbitrary.ts"

/**
 * A fast-check arbitrary of a schema's Type side: every value it yields decodes with the schema, and
 * encodes and decodes back to itself. Built from the schema's AST: structs, classes (real instances),
 * unions, tuples, arrays, records, optional keys, literals, brands, and the hints of effect's checks
 * (integers, bounds, lengths, patterns, UUIDs); the kernel's Instant and LocalDate yield real times.
 * A check with no hint is honoured by filtering with the schema's own validation.
 */
export const make = <S extends Schema.Constraint>(schema: S): fc.Arbitrary<S["Type"]> =>
  SchemaArbitrary.make(SchemaAST.toType(schema.ast)) as fc.Arbitrary<S["Type"]>

/**
 * Annotations that make `make` use this arbitrary for the schema, for a check no hint can express:
 * `Schema.String.check(isIsbn).annotate(Arbitrary.annotation(isbnArbitrary))`. Put it after the last check.
 */
export const annotation = <A>(arbitrary: fc.Arbitrary<A>): Schema.Annotations.Annotations => ({
  [SchemaArbitrary.overrideKey]: () => arbitrary
})
