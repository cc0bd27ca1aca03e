import { assert, describe, it } from "@effect/vitest"
import {
  ConcurrencyConflict,
  Envelope,
  IdempotencyMismatch,
  InvalidCommand,
  InvalidEvent,
  RuleViolation,
  Scalars,
  StreamId,
  StreamNotFound,
  UnknownEventType
} from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Arbitrary from "./Arbitrary.ts"

// Sample domain-like schemas: tagged classes in a union, nested classes, tuples, records, brands.
class Household extends Schema.Class<Household>("Household")({
  id: Scalars.Id,
  members: Schema.Array(
    Schema.Struct({ name: Scalars.NonEmptyText, age: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 120 })) })
  )
}) {}
class VisitScheduled extends Schema.TaggedClass<VisitScheduled>()("VisitScheduled", {
  visitId: Scalars.Id,
  on: Scalars.LocalDate,
  household: Household,
  note: Schema.optionalKey(Scalars.Text)
}) {}
class VisitConducted extends Schema.TaggedClass<VisitConducted>()("VisitConducted", {
  visitId: Scalars.Id,
  at: Scalars.Instant,
  modality: Schema.Literals(["home", "phone", "video"]),
  personsSeen: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  findings: Schema.Array(Scalars.NonEmptyText).check(Schema.isMaxLength(3))
}) {}
class VisitVoided extends Schema.TaggedClass<VisitVoided>()("VisitVoided", {
  visitId: Schema.String.check(Schema.isUUID(7)),
  reason: Scalars.NonEmptyText.check(Schema.isMaxLength(20))
}) {}
const VisitEvent = Schema.Union([VisitScheduled, VisitConducted, VisitVoided])

const StationCode = Schema.String.check(Schema.isPattern(/^GD-[A-Z]{2}\d{3}$/)).pipe(Schema.brand("StationCode"))

interface Tree {
  readonly label: string
  readonly children: ReadonlyArray<Tree>
}
const Tree: Schema.Codec<Tree> = Schema.Struct({
  label: Scalars.Id,
  children: Schema.Array(Schema.suspend((): Schema.Codec<Tree> => Tree))
})

const kernelSchemas: Record<string, Schema.Codec<any, any, never, never>> = {
  Text: Scalars.Text,
  NonEmptyText: Scalars.NonEmptyText,
  Id: Scalars.Id,
  LocalDate: Scalars.LocalDate,
  Instant: Scalars.Instant,
  Category: StreamId.Category,
  StreamId: StreamId.StreamId,
  EventId: Envelope.EventId,
  Actor: Envelope.Actor,
  Version: Envelope.Version,
  Position: Envelope.Position,
  AppendContext: Envelope.AppendContext,
  NewEvent: Envelope.NewEvent,
  StoredEvent: Envelope.StoredEvent,
  ConcurrencyConflict,
  RuleViolation,
  InvalidCommand,
  InvalidEvent,
  UnknownEventType,
  StreamNotFound,
  IdempotencyMismatch
}

const sampleSchemas: Record<string, Schema.Codec<any, any, never, never>> = {
  Household,
  VisitEvent,
  StationCode,
  Tree,
  Tuple: Schema.Tuple([Schema.Literal("a"), Schema.Boolean, Schema.optionalKey(Schema.Number)]),
  TupleWithRest: Schema.TupleWithRest(Schema.Tuple([Scalars.Id]), [Schema.Int]),
  Record: Schema.Record(Scalars.Id, Schema.Int.check(Schema.isLessThan(0))),
  Bounded: Schema.Number.check(Schema.isGreaterThan(0.5), Schema.isLessThanOrEqualTo(2)),
  Finite: Schema.Finite,
  Lengths: Schema.String.check(Schema.isMinLength(3), Schema.isMaxLength(5)),
  NonEmptyArray: Schema.Array(Schema.Boolean).check(Schema.isMinLength(2)),
  Null: Schema.NullOr(Schema.Undefined),
  Unknown: Schema.Record(Schema.String, Schema.Unknown),
  Option: Schema.Option(Scalars.Id),
  Transformed: Schema.Struct({ n: Schema.NumberFromString, date: Schema.Date })
}

