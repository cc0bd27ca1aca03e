import { generateKeyPairSync } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import fc from "fast-check"
import * as Anchor from "./Anchor.ts"
import * as Audit from "./Audit.ts"
import * as Bundle from "./Bundle.ts"
import { EventStore, layerMemory } from "./EventStore.ts"
import * as ExpectedVersion from "./ExpectedVersion.ts"
import * as IdGenerator from "./IdGenerator.ts"

const keys = generateKeyPairSync("ed25519")

// Any JSON a store accepts: well-formed Unicode, no NUL (both refused at append).
const payload = fc
  .jsonValue({ maxDepth: 3, stringUnit: "grapheme" })
  .filter((v) => !JSON.stringify(v).includes("\\u0000"))

/** A log of the given payloads with an anchor after the first half, as a bundle. */
const bundleOf = (payloads: ReadonlyArray<unknown>) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const ids = yield* IdGenerator.IdGenerator
    for (const [i, data] of payloads.entries()) {
      yield* store.append({
        tenant: "t",
        stream: { category: "c", id: `s${i % 3}` },
        expected: ExpectedVersion.any,
        events: [
          {
            eventId: yield* ids.next,
            type: "Happened",
            schemaVersion: 1,
            data,
            occurredAt: "2026-01-01T00:00:00.000Z",
            subjects: [`p${i % 2}`]
          }
        ],
        context: { actor: { id: "a", role: "r" }, commandId: `c${i}`, correlationId: "x", causationId: "x" }
      })
      if (i === Math.floor(payloads.length / 2)) yield* Audit.checkpoint("t")
    }
    const anchors = yield* Anchor.AnchorStore.use((s) => s.list("t"))
    return yield* Stream.mkString(Bundle.make("t", { scope: "log", anchors, publicKey: keys.publicKey, pageSize: 3 }))
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        layerMemory,
        IdGenerator.layerDeterministic(),
        Anchor.layerAnchorsMemory,
        Layer.succeed(Anchor.Signer, Anchor.signerFromKey(keys.privateKey))
      )
    )
  )

const rejected = (text: string) =>
  Effect.map(
    Effect.flip(Bundle.verify(text, keys.publicKey)),
    (e) => e._tag === "BundleRejected" || e._tag === "AnchorRefused"
  )

describe("Bundle", () => {
  it.effect("a bundle of any log verifies; a changed byte, a dropped or a swapped line never does", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 7 }), fc.nat(), fc.nat(), (payloads, at, which) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const text = yield* bundleOf(payloads)
              const verified = yield* Bundle.verify(text, keys.publicKey)
              assert.deepStrictEqual([verified.events, verified.anchors], [payloads.length, 1])
              const bytes = Buffer.from(text, "utf8")
              const i = at % bytes.length
              const changed = Buffer.from(bytes)
              changed[i] = changed[i]! ^ (1 << (which % 8))
              // A change that is not valid UTF-8 is caught by decoding, before the verifier.
              const decoded = new TextDecoder("utf-8", { fatal: true })
              const changedText = (() => {
                try {
                  return decoded.decode(changed)
                } catch {
                  return undefined
                }
              })()
              if (changedText !== undefined) assert.isTrue(yield* rejected(changedText), `byte ${i}`)
              const lines = text.slice(0, -1).split("\n")
              const k = which % lines.length
              assert.isTrue(yield* rejected(`${lines.filter((_, j) => j !== k).join("\n")}\n`), `line ${k} dropped`)
              if (k + 1 < lines.length) {
                const swapped = [...lines]
                ;[swapped[k], swapped[k + 1]] = [swapped[k + 1]!, swapped[k]!]
                assert.isTrue(yield* rejected(`${swapped.join("\n")}\n`), `lines ${k} and ${k + 1} swapped`)
              }
            })
          )
        ),
        // Line separators inside text are written as they are (not escaped), so a line is not "up to a line terminator".
        { numRuns: 100, examples: [[[{ "\u2028": "\u2029\r" }, "\u0085"], 0, 0]] }
      )
    )
  )

  it.effect("without a key everything but the signatures is checked, and an anchor of another tenant is refused", () =>
    Effect.gen(function* () {
      const text = yield* bundleOf([{ a: 1 }, { b: 2 }, { c: 3 }])
      const verified = yield* Bundle.verify(text, undefined)
      assert.deepStrictEqual([verified.events, verified.anchors, verified.signaturesChecked], [3, 1, false])
      assert.isTrue((yield* Bundle.verify(text, keys.publicKey)).signaturesChecked)
      const foreign = text.replace(/(\{"anchor":\{[^\n]*"tenant":)"t"/, '$1"u"')
      assert.notStrictEqual(foreign, text)
      const refused = yield* Effect.flip(Bundle.verify(foreign, undefined))
      assert.deepStrictEqual(
        refused._tag === "AnchorRefused" ? [refused.reason, refused.anchorTenant] : [refused._tag],
        ["OtherTenant", "u"]
      )
      // an edited event is caught without a key too
      const edited = text.replace('"b":2', '"b":3')
      assert.strictEqual((yield* Effect.flip(Bundle.verify(edited, undefined)))._tag, "BundleRejected")
    })
  )
})
