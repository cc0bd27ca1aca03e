import { assert, describe, it } from "@effect/vitest"
import { type Envelope, type EventCodec, HashChain } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Arbitrary from "./Arbitrary.ts"

/** A schema with no services: what events and commands are. */
export type AnySchema = Schema.Codec<any, any, never, never>

/** A union of tagged classes (`Events.Event`, `Commands.Command`): its members are what the laws run over. */
export interface Union {
  readonly members: ReadonlyArray<Schema.Top>
}

export interface Options {
  /** Runs of each property (default 50). */
  readonly numRuns?: number
}

/** The name of a schema: its class identifier, else its AST's. */
export const nameOf = (schema: Schema.Top): string =>
  String(
    (schema as unknown as { readonly identifier?: string }).identifier ??
      (schema.ast as { readonly identifier?: string }).identifier ??
      "schema"
  )

/**
 * An event as a store gives it back: encoded by the codec, through JSON, in an envelope. `envelope`
 * overrides its fields (a position, a stream).
 */
export const stored = <E extends { readonly _tag: string }>(
  codec: EventCodec.EventCodec<E>,
  event: E,
  envelope: Partial<Omit<Envelope.StoredEvent, "data">> = {}
) => {
  const encoded = codec.encode(event)
  return {
    eventId: "01900000-0000-7000-8000-000000000001",
    tenant: "yangshan",
    stream: { category: "any", id: "one" },
    version: 1,
    position: 1,
    type: encoded.type,
    schemaVersion: encoded.schemaVersion,
    data: JSON.parse(JSON.stringify(encoded.data)) as Record<string, unknown>,
    occurredAt: "2025-01-01T00:00:00.000Z",
    recordedAt: "2025-01-01T00:00:00.000Z",
    actor: { id: "w1", role: "worker" },
    commandId: "c1",
    correlationId: "c1",
    causationId: "c1",
    subjects: [] as ReadonlyArray<string>,
    prevHash: HashChain.genesis,
    hash: HashChain.genesis,
    ...envelope
  }
}

/** Throws unless every value of the schema encodes, goes through JSON and decodes back to itself. */
export const roundTrip = (schema: AnySchema, options: Options = {}): void => {
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownResult(schema)
  fc.assert(
    fc.property(Arbitrary.make(schema), (value) => {
      const again = decode(JSON.parse(JSON.stringify(encode(value))))
      assert.isTrue(Result.isSuccess(again), Result.isFailure(again) ? String(again.failure) : "")
      if (Result.isSuccess(again)) assert.deepStrictEqual(again.success, value)
    }),
    { numRuns: options.numRuns ?? 50 }
  )
}

/**
 * Throws unless every value of the event class is stored by the codec under its tag and read back (through
 * JSON, in an envelope) as itself.
 */
export const codecRoundTrip = <E extends { readonly _tag: string }>(
  codec: EventCodec.EventCodec<E>,
  eventClass: Schema.Top,
  options: Options = {}
): void => {
  const name = nameOf(eventClass)
  fc.assert(
    fc.property(Arbitrary.make(eventClass as AnySchema), (event: E) => {
      const row = stored(codec, event)
      assert.strictEqual(row.type, event._tag)
      const decoded = codec.decode(row)
      assert.isTrue(Result.isSuccess(decoded), Result.isFailure(decoded) ? decoded.failure.message : `${name} decodes`)
      if (Result.isSuccess(decoded)) {
        assert.deepStrictEqual(decoded.success.event, event)
        assert.strictEqual(decoded.success.type, name)
      }
    }),
    { numRuns: options.numRuns ?? 50 }
  )
}

/** Throws unless the codec owns exactly the event types of the unions, each once. */
export const codecCovers = (codec: EventCodec.EventCodec<any>, ...events: ReadonlyArray<Union>): void => {
  const all = events.flatMap((union) => union.members.map(nameOf))
  assert.strictEqual(new Set(all).size, all.length, "an event type is in two unions")
  assert.deepStrictEqual([...codec.types].sort(), [...all].sort())
}

/**
 * The schema laws of a context, registered with vitest in one call:
 * `SchemaLaws.suite("visits", { codec, events: [Event], commands: [Command] })`. Every member of the
 * `commands` and `events` unions round-trips through `Arbitrary.make`, its encoded form and JSON; every
 * event class round-trips through the codec; and the codec owns exactly the events' types.
 */
export const suite = (
  name: string,
  schemas: {
    readonly codec: EventCodec.EventCodec<any>
    readonly events: ReadonlyArray<Union>
    readonly commands?: ReadonlyArray<Union>
  },
  options: Options = {}
): void => {
  const members = (unions: ReadonlyArray<Union>) => unions.flatMap((union) => union.members as ReadonlyArray<AnySchema>)
  const events = members(schemas.events)
  describe(`${name} schemas`, () => {
    for (const schema of [...events, ...members(schemas.commands ?? [])]) {
      it(`round-trips ${nameOf(schema)} through JSON`, () => roundTrip(schema, options))
    }
    for (const eventClass of events) {
      it(`stores and reads back ${nameOf(eventClass)} through the codec`, () =>
        codecRoundTrip(schemas.codec, eventClass, options))
    }
    it("the codec knows every event of the unions, and nothing else", () =>
      codecCovers(schemas.codec, ...schemas.events))
  })
}
