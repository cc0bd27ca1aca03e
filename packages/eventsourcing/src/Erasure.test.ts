import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema, Stream } from "effect"
import * as Audit from "./Audit.ts"
import * as Bundle from "./Bundle.ts"
import type { NewEvent } from "./Envelope.ts"
import * as Erasure from "./Erasure.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import * as IdGenerator from "./IdGenerator.ts"
import * as MemoryStore from "./internal/memoryStore.ts"
import * as Personal from "./Personal.ts"
import * as Sealing from "./Sealing.ts"
import * as SubjectKeys from "./SubjectKeys.ts"

class Registered extends Schema.TaggedClass<Registered>()("Registered", {
  person: Schema.String,
  name: Personal.field(Schema.String),
  birthDate: Personal.field(Schema.String, { erased: "1900-01-01" }),
  village: Schema.String
}) {}

const codec = EventCodec.combine(
  EventCodec.make({ Registered }, { Registered: Personal.versioning(Registered) }),
  Erasure.codec
)

const context = { actor: { id: "clerk", role: "countyAdmin" }, commandId: "c", correlationId: "c", causationId: "c" }

const setup = Effect.gen(function* () {
  const { store: raw, rewrite } = yield* MemoryStore.make()
  const keys = SubjectKeys.makeMemory(rewrite)
  const store = Sealing.sealed(raw, keys)
  return { raw, rewrite, keys, store }
})

const newEvent = (eventId: string, event: Registered, schemaVersion: 1 | 2): NewEvent => {
  const encoded = codec.encode(event)
  const personal = Personal.locate(codec.personal(encoded.type), encoded.data, [event.person])
  return {
    eventId,
    type: encoded.type,
    schemaVersion,
    data: encoded.data,
    occurredAt: "2026-01-01T00:00:00.000Z",
    subjects: [event.person],
    ...(schemaVersion === 2 ? { personal } : {})
  }
}

const ada = new Registered({ person: "p-1", name: "陈阿妹", birthDate: "1950-05-05", village: "v-1" })
const bo = new Registered({ person: "p-2", name: "李伯", birthDate: "1948-02-02", village: "v-1" })

