import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { exitCodes } from "../src/Failure.ts"
import { keyPair, run } from "./helpers.ts"

// `audit anchor` and `audit verify --anchors` run as processes on a tiny demo county in PGlite, with key
// files as OpenSSL writes them (PKCS#8 private, SPKI public PEM).

const dir = mkdtempSync(join(tmpdir(), "shuangbai-anchor-"))
const data = join(dir, "db")
const anchors = join(dir, "anchors")
const tenant = "yangshan"
const store = ["--tenant", tenant, "--data-dir", data]
const anchorWith = (key: string) =>
  run(["audit", "anchor", ...store, "--anchors", anchors, "--key", key, "--purpose", "daily checkpoint"])

const ours = keyPair(dir, "ours")
const theirs = keyPair(dir, "theirs")

const verifyWith = (pub: string, more: ReadonlyArray<string> = []) =>
  run(["audit", "verify", ...store, "--anchors", anchors, "--public-key", pub, "--purpose", "audit", ...more])

/** Deletes the last event and points the head at the one before, as a database administrator could. */
const truncate = () =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const t = (name: string) => sql(`${PgEventStore.defaultSchema}.${name}`)
      yield* sql`DELETE FROM ${t("events")} WHERE tenant = ${tenant}
        AND position = (SELECT max(position) FROM ${t("events")} WHERE tenant = ${tenant})`
      yield* sql`UPDATE ${t("heads")} h SET position = e.position, hash = e.hash FROM ${t("events")} e
        WHERE h.tenant = ${tenant} AND e.tenant = ${tenant}
        AND e.position = (SELECT max(position) FROM ${t("events")} WHERE tenant = ${tenant})`
    }).pipe(Effect.provide(PgEventStore.layerPglite({ dataDir: data, migrate: false })))
  )

beforeAll(async () => {
  const demo = await run(["demo", "--scale", "0.001", "--data-dir", data])
  assert.strictEqual(demo.code, 0, demo.stderr)
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("shuangbai audit anchor and verify --anchors", { timeout: 120_000 }, () => {
  it("a missing key file is refused with the bad-input code before anything is signed", async () => {
    const anchor = await anchorWith(join(dir, "none.key"))
    assert.strictEqual(anchor.code, exitCodes.BadInput, anchor.stderr)
    assert.include(anchor.stderr, "none.key: no such file")
    const verify = await verifyWith(join(dir, "none.pub"))
    assert.strictEqual(verify.code, exitCodes.BadInput, verify.stderr)
    assert.include(verify.stderr, "none.pub: no such file")
    // a public key where the private one belongs is not a signing key
    const wrongKind = await anchorWith(ours.pub)
    assert.strictEqual(wrongKind.code, exitCodes.BadInput, wrongKind.stderr)
    assert.include(wrongKind.stderr, "is not a PEM private key")
    assert.deepStrictEqual(readdirSync(dir).includes("anchors"), false)
  })

  it("anchors the head, verifies against it, refuses another key, and catches a truncated tail", async () => {
    const anchored = await anchorWith(ours.key)
    assert.strictEqual(anchored.code, 0, anchored.stderr)
    const printed = /anchored yangshan at position (\d+), hash ([0-9a-f]{64})/.exec(anchored.stdout)
    assert.isNotNull(printed, anchored.stdout)
    const [file, ...others] = readdirSync(join(anchors, tenant))
    assert.deepStrictEqual(others, [])
    assert.match(file!, new RegExp(`^0*${printed![1]}-`))

    const ok = await verifyWith(ours.pub)
    assert.strictEqual(ok.code, 0, ok.stderr)
    assert.include(ok.stdout, `head ${printed![2]}, 1 anchors`)

    const incremental = await verifyWith(ours.pub, ["--incremental"])
    assert.strictEqual(incremental.code, 0, incremental.stderr)
    assert.include(incremental.stdout, `0 events after position ${printed![1]}, head ${printed![2]}`)

    const other = await verifyWith(theirs.pub)
    assert.strictEqual(other.code, exitCodes.AnchorRefused, other.stderr)
    assert.include(other.stderr, "was not signed by the public key given")

    await truncate()
    // the chain alone cannot tell: the administrator fixed the head
    const plain = await run(["audit", "verify", ...store, "--purpose", "audit"])
    assert.strictEqual(plain.code, 0, plain.stderr)
    const truncated = await verifyWith(ours.pub)
    assert.strictEqual(truncated.code, exitCodes.ChainBroken, truncated.stderr)
    assert.include(truncated.stderr, "the tail was deleted")
    const truncatedIncremental = await verifyWith(ours.pub, ["--incremental"])
    assert.strictEqual(truncatedIncremental.code, exitCodes.ChainBroken, truncatedIncremental.stderr)
    // and a log that no longer reaches the last anchor is never signed again
    const again = await anchorWith(ours.key)
    assert.strictEqual(again.code, exitCodes.ChainBroken, again.stderr)
    assert.strictEqual(readdirSync(join(anchors, tenant)).length, 1)
  })
})
