// Export bundles from the command line: `shuangbai export --bundle` makes them from the store (PGlite here),
// `shuangbai audit bundle` and tools/verify_bundle.py (the independent verifier an outsider runs, Python's
// standard library only) must accept them and reject every changed byte, every reordered line and every
// missing line; bad input to either command gets its own exit code.
import { spawnSync } from "node:child_process"
import { createHash, createPublicKey } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Bundle, EventStore, ExpectedVersion, IdGenerator } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { exitCodes } from "../src/Failure.ts"
import { keyPair, run } from "./helpers.ts"

const script = fileURLToPath(new URL("../../../tools/verify_bundle.py", import.meta.url))
const python = spawnSync("python3", ["--version"]).status === 0

const dir = mkdtempSync(join(tmpdir(), "shuangbai-bundle-"))
const data = join(dir, "db")
const anchors = join(dir, "anchors")
const tenant = "阳山县"
const store = ["--tenant", tenant, "--data-dir", data]

const ours = keyPair(dir, "ours")
const theirs = keyPair(dir, "theirs")

/** Payloads whose canonical text is awkward: non-ASCII, escapes, numbers JSON writes in more than one way. */
const payloads: ReadonlyArray<unknown> = [
  { findings: "阳山县 黎埠镇 — 家访 👵🏽 e\u0301", quote: 'a"b\\c', control: "\u0001\u001f\u2028" },
  { big: 12345678901234567000, tiny: 5e-324, exponent: 1.5e21, float: 0.1 + 0.2, negative: -0.000001 },
  { nested: { b: [1, { d: null, c: true }], a: {} }, "🔑": "🗝", "": "empty key" },
  "just text",
  12.5,
  { i: 6 }
]

interface Draft {
  readonly stream: { readonly category: string; readonly id: string }
  readonly type: string
  readonly data: unknown
  readonly subjects: ReadonlyArray<string>
}

/** Appends events, one command each, in the PGlite store at `dataDir`; the store is closed after. */
const appendTo = (dataDir: string, drafts: ReadonlyArray<Draft>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const events = yield* EventStore.EventStore
      const ids = yield* IdGenerator.IdGenerator
      for (const { stream, type, data, subjects } of drafts) {
        const commandId = `cmd-${yield* ids.next}`
        yield* events.append({
          tenant,
          stream,
          expected: ExpectedVersion.any,
          events: [
            {
              eventId: yield* ids.next,
              type,
              schemaVersion: 1,
              data,
              occurredAt: "2026-03-01T08:00:00.000Z",
              subjects
            }
          ],
          context: { actor: { id: "w-1", role: "worker" }, commandId, correlationId: commandId, causationId: commandId }
        })
      }
    }).pipe(Effect.provide(Layer.merge(PgEventStore.layerPglite({ dataDir }), IdGenerator.layer)))
  )

const visit = (i: number): Draft => ({
  stream: { category: "visit", id: `v${i % 2}` },
  type: "VisitConducted",
  data: payloads[i],
  subjects: [`户-${i % 2}`]
})

/** Appends payloads `from` to `to` (exclusive). */
const append = (from: number, to: number) =>
  appendTo(
    data,
    Array.from({ length: to - from }, (_, k) => visit(from + k))
  )

const anchor = async () => {
  const signed = await run(["audit", "anchor", ...store, "--anchors", anchors, "--key", ours.key, "--purpose", "daily"])
  assert.strictEqual(signed.code, 0, signed.stderr)
}

const bundleOf = async (name: string, more: ReadonlyArray<string> = []) => {
  const file = join(dir, name)
  const made = await run([
    ...["export", ...store, "--bundle", file, "--anchors", anchors, "--public-key", ours.pub],
    ...["--purpose", "外部审计", ...more]
  ])
  assert.strictEqual(made.code, 0, made.stderr)
  return { file, text: readFileSync(file, "utf8"), stderr: made.stderr }
}

let log: { file: string; text: string; stderr: string }
let subject: { file: string; text: string; stderr: string }

