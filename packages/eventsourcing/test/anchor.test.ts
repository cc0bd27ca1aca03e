// Key files as openssl writes them, and anchors kept as files in a directory: what a host and the CLI use.
import { execFileSync, spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Anchor from "../src/Anchor.ts"
import * as Audit from "../src/Audit.ts"
import { EventStore, layerMemory, makeMemory } from "../src/EventStore.ts"
import * as ExpectedVersion from "../src/ExpectedVersion.ts"
import * as IdGenerator from "../src/IdGenerator.ts"

const openssl = spawnSync("openssl", ["version"]).status === 0

const withDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "anchors-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const append = (tenant: string, i: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const commandId = `c-${i}`
    yield* store.append({
      tenant,
      stream: { category: "visit", id: "v" },
      expected: ExpectedVersion.any,
      events: [
        {
          eventId: yield* (yield* IdGenerator.IdGenerator).next,
          type: "VisitConducted",
          schemaVersion: 1,
          data: { i },
          occurredAt: "2026-03-01T08:00:00.000Z",
          subjects: []
        }
      ],
      context: { actor: { id: "w", role: "worker" }, commandId, correlationId: commandId, causationId: commandId }
    })
  })

describe("Anchor key files", () => {
  it.effect("a missing, unreadable or non-Ed25519 key file is a KeyFileError naming it", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const missing = yield* Effect.flip(Anchor.readPrivateKey(join(dir, "nope.pem")))
        assert.strictEqual(missing.reason, "Missing")
        assert.include(missing.message, "nope.pem")
        writeFileSync(join(dir, "garbage.pem"), "not a key")
        assert.strictEqual((yield* Effect.flip(Anchor.readPublicKey(join(dir, "garbage.pem")))).reason, "Unreadable")
        assert.strictEqual((yield* Effect.flip(Anchor.readPrivateKey(dir))).reason, "Unreadable")
        if (openssl) {
          execFileSync("openssl", [
            "genpkey",
            "-algorithm",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            join(dir, "ec.pem")
          ])
          const ec = yield* Effect.flip(Anchor.readPrivateKey(join(dir, "ec.pem")))
          assert.strictEqual(ec.reason, "NotEd25519")
          assert.include(ec.message, "openssl genpkey -algorithm ed25519")
        }
      })
    )
  )

  it.effect.skipIf(!openssl)("keys made by openssl sign and check anchors kept in a directory", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const key = join(dir, "anchor.key")
        const pub = join(dir, "anchor.pub")
        execFileSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", key])
        execFileSync("openssl", ["pkey", "-in", key, "-pubout", "-out", pub])
        const anchors = join(dir, "anchors")
        const context = yield* Layer.build(
          Layer.mergeAll(
            layerMemory,
            IdGenerator.layer,
            Anchor.layerAnchorsDirectory(anchors),
            Anchor.layerSignerKeyFile(key)
          )
        )
        const run = <A, E>(
          effect: Effect.Effect<A, E, EventStore | IdGenerator.IdGenerator | Anchor.AnchorStore | Anchor.Signer>
        ) => Effect.provideContext(effect, context)
        yield* run(append("县", 1))
        yield* run(append("县", 2))
        const first = yield* run(Audit.checkpoint("县"))
        yield* run(append("县", 3))
        const second = yield* run(Audit.checkpoint("县"))
        assert.strictEqual(second.verified.events, 1)
        const folder = join(anchors, encodeURIComponent("县"))
        assert.deepStrictEqual(readdirSync(folder), [Anchor.fileName(first.anchor), Anchor.fileName(second.anchor)])
        const publicKey = yield* Anchor.readPublicKey(pub)
        const verified = yield* run(Audit.verifyAnchored("县", { publicKey }))
        assert.deepStrictEqual([verified.events, verified.anchors], [3, 2])

        // An anchor of another tenant copied into this tenant's folder is refused, naming both.
        yield* run(append("other", 1))
        const other = yield* run(Audit.checkpoint("other"))
        copyFileSync(join(anchors, "other", Anchor.fileName(other.anchor)), join(folder, "000000000000009-x.json"))
        const refused = yield* Effect.flip(run(Audit.verifyAnchored("县", { publicKey })))
        assert.strictEqual(refused._tag === "AnchorRefused" && refused.reason, "OtherTenant")
        rmSync(join(folder, "000000000000009-x.json"))

        // A file that is not an anchor is an error naming the file.
        mkdirSync(folder, { recursive: true })
        writeFileSync(join(folder, "broken.json"), "{}")
        const broken = yield* Effect.flip(run(Audit.verifyAnchored("县", { publicKey })))
        assert.strictEqual(broken._tag, "AnchorStoreError")
        assert.include(broken.message, "broken.json")
      })
    )
  )

  it.effect(
    "the memory store's verifyReads option fails a read of an altered event; without it the edit is served",
    () =>
      Effect.gen(function* () {
        for (const verifyReads of [true, false]) {
          const store = yield* makeMemory({ verifyReads })
          yield* Effect.provideService(append("t", 1), EventStore, store)
          const [event] = yield* store.readAll("t", { after: 0, limit: 1 })
          // The memory store hands out its own objects: editing one edits the log, as a bug in a host could.
          Object.assign(event!, { data: { i: 99 } })
          const read = yield* Effect.result(store.readAll("t", { after: 0, limit: 1 }))
          assert.strictEqual(read._tag === "Failure" && read.failure.reason, verifyReads ? "Corrupt" : false)
        }
      }).pipe(Effect.provide(IdGenerator.layer))
  )
})
