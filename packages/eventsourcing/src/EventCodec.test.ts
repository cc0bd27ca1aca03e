import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { UnknownEventType } from "./Errors.ts"
import * as EventCodec from "./EventCodec.ts"
import * as HashChain from "./HashChain.ts"

class Opened extends Schema.TaggedClass<Opened>()("Opened", { id: Schema.String }) {}
class Closed extends Schema.TaggedClass<Closed>()("Closed", { id: Schema.String }) {}
class Renamed extends Schema.TaggedClass<Renamed>()("Renamed", { id: Schema.String, name: Schema.String }) {}

const doors = EventCodec.make({ Opened, Closed })
// Renamed is at version 2: version 1 called the field `title`.
const names = EventCodec.make(
  { Renamed },
  { Renamed: { current: 2, upcast: { 1: ({ title, ...rest }) => ({ ...rest, name: title }) } } }
)

const stored = (type: string, schemaVersion: number, data: unknown) => ({
  eventId: "01900000-0000-7000-8000-000000000001",
  tenant: "t",
  stream: { category: "door", id: "d1" },
  version: 1,
  position: 3,
  type,
  schemaVersion,
  data,
  occurredAt: "2025-01-01T00:00:00.000Z",
  recordedAt: "2025-01-01T00:00:00.000Z",
  actor: { id: "a", role: "r" },
  commandId: "c",
  correlationId: "c",
  causationId: "c",
  subjects: [],
  prevHash: HashChain.genesis,
  hash: HashChain.genesis
})

describe("EventCodec.combine", () => {
  const both = EventCodec.combine(doors, names)

  it("owns the types of every codec and delegates encoding, versions and upcasting", () => {
    assert.deepStrictEqual([...both.types].sort(), ["Closed", "Opened", "Renamed"])
    assert.strictEqual(both.schemaVersion("Renamed"), 2)
    assert.strictEqual(both.schemaVersion("Opened"), 1)
    assert.deepStrictEqual(both.encode(new Closed({ id: "d1" })), {
      type: "Closed",
      schemaVersion: 1,
      data: { id: "d1" }
    })
    const old = both.decode(stored("Renamed", 1, { id: "d1", title: "front" }))
    assert.isTrue(Result.isSuccess(old))
    assert.deepStrictEqual(Result.getOrThrow(old).event, new Renamed({ id: "d1", name: "front" }))
  })

  it("fails with UnknownEventType for a type no codec owns", () => {
    const decoded = both.decode(stored("Painted", 1, { id: "d1" }))
    assert.isTrue(Result.isFailure(decoded))
    if (Result.isFailure(decoded)) {
      assert.instanceOf(decoded.failure, UnknownEventType)
      assert.strictEqual(decoded.failure.type, "Painted")
    }
  })

  it("throws when two codecs own one type", () => {
    assert.throws(() => EventCodec.combine(doors, EventCodec.make({ Opened })), /Opened/)
  })
})

describe("EventCodec.make", () => {
  it("exposes its classes as one union, in the order given, that decodes each of them", () => {
    assert.deepStrictEqual(doors.union.members, [Opened, Closed])
    const closed = Schema.decodeUnknownSync(doors.union)({ _tag: "Closed", id: "d1" })
    assert.instanceOf(closed, Closed)
    assert.throws(() => Schema.decodeUnknownSync(doors.union)({ _tag: "Renamed", id: "d1", name: "东门" }))
  })

  it("upcasts a stored sample of every old version to the current shape", () => {
    const v1 = names.decode(stored("Renamed", 1, { id: "d1", title: "东门" }))
    const v2 = names.decode(stored("Renamed", 2, { id: "d1", name: "东门" }))
    assert.isTrue(Result.isSuccess(v1) && Result.isSuccess(v2))
    if (Result.isSuccess(v1) && Result.isSuccess(v2)) {
      assert.deepStrictEqual(v1.success.event, v2.success.event)
      assert.strictEqual(v1.success.event.name, "东门")
    }
  })

  it("writes the current version and reads back what it wrote", () => {
    const encoded = names.encode(new Renamed({ id: "d1", name: "西门" }))
    assert.strictEqual(encoded.schemaVersion, 2)
    const decoded = names.decode(stored(encoded.type, encoded.schemaVersion, encoded.data))
    assert.isTrue(Result.isSuccess(decoded) && decoded.success.event.name === "西门")
  })

  it("refuses a version newer than the code knows as UnknownEventType", () => {
    const decoded = names.decode(stored("Renamed", 3, { id: "d1", name: "x" }))
    assert.isTrue(Result.isFailure(decoded) && decoded.failure._tag === "UnknownEventType")
  })

  it("names the event, its position and the bad field of a malformed payload", () => {
    const decoded = doors.decode(stored("Opened", 1, { id: 42 }))
    assert.isTrue(Result.isFailure(decoded))
    if (Result.isFailure(decoded) && decoded.failure._tag === "InvalidEvent") {
      assert.strictEqual(decoded.failure.type, "Opened")
      assert.strictEqual(decoded.failure.position, 3)
      assert.deepStrictEqual(
        decoded.failure.issues.map((i) => i.path),
        ["id"]
      )
    } else assert.fail("expected InvalidEvent")
  })

  it("refuses a payload that is not a JSON object", () => {
    for (const data of [null, 7, "text", [1, 2]]) {
      const decoded = doors.decode(stored("Closed", 1, data))
      assert.isTrue(Result.isFailure(decoded) && decoded.failure._tag === "InvalidEvent", JSON.stringify(data))
    }
  })
})