beforeAll(async () => {
  await append(0, 4)
  await anchor()
  await append(4, 6)
  await anchor()
  log = await bundleOf("log.jsonl")
  subject = await bundleOf("subject.jsonl", ["--subject", "户-1"])
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `shuangbai audit bundle` on a file, with a key or none. */
const check = (file: string, publicKey?: string) =>
  run(["audit", "bundle", file, ...(publicKey === undefined ? [] : ["--public-key", publicKey])])

/** Writes a file into the test's directory. */
const write = (name: string, content: string | Buffer) => {
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

/** Runs the Python verifier over files: the first word of each output line, per file. */
const verdicts = (publicKey: string, files: ReadonlyArray<string>): ReadonlyArray<string> => {
  const ran = spawnSync("python3", [script, "--public-key", publicKey, ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  const lines = ran.stdout.trimEnd().split("\n")
  assert.strictEqual(lines.length, files.length, ran.stderr)
  return lines.map((line) => line.split(" ")[0]!)
}

describe("shuangbai export --bundle and audit bundle", { timeout: 240_000 }, () => {
  it("exports the log and a subject's events with the anchors that cover them; audit bundle accepts both", async () => {
    assert.include(log.stderr, `bundled 6 events of ${tenant} and 2 anchors into ${log.file}`)
    assert.include(subject.stderr, `bundled 3 events of ${tenant} naming 户-1 and 2 anchors`)
    assert.strictEqual(subject.text.split("\n").length - 1, 1 + 2 + 3 + 1, "header, 2 anchors, 3 events, trailer")
    for (const { file } of [log, subject]) {
      const ok = await check(file, ours.pub)
      assert.strictEqual(ok.code, 0, ok.stderr)
      assert.include(ok.stdout, "2 anchors signed by the key")
    }
    const unsigned = await check(log.file)
    assert.strictEqual(unsigned.code, 0, unsigned.stderr)
    assert.include(unsigned.stdout, `ok ${log.file}: the log of ${tenant}, 6 events through position 6, 2 anchors`)
    assert.include(unsigned.stdout, "signatures not checked: give --public-key")
    // both reads are in the access log: the log as a whole, the subject as its history
    const listed = await run(["audit", "access-log", ...store, "--format", "json"])
    assert.strictEqual(listed.code, 0, listed.stderr)
    const reads = JSON.parse(listed.stdout).filter((e: any) => e.purpose === "外部审计")
    assert.deepStrictEqual(
      reads.map((e: any) => e.what),
      ["Log", "HouseholdHistory 户-1"]
    )
  })

  it("audit bundle refuses a cut, reordered, edited or non-UTF-8 bundle (16), a foreign or forged anchor (14), a missing file (12)", async () => {
    const lines = log.text.slice(0, -1).split("\n")
    const joined = (ls: ReadonlyArray<string>) => `${ls.join("\n")}\n`
    const swapped = [...lines]
    ;[swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!]
    const edited = log.text.replace("黎埠镇", "黎埠乡")
    const anchorLine = lines.findIndex((l) => l.startsWith('{"anchor":'))
    const forged = [...lines]
    const signature = /"signature":"(.)/.exec(forged[anchorLine]!)!
    forged[anchorLine] = forged[anchorLine].replace(
      `"signature":"${signature[1]}`,
      `"signature":"${signature[1] === "A" ? "B" : "A"}`
    )
    const foreign = [...lines]
    foreign[anchorLine] = foreign[anchorLine].replace(`"tenant":"${tenant}"`, '"tenant":"county-lianzhou"')
    const notUtf8 = Buffer.from(log.text, "utf8")
    notUtf8[notUtf8.indexOf(Buffer.from("黎埠镇"))] = 0xff
    const cases: ReadonlyArray<readonly [string, string | Buffer, string | undefined, number, string]> = [
      ["not-utf8.jsonl", notUtf8, ours.pub, exitCodes.BundleRejected, "it is not UTF-8"],
      ["bom.jsonl", `\ufeff${log.text}`, ours.pub, exitCodes.BundleRejected, "line 1: the header is not"],
      ["cut.jsonl", joined(lines.slice(0, -1)), ours.pub, exitCodes.BundleRejected, "the trailer is missing"],
      ["half.jsonl", log.text.slice(0, log.text.length - 20), ours.pub, exitCodes.BundleRejected, "cut short"],
      ["swapped.jsonl", joined(swapped), ours.pub, exitCodes.BundleRejected, "line 5: position 3 out of order"],
      ["edited.jsonl", edited, undefined, exitCodes.BundleRejected, "does not match its hash (edited)"],
      ["forged.jsonl", joined(forged), ours.pub, exitCodes.AnchorRefused, "was not signed by the public key given"],
      ["foreign.jsonl", joined(foreign), undefined, exitCodes.AnchorRefused, "county-lianzhou"]
    ]
    for (const [name, text, key, code, message] of cases) {
      const refused = await check(write(name, text), key)
      assert.strictEqual(refused.code, code, `${name}: ${refused.stdout}${refused.stderr}`)
      assert.include(refused.stderr, message, name)
      assert.strictEqual(refused.stdout, "", name)
    }
    const otherKey = await check(log.file, theirs.pub)
    assert.strictEqual(otherKey.code, exitCodes.AnchorRefused, otherKey.stderr)
    const noBundle = await check(join(dir, "none.jsonl"), ours.pub)
    assert.strictEqual(noBundle.code, exitCodes.BadInput, noBundle.stderr)
    assert.include(noBundle.stderr, "cannot read")
    const noKey = await check(log.file, join(dir, "none.pub"))
    assert.strictEqual(noKey.code, exitCodes.BadInput, noKey.stderr)
    assert.include(noKey.stderr, "none.pub: no such file")
  })

  it("export --bundle refuses what does not fit and leaves no file", async () => {
    const file = join(dir, "refused.jsonl")
    const exportTo = (...more: ReadonlyArray<string>) =>
      run(["export", ...store, "--bundle", file, "--purpose", "test", ...more])
    const foreignAnchors = join(dir, "their-anchors")
    const signed = await run([
      ...["audit", "anchor", ...store, "--anchors", foreignAnchors, "--key", theirs.key],
      ...["--purpose", "test"]
    ])
    assert.strictEqual(signed.code, 0, signed.stderr)
    // one at a time: each opens the data directory
    const withoutKey = await exportTo("--anchors", anchors)
    const otherKey = await exportTo("--anchors", foreignAnchors, "--public-key", ours.pub)
    const nobody = await exportTo("--subject", "户-9")
    const cut = await exportTo("--as-of", "3")
    const stray = await run(["export", ...store, "--subject", "户-1", "--purpose", "test"])
    assert.strictEqual(withoutKey.code, exitCodes.Usage, withoutKey.stderr)
    assert.include(withoutKey.stderr, "--anchors and --public-key go together")
    assert.strictEqual(otherKey.code, exitCodes.AnchorRefused, otherKey.stderr)
    assert.strictEqual(nobody.code, exitCodes.NothingFound, nobody.stderr)
    assert.include(nobody.stderr, "names the subject 户-9")
    assert.strictEqual(cut.code, exitCodes.Usage, cut.stderr)
    assert.strictEqual(stray.code, exitCodes.Usage, stray.stderr)
    assert.include(stray.stderr, "--subject belongs to an export bundle")
    assert.isFalse(existsSync(file))
    assert.deepStrictEqual(
      readdirSync(dir).filter((f) => f.startsWith("refused")),
      []
    )
  })

  it.skipIf(!python)(
    "tools/verify_bundle.py accepts the CLI's bundles and rejects every changed byte, reordered and missing line",
    () => {
      const good = [log.file, subject.file]
      assert.deepStrictEqual(verdicts(ours.pub, good), ["ok", "ok"], `${log.text}${subject.text}`)
      assert.deepStrictEqual(verdicts(theirs.pub, good), ["FAIL", "FAIL"])
      for (const [name, text] of [
        ["log", log.text],
        ["subject", subject.text]
      ] as const) {
        const bytes = Buffer.from(text, "utf8")
        const bad: Array<string> = []
        // every byte changed in one bit, then random bytes at random places
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
        const accepted = verdicts(ours.pub, bad)
          .map((verdict, i) => (verdict === "FAIL" ? undefined : bad[i]))
          .filter((file) => file !== undefined)
        assert.deepStrictEqual(accepted, [], `${name}: accepted altered bundles`)
      }
    }
  )
})

describe("bundles of a log with a version-1 row rewritten by an erasure", { timeout: 240_000 }, () => {
  const erasedData = join(dir, "erased-db")
  const erasedAnchors = join(dir, "erased-anchors")
  const erasedStore = ["--tenant", tenant, "--data-dir", erasedData]
  const household = "hh-erase-1"
  const person = "p-erase-v1"
  const bundles: Record<"log" | "person" | "household", { file: string; text: string }> = {} as never

  const anchorErased = async () => {
    const signed = await run([
      ...["audit", "anchor", ...erasedStore, "--anchors", erasedAnchors, "--key", ours.key],
      ...["--purpose", "daily"]
    ])
    assert.strictEqual(signed.code, 0, signed.stderr)
  }
  const bundleErased = async (name: string, more: ReadonlyArray<string> = []) => {
    const file = join(dir, name)
    const made = await run([
      ...["export", ...erasedStore, "--bundle", file, "--anchors", erasedAnchors, "--public-key", ours.pub],
      ...["--purpose", "外部审计", ...more]
    ])
    assert.strictEqual(made.code, 0, made.stderr)
    return { file, text: readFileSync(file, "utf8") }
  }

  beforeAll(async () => {
    // A member as the code before sealing stored it (schema version 1, the name in plaintext), between visits.
    await appendTo(erasedData, [
      visit(0),
      {
        stream: { category: "household", id: household },
        type: "MemberAdded",
        data: { household, person, relation: "Child", name: "甄试删", birthDate: "1931-07-13" },
        subjects: [household, person]
      },
      visit(1)
    ])
    await anchorErased()
    const erased = await run([
      ...["erase", ...erasedStore, "--subject", person, "--legal-basis", "PIPL-47-3-ConsentWithdrawn"],
      ...["--basis-text", "本人书面申请", "--reason", "撤回同意并要求删除"]
    ])
    assert.strictEqual(erased.code, 0, erased.stderr)
    assert.include(erased.stdout, "1 version-1 row(s) rewritten sealed")
    await anchorErased()
    bundles.log = await bundleErased("erased-log.jsonl")
    bundles.person = await bundleErased("erased-person.jsonl", ["--subject", person])
    bundles.household = await bundleErased("erased-household.jsonl", ["--subject", household])
  }, 120_000)

  /** The bundle's event lines, parsed, with the line index. */
  const eventsOf = (text: string) =>
    text
      .slice(0, -1)
      .split("\n")
      .map((line, index) => ({ index, line, value: JSON.parse(line) }))
      .filter((l) => l.value.envelope !== undefined)
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

  /** Copies of a bundle: the rewritten row with a byte changed, the erasure event's attestation changed. */
  const altered = (name: string, text: string) => {
    const lines = text.slice(0, -1).split("\n")
    const joined = (ls: ReadonlyArray<string>) => `${ls.join("\n")}\n`
    const events = eventsOf(text)
    const row = events.find((e) => e.value.envelope.type === "MemberAdded")!
    const erasure = events.find((e) => e.value.envelope.type === "SubjectErased")!
    const edited = [...lines]
    edited[row.index] = row.line.replace('"relation":"Child"', '"relation":"Spouse"')
    // the attestation's content hash with one hex digit changed, the erasure event re-hashed to match it
    const attested = erasure.value.envelope.data.rewritten[0].content as string
    const forged = attested.replace(/^./, (c) => (c === "0" ? "1" : "0"))
    const body = /^\{"envelope":(.*),"hash":"[0-9a-f]{64}"\}$/s.exec(erasure.line)![1]!.replace(attested, forged)
    const rehashed = [...lines]
    rehashed[erasure.index] = `{"envelope":${body},"hash":"${sha256(body)}"}`
    const attestation = [...lines]
    attestation[erasure.index] = erasure.line.replace(attested, forged)
    return [
      write(`${name}-row-edited.jsonl`, joined(edited)),
      write(`${name}-attestation-edited.jsonl`, joined(attestation)),
      write(`${name}-attestation-rehashed.jsonl`, joined(rehashed))
    ]
  }

  it("export --bundle includes the rewritten row with its chained hash and the erasure event; audit bundle accepts them", async () => {
    for (const [name, bundle, count] of [
      ["log", bundles.log, 4],
      ["person", bundles.person, 2],
      ["household", bundles.household, 2]
    ] as const) {
      const events = eventsOf(bundle.text)
      assert.strictEqual(events.length, count, name)
      const row = events.find((e) => e.value.envelope.type === "MemberAdded")!
      const erasure = events.find((e) => e.value.envelope.type === "SubjectErased")!
      assert.notInclude(bundle.text, "甄试删", `${name}: no plaintext of the erased person`)
      assert.notStrictEqual(sha256(/^\{"envelope":(.*),"hash"/s.exec(row.line)![1]!), row.value.hash, name)
      assert.deepStrictEqual(
        erasure.value.envelope.data.rewritten.map((r: any) => [r.position, r.hash]),
        [[row.value.envelope.position, row.value.hash]],
        name
      )
      const ok = await check(bundle.file, ours.pub)
      assert.strictEqual(ok.code, 0, `${name}: ${ok.stderr}`)
      assert.include(ok.stdout, "2 anchors signed by the key", name)
    }
    // the household's bundle carries the person's erasure event, which does not name the household
    const erasure = eventsOf(bundles.household.text).find((e) => e.value.envelope.type === "SubjectErased")!
    assert.deepStrictEqual(erasure.value.envelope.subjects, [person])
  })

  it("audit bundle rejects a byte changed in the rewritten row and an altered attestation (16)", async () => {
    for (const [name, bundle] of Object.entries(bundles)) {
      const [row, attestation, rehashed] = altered(`ts-${name}`, bundle.text)
      // in the household's bundle, an erasure event that attests none of its rows has no place
      const unattested = name === "household" ? "the event does not name the subject" : "no later erasure event attests"
      for (const [file, message] of [
        [
          row,
          name === "household" ? unattested : "does not match its hash (edited), and no later erasure event attests"
        ],
        [attestation, unattested],
        [rehashed, unattested]
      ] as const) {
        const refused = await check(file!, ours.pub)
        assert.strictEqual(refused.code, exitCodes.BundleRejected, `${file}: ${refused.stdout}${refused.stderr}`)
        assert.include(refused.stderr, message, file)
      }
    }
  })

  it("Bundle.verify rejects every byte changed in one bit", async () => {
    const key = createPublicKey(readFileSync(ours.pub))
    for (const [name, bundle] of Object.entries(bundles)) {
      const bytes = Buffer.from(bundle.text, "utf8")
      const accepted: Array<number> = []
      for (let i = 0; i < bytes.length; i++) {
        const copy = Buffer.from(bytes)
        copy[i] = copy[i]! ^ 1
        const verdict = await Effect.runPromise(Effect.result(Bundle.verify(copy.toString("utf8"), key)))
        if (verdict._tag === "Success") accepted.push(i)
      }
      assert.deepStrictEqual(accepted, [], `${name}: accepted with these bytes changed`)
    }
  })

  it.skipIf(!python)(
    "tools/verify_bundle.py accepts them and rejects every changed byte and altered attestation",
    () => {
      const good = [bundles.log.file, bundles.person.file, bundles.household.file]
      assert.deepStrictEqual(verdicts(ours.pub, good), ["ok", "ok", "ok"])
      const bad: Array<string> = []
      for (const [name, bundle] of Object.entries(bundles)) {
        bad.push(...altered(`py-${name}`, bundle.text))
        const bytes = Buffer.from(bundle.text, "utf8")
        for (let i = 0; i < bytes.length; i++) {
          const copy = Buffer.from(bytes)
          copy[i] = copy[i]! ^ 1
          bad.push(write(`erased-${name}-bit-${i}.jsonl`, copy))
        }
      }
      const accepted = verdicts(ours.pub, bad)
        .map((verdict, i) => (verdict === "FAIL" ? undefined : bad[i]))
        .filter((file) => file !== undefined)
      assert.deepStrictEqual(accepted, [])
    }
  )
})