const roundTrips = (schema: Schema.Codec<any, any, never, never>) => {
  const isType = Schema.is(Schema.toType(schema))
  const encode = Schema.encodeUnknownResult(schema)
  const decode = Schema.decodeUnknownResult(schema)
  return (value: unknown) => {
    assert.isTrue(isType(value), `not a valid value: ${fc.stringify(value)}`)
    const encoded = encode(value)
    assert.isTrue(Result.isSuccess(encoded), `does not encode: ${fc.stringify(value)}`)
    const decoded = decode(Result.getOrThrow(encoded))
    assert.isTrue(Result.isSuccess(decoded), `does not decode back: ${fc.stringify(value)}`)
    assert.deepStrictEqual(Result.getOrThrow(decoded), value)
  }
}

describe("Arbitrary.make", () => {
  for (const [name, schema] of Object.entries(kernelSchemas)) {
    it(`kernel ${name}: every value decodes as it is and round-trips`, () => {
      const decode = Schema.decodeUnknownResult(schema)
      const roundTrip = roundTrips(schema)
      fc.assert(
        fc.property(Arbitrary.make(schema), (value) => {
          // Kernel schemas have no transformations, so the Type value is itself a valid encoding.
          assert.isTrue(Result.isSuccess(decode(value)), `does not decode: ${fc.stringify(value)}`)
          roundTrip(value)
        }),
        { numRuns: 200 }
      )
    })
  }

  for (const [name, schema] of Object.entries(sampleSchemas)) {
    it(`sample ${name}: every value is valid and encode→decode round-trips`, () => {
      fc.assert(fc.property(Arbitrary.make(schema), roundTrips(schema)), { numRuns: 200 })
    })
  }

  it("builds real class instances, so class methods and instanceof work", () => {
    fc.assert(
      fc.property(Arbitrary.make(VisitEvent), (event) => {
        assert.isTrue(
          event instanceof VisitScheduled || event instanceof VisitConducted || event instanceof VisitVoided,
          fc.stringify(event)
        )
        if (event instanceof VisitScheduled) assert.instanceOf(event.household, Household)
      })
    )
  })

  it("reaches every member of a union and both sides of an optional key", () => {
    const values = fc.sample(Arbitrary.make(VisitEvent), 500)
    const tags = new Set(values.map((v) => v._tag))
    assert.deepStrictEqual([...tags].sort(), ["VisitConducted", "VisitScheduled", "VisitVoided"])
    const scheduled = values.filter((v): v is VisitScheduled => v._tag === "VisitScheduled")
    assert.isTrue(scheduled.some((v) => "note" in v))
    assert.isTrue(scheduled.some((v) => !("note" in v)))
  })

  it("generates realistic instants and calendar dates, and text without NUL", () => {
    fc.assert(
      fc.property(
        Arbitrary.make(Scalars.Instant),
        Arbitrary.make(Scalars.LocalDate),
        Arbitrary.make(Scalars.Text),
        (instant, date, text) => {
          assert.strictEqual(new Date(instant).toISOString(), instant)
          assert.strictEqual(new Date(`${date}T00:00:00.000Z`).toISOString().slice(0, 10), date)
          assert.notInclude(text, "\u0000")
        }
      )
    )
  })

  it("respects integer bounds exactly, including exclusive ones", () => {
    const schema = Schema.Int.check(Schema.isGreaterThan(-3), Schema.isLessThan(3))
    const seen = new Set(fc.sample(Arbitrary.make(schema), 400))
    assert.deepStrictEqual(
      [...seen].sort((a, b) => a - b),
      [-2, -1, 0, 1, 2]
    )
  })

  it("uses an arbitrary given by annotation for checks no hint can express", () => {
    const isEven = Schema.makeFilter<number>((n) => n % 2 === 0 || "must be even")
    const Even = Schema.Int.check(isEven).annotate(
      Arbitrary.annotation(fc.integer({ min: 0, max: 50 }).map((n) => n * 2))
    )
    fc.assert(fc.property(Arbitrary.make(Even), (n) => n % 2 === 0 && n <= 100))
  })

  it("says which field it cannot generate", () => {
    const schema = Schema.Struct({ nothing: Schema.Never })
    assert.throws(() => Arbitrary.make(schema), /nothing/)
  })
})
