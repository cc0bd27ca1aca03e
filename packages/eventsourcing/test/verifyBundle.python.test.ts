// tools/verify_bundle.py, the independent verifier an outsider runs, against bundles this library makes:
// it must accept them and reject every changed byte, every reordered line and every missing line.
import { execFileSync, spawnSync } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import fc from "fast-check"
import * as Anchor from "../src/Anchor.ts"
import * as Audit from "../src/Audit.ts"
import * as Bundle from "../src/Bundle.ts"
import { EventStore, layerMemory } from "../src/EventStore.ts"
import * as ExpectedVersion from "../src/ExpectedVersion.ts"
import * as IdGenerator from "../src/IdGenerator.ts"

const script = fileURLToPath(new URL("../../../tools/verify_bundle.py", import.meta.url))
const python = spawnSync("python3", ["--version"]).status === 0

/** Runs the verifier over files; the first word of each output line, per file. */
const verdicts = (publicKey: string, files: ReadonlyArray<string>): ReadonlyArray<string> => {
  const run = spawnSync("python3", [script, "--public-key", publicKey, ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  const lines = run.stdout.trimEnd().split("\n")
  assert.strictEqual(lines.length, files.length, run.stderr)
  return lines.map((line) => line.split(" ")[0]!)
}

const payloads: ReadonlyArray<unknown> = [
  { findings: "阳山县 黎埠镇 — 家访 👵🏽 e\u0301", quote: 'a"b\\c', control: "\u0001\u001f\u2028" },
  { big: 12345678901234567000, tiny: 5e-324, exponent: 1.5e21, float: 0.1 + 0.2, negative: -0.000001 },
  { nested: { b: [1, { d: null, c: true }], a: {} }, "🔑": "🗝", "": "empty key" },
  "just text",
  12.5,
  { i: 6 }
]

const keys = generateKeyPairSync("ed25519")

const bundles = Effect.gen(function* () {
  const store = yield* EventStore
  const ids = yield* IdGenerator.IdGenerator
  for (const [i, data] of payloads.entries()) {
    const commandId = `cmd-${i}`
    yield* store.append({
      tenant: "阳山县",
      stream: { category: "visit", id: `v${i % 2}` },
      expected: ExpectedVersion.any,
      events: [
        {
          eventId: yield* ids.next,
          type: "VisitConducted",
          schemaVersion: 1,
          data,
          occurredAt: "2026-03-01T08:00:00.000Z",
          subjects: [`户-${i % 2}`]
        }
      ],
      context: { actor: { id: "w-1", role: "worker" }, commandId, correlationId: commandId, causationId: commandId }
    })
    if (i === 3) yield* Audit.checkpoint("阳山县")
  }
  yield* Audit.checkpoint("阳山县")
  const signer = yield* Anchor.Signer
  const anchors = yield* Anchor.AnchorStore.use((s) => s.list("阳山县"))
  const make = (scope: Bundle.Scope) =>
    Stream.mkString(Bundle.make("阳山县", { ...scope, anchors, publicKey: signer.publicKey }))
  return { log: yield* make({ scope: "log" }), subject: yield* make({ scope: "subject", subject: "户-1" }) }
}).pipe(
  Effect.provide(
    Layer.mergeAll(
      layerMemory,
      IdGenerator.layer,
      Anchor.layerAnchorsMemory,
      Layer.succeed(Anchor.Signer, Anchor.signerFromKey(keys.privateKey))
    )
  )
)

describe.skipIf(!python)("tools/verify_bundle.py", () => {
  it.effect("accepts the library's bundles and rejects every changed byte, reordered and missing line", () =>
    Effect.gen(function* () {
      const { log, subject } = yield* bundles
      const dir = mkdtempSync(join(tmpdir(), "bundle-"))
      try {
        const write = (name: string, content: string | Buffer) => {
          const file = join(dir, name)
          writeFileSync(file, content)
          return file
        }
        const publicKey = write("public.pem", keys.publicKey.export({ type: "spki", format: "pem" }))
        const good = [write("log.jsonl", log), write("subject.jsonl", subject)]
        assert.deepStrictEqual(verdicts(publicKey, good), ["ok", "ok"], execFileSync("cat", good, { encoding: "utf8" }))
        // Signed by another key: refused.
        const otherKey = write(
          "other.pem",
          generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" })
        )
        assert.deepStrictEqual(verdicts(otherKey, good), ["FAIL", "FAIL"])
        assert.strictEqual(subject.split("\n").length - 1, 1 + 2 + 3 + 1, "header, 2 anchors, 3 events, trailer")

        for (const [name, text] of [
          ["log", log],
          ["subject", subject]
        ] as const) {
          const bytes = Buffer.from(text, "utf8")
          const bad: Array<string> = []
          // Every byte changed in one bit, then random bytes at random places.
          for (let i = 0; i < bytes.length; i++) {
            const copy = Buffer.from(bytes)
            copy[i] = copy[i]! ^ 1
            bad.push(write(`${name}-bit-${i}.jsonl`, copy))
          }
          const changes = fc.sample(
            fc
              .tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }))
              .filter(([i, b]) => bytes[i] !== b),
            { numRuns: 200, seed: 42 }
          )
          for (const [k, [i, b]] of changes.entries()) {
            const copy = Buffer.from(bytes)
            copy[i] = b
            bad.push(write(`${name}-byte-${k}.jsonl`, copy))
          }
          const lines = text.slice(0, -1).split("\n")
          for (let i = 0; i < lines.length; i++) {
            bad.push(write(`${name}-missing-${i}.jsonl`, `${lines.filter((_, j) => j !== i).join("\n")}\n`))
            if (i + 1 < lines.length) {
              const swapped = [...lines]
              ;[swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!]
              bad.push(write(`${name}-swapped-${i}.jsonl`, `${swapped.join("\n")}\n`))
            }
          }
          const accepted = verdicts(publicKey, bad)
            .map((verdict, i) => (verdict === "FAIL" ? undefined : bad[i]))
            .filter((file) => file !== undefined)
          assert.deepStrictEqual(accepted, [], `${name}: accepted altered bundles`)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  )
})