describe("Erasure", () => {
  it.effect(
    "a version-1 row and a sealed row read the same, and erasure leaves no plaintext while the chain verifies",
    () =>
      Effect.gen(function* () {
        const { raw, keys, store } = yield* setup
        const ids = yield* IdGenerator.IdGenerator
        // A version-1 row as the code before sealing wrote it: plaintext, no `personal`.
        yield* raw.append({
          tenant: "t",
          stream: { category: "person", id: "p-1" },
          expected: ExpectedVersion.noStream,
          events: [newEvent(yield* ids.next, ada, 1)],
          context
        })
        yield* store.append({
          tenant: "t",
          stream: { category: "person", id: "p-2" },
          expected: ExpectedVersion.noStream,
          events: [newEvent(yield* ids.next, bo, 2)],
          context: { ...context, commandId: "c2" }
        })
        const sealedRow = JSON.stringify(yield* raw.readAll("t", { after: 1, limit: 1 }))
        assert.isFalse(sealedRow.includes("李伯"), "a sealed row holds no plaintext")
        const read = yield* store.readAll("t", { after: 0, limit: 10 })
        const decoded = read.map((e) => Result.getOrThrow(codec.decode(e)).event)
        assert.deepStrictEqual(decoded, [ada, bo])

        const provide = Effect.provideService(EventStore, store)
        const withKeys = Effect.provideService(SubjectKeys.SubjectKeys, keys)
        const request = {
          legalBasis: { ground: "PIPL-47-3-ConsentWithdrawn", text: "书面申请 2026-01-05" },
          reason: "本人撤回同意并要求删除"
        } as const
        const erased = yield* Erasure.erase("t", "p-1", request, { ...context, commandId: "e1" }, codec).pipe(
          provide,
          withKeys
        )
        assert.strictEqual(erased.rewritten, 1)
        assert.isFalse(erased.duplicate)
        const rows = JSON.stringify(yield* raw.readAll("t", { after: 0, limit: 10 }))
        for (const plain of ["陈阿妹", "1950-05-05"]) assert.isFalse(rows.includes(plain), `${plain} is gone`)
        assert.isTrue(rows.includes("李伯") === false && rows.includes("p-1"))

        const after = (yield* store.readAll("t", { after: 0, limit: 10 })).map((e) =>
          Result.getOrThrow(codec.decode(e))
        )
        assert.strictEqual((after[0]!.event as Registered).name, Personal.erasedText)
        assert.deepStrictEqual(after[0]!.erased, ["name", "birthDate"])
        assert.strictEqual((after[0]!.event as Registered).village, "v-1", "a field that is not personal stays")
        assert.deepStrictEqual(after[1]!.event, bo, "another subject is untouched")

        const verified = yield* Audit.verifyChain("t").pipe(provide)
        assert.strictEqual(verified.events, 3)
        const verifyingStore = Audit.verifyingReads(store)
        yield* verifyingStore.readAll("t", { after: 0, limit: 10 })
        // Bundles of the log and of the erased subject (a page an event, so the row is held across pages).
        for (const scope of [{ scope: "log" } as const, { scope: "subject", subject: "p-1" } as const]) {
          const bundle = yield* Stream.mkString(Bundle.make("t", { ...scope, pageSize: 1 })).pipe(provide)
          assert.strictEqual((yield* Bundle.verify(bundle, undefined)).events, scope.scope === "log" ? 3 : 2)
          const edited = bundle.replace('"village":"v-1"', '"village":"v-2"')
          assert.notStrictEqual(edited, bundle)
          assert.strictEqual((yield* Effect.flip(Bundle.verify(edited, undefined)))._tag, "BundleRejected")
        }

        // Again: the first erasure's answer, nothing written.
        const again = yield* Erasure.erase("t", "p-1", request, { ...context, commandId: "e2" }, codec).pipe(
          provide,
          withKeys
        )
        assert.isTrue(again.duplicate)
        assert.strictEqual(again.event.eventId, erased.event.eventId)
        assert.strictEqual((yield* raw.head("t")).position, 3)

        // New personal data about the erased subject is refused, and nothing is written.
        const refused = yield* Effect.flip(
          store.append({
            tenant: "t",
            stream: { category: "person", id: "p-1" },
            expected: ExpectedVersion.any,
            events: [newEvent(yield* ids.next, ada, 2)],
            context: { ...context, commandId: "c3" }
          })
        )
        assert.strictEqual(refused._tag === "EventStoreError" && refused.reason, "InvalidRequest")
        assert.include(refused.message, "p-1")
        assert.strictEqual((yield* raw.head("t")).position, 3)
      }).pipe(Effect.provide(IdGenerator.layerDeterministic()))
  )

  it.effect("an edit of a rewritten row that the erasure did not attest still fails verification", () =>
    Effect.gen(function* () {
      const { raw, rewrite, keys, store } = yield* setup
      const ids = yield* IdGenerator.IdGenerator
      yield* raw.append({
        tenant: "t",
        stream: { category: "person", id: "p-1" },
        expected: ExpectedVersion.noStream,
        events: [newEvent(yield* ids.next, ada, 1), newEvent(yield* ids.next, bo, 1)],
        context
      })
      const provide = Effect.provideService(EventStore, store)
      yield* Erasure.erase(
        "t",
        "p-1",
        { legalBasis: { ground: "PIPL-47-1-PurposeFulfilled", text: "结案五年" }, reason: "保存期满" },
        { ...context, commandId: "e1" },
        codec
      ).pipe(provide, Effect.provideService(SubjectKeys.SubjectKeys, keys))
      yield* Audit.verifyChain("t").pipe(provide)
      // The attacker changes the other subject's row (unattested) in the same way an erasure would.
      const row = (yield* raw.readAll("t", { after: 1, limit: 1 }))[0]!
      rewrite("t", [{ position: 2, schemaVersion: 2, data: { ...(row.data as object), village: "v-9" } }])
      const error = yield* Effect.flip(Audit.verifyChain("t").pipe(provide))
      assert.strictEqual(error._tag, "ChainBroken")
      assert.strictEqual(error._tag === "ChainBroken" ? error.position : 0, 2)
      // And an attested row changed again after the erasure fails too.
      rewrite("t", [{ position: 2, schemaVersion: 1, data: row.data }])
      rewrite("t", [{ position: 1, schemaVersion: 2, data: { person: "p-1", village: "v-9" } }])
      const again = yield* Effect.flip(Audit.verifyChain("t").pipe(provide))
      assert.strictEqual(again._tag === "ChainBroken" ? again.position : 0, 1)
    }).pipe(Effect.provide(IdGenerator.layerDeterministic()))
  )

  it.effect("refuses an erasure without a legal basis and a subject that does not exist, writing nothing", () =>
    Effect.gen(function* () {
      const { raw, keys, store } = yield* setup
      const ids = yield* IdGenerator.IdGenerator
      yield* store.append({
        tenant: "t",
        stream: { category: "person", id: "p-1" },
        expected: ExpectedVersion.noStream,
        events: [newEvent(yield* ids.next, ada, 2)],
        context
      })
      const run = (subject: string, request: unknown) =>
        Effect.flip(
          Erasure.erase("t", subject, request as Erasure.Request, { ...context, commandId: "e" }, codec).pipe(
            Effect.provideService(EventStore, store),
            Effect.provideService(SubjectKeys.SubjectKeys, keys)
          )
        )
      const noBasis = yield* run("p-1", { reason: "要求删除" })
      assert.strictEqual(noBasis._tag, "InvalidErasure")
      const badGround = yield* run("p-1", { legalBasis: { ground: "Art. 99", text: "x" }, reason: "要求删除" })
      assert.strictEqual(badGround._tag, "InvalidErasure")
      const nobody = yield* run("p-404", {
        legalBasis: { ground: "PIPL-47-3-ConsentWithdrawn", text: "x" },
        reason: "要求删除"
      })
      assert.strictEqual(nobody._tag, "SubjectNotFound")
      assert.include(nobody.message, "p-404")
      assert.strictEqual((yield* raw.head("t")).position, 1)
      assert.strictEqual((yield* keys.read("t", ["p-1"])).get("p-1")?._tag, "Live")
    }).pipe(Effect.provide(IdGenerator.layerDeterministic()))
  )

  it.effect("a sealed field whose key row is missing is a Corrupt error naming the subject", () =>
    Effect.gen(function* () {
      const { raw, store } = yield* setup
      const ids = yield* IdGenerator.IdGenerator
      yield* store.append({
        tenant: "t",
        stream: { category: "person", id: "p-1" },
        expected: ExpectedVersion.noStream,
        events: [newEvent(yield* ids.next, ada, 2)],
        context
      })
      const lost = Sealing.sealed(
        raw,
        SubjectKeys.makeMemory(() => {})
      )
      const error = yield* Effect.flip(lost.readAll("t", { after: 0, limit: 10 }))
      assert.strictEqual(error.reason, "Corrupt")
      assert.include(error.message, "subject p-1")
      // Read without opening (the raw row), the codec refuses the sealed field instead of guessing.
      const [row] = yield* raw.readAll("t", { after: 0, limit: 1 })
      const decoded = codec.decode(row!)
      assert.isTrue(Result.isFailure(decoded))
    }).pipe(Effect.provide(IdGenerator.layerDeterministic()))
  )
})
