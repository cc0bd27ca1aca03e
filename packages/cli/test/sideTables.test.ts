import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion, IdGenerator } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { exitCodes } from "../src/Failure.ts"
import { describePg, pgUrl, randomSchema, run } from "./helpers.ts"

// `shuangbai audit side-tables [--rebuild]` as a process, on PGlite and on the server: each side table is
// tampered with by SQL as a database administrator could, the command names every row and exits 15; after
// --rebuild it passes, the store answers as before the tampering, and its export bundle verifies.

const tenant = "yangshan"
type Store = Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, unknown>

const append = (commandId: string, stream: string, subjects: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const ids = yield* IdGenerator.IdGenerator
    return yield* (yield* EventStore.EventStore).append({
      tenant,
      stream: { category: "visit", id: stream },
      expected: ExpectedVersion.any,
      events: [
        {
          eventId: yield* ids.next,
          type: "VisitConducted",
          schemaVersion: 1,
          data: { findings: "家访 home visit" },
          occurredAt: "2026-03-01T08:00:00.000Z",
          subjects: [...subjects]
        }
      ],
      context: { actor: { id: "w-1", role: "worker" }, commandId, correlationId: commandId, causationId: commandId }
    })
  })

const inStore = <A>(
  store: Store,
  effect: Effect.Effect<A, unknown, EventStore.EventStore | SqlClient.SqlClient | IdGenerator.IdGenerator>
) => Effect.runPromise(Effect.provide(effect, Layer.merge(store, IdGenerator.layer)) as Effect.Effect<A, unknown>)

/** Six commands, one event each, to streams v0 and v1, naming hh-0…hh-2. */
const seed = (store: Store) =>
  inStore(
    store,
    Effect.forEach([1, 2, 3, 4, 5, 6], (i) => append(`cmd-${i}`, `v${i % 2}`, [`hh-${i % 3}`]))
  )

/** Each side table altered, as someone with write access to the database could. */
const tamper = (store: Store, schema: string) =>
  inStore(
    store,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const t = (name: string) => sql(`${schema}.${name}`)
      yield* sql`DELETE FROM ${t("subjects")} WHERE tenant = ${tenant} AND subject = 'hh-1'`
      yield* sql`UPDATE ${t("commands")} SET first_position = 1, last_position = 1
        WHERE tenant = ${tenant} AND command_id = 'cmd-4'`
      yield* sql`UPDATE ${t("streams")} SET version = 99 WHERE tenant = ${tenant} AND stream_id = 'v0'`
      yield* sql`UPDATE ${t("heads")} SET recorded_at = '2099-01-01T00:00:00Z' WHERE tenant = ${tenant}`
    })
  )

const scenario = async (flags: ReadonlyArray<string>, store: () => Store, schema: string) => {
  const sideTables = (...more: ReadonlyArray<string>) =>
    run(["audit", "side-tables", "--tenant", tenant, ...flags, ...more])
  await seed(store())
  const ok = await sideTables("--purpose", "monthly audit")
  assert.strictEqual(ok.code, 0, ok.stderr)
  assert.include(ok.stdout, "the side tables of yangshan agree with its 6 events")
  const noPurpose = await sideTables()
  assert.strictEqual(noPurpose.code, exitCodes.Usage, noPurpose.stderr)
  assert.include(noPurpose.stderr, "add --purpose TEXT")

  await tamper(store(), schema)
  const found = await sideTables("--purpose", "monthly audit")
  assert.strictEqual(found.code, exitCodes.SideTablesDisagree, found.stderr)
  assert.include(found.stderr, "5 rows of the side tables of yangshan disagree")
  const rows = found.stdout.trim().split("\n")
  assert.deepStrictEqual(
    rows.map((line) => line.split(" ").slice(0, 2).join(" ")),
    ["subjects Missing", "subjects Missing", "streams Differs", "commands Differs", "heads Differs"]
  )
  assert.include(rows[0]!, '"subject":"hh-1","position":1')
  assert.include(rows[1]!, '"subject":"hh-1","position":4')
  assert.match(rows[2]!, /"stream_id":"v0","version":99\}.* expected .*"version":3\}/)
  assert.match(rows[3]!, /"command_id":"cmd-4".*"first_position":1.* expected .*"first_position":4/)
  assert.match(rows[4]!, /"recorded_at":"2099-01-01/)

  // rebuilding rewrites the store's rows: the administrator's, not an auditor's
  const auditor = await sideTables("--rebuild", "--purpose", "repair", "--as", "aud-1", "--as-role", "auditor")
  assert.strictEqual(auditor.code, exitCodes.AccessDenied, auditor.stderr)
  const rebuilt = await sideTables("--rebuild", "--purpose", "repair after the audit")
  assert.strictEqual(rebuilt.code, 0, rebuilt.stderr)
  assert.include(rebuilt.stdout, "rebuilt the side tables of yangshan from 6 events (6 commands)")
  assert.include(rebuilt.stdout, "agree with its 6 events")

  // the store works as before: the household's history, a retried command, the next command on v0
  await inStore(
    store(),
    Effect.gen(function* () {
      const events = yield* EventStore.EventStore
      const history = yield* events.readSubject(tenant, "hh-1", { after: 0, limit: 10 })
      assert.deepStrictEqual(
        history.map((e) => e.position),
        [1, 4]
      )
      const retried = yield* append("cmd-4", "v0", ["hh-1"])
      assert.deepStrictEqual([retried.duplicate, retried.events[0]!.position], [true, 4])
      const next = yield* append("cmd-7", "v0", ["hh-1"])
      assert.deepStrictEqual([next.version, next.events[0]!.position], [4, 7])
      assert.isBelow(Date.parse(next.events[0]!.recordedAt), Date.parse("2099-01-01"))
    })
  )
  const after = await sideTables("--purpose", "after the repair")
  assert.strictEqual(after.code, 0, after.stderr)
  assert.include(after.stdout, "agree with its 7 events")

  // each run read every event: each is in the access log with its purpose
  const listed = await run(["audit", "access-log", "--tenant", tenant, ...flags])
  assert.strictEqual(listed.code, 0, listed.stderr)
  const purposes = listed.stdout
    .trim()
    .split("\n")
    .map((line) => /local-operator \(auditor\) {2}Log {2}purpose: (.*)$/.exec(line)?.[1])
  assert.deepStrictEqual(purposes, ["monthly audit", "monthly audit", "repair after the audit", "after the repair"])

  // the repaired store exports a bundle that verifies offline
  const bundle = join(mkdtempSync(join(tmpdir(), "shuangbai-side-bundle-")), "bundle.jsonl")
  const exported = await run(["export", "--tenant", tenant, ...flags, "--bundle", bundle, "--purpose", "audit copy"])
  assert.strictEqual(exported.code, 0, exported.stderr)
  const checked = await run(["audit", "bundle", bundle])
  assert.strictEqual(checked.code, 0, checked.stderr)
  assert.include(checked.stdout, `the log of ${tenant}, 7 events through position 7, 0 anchors`)
  rmSync(dirname(bundle), { recursive: true, force: true })
}

describe("shuangbai audit side-tables on PGlite", { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "shuangbai-side-"))
  const data = join(dir, "db")
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("names each tampered row and exits 15; --rebuild restores them and the store works", () =>
    scenario(["--data-dir", data], () => PgEventStore.layerPglite({ dataDir: data }), PgEventStore.defaultSchema))
})

describePg("shuangbai audit side-tables on PostgreSQL", () => {
  const schema = randomSchema()
  const store = () => PgEventStore.layerPg({ url: pgUrl, schema, migrate: true })
  afterAll(() =>
    inStore(
      store(),
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`)
    )
  )

  it("names each tampered row and exits 15; --rebuild restores them and the store works", { timeout: 240_000 }, () =>
    scenario(["--database-url", pgUrl, "--schema", schema], store, schema)
  )
})
