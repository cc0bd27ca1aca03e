import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, type Layer } from "effect"
import { SqlClient } from "effect/sql"
import { exitCodes } from "../src/Failure.ts"
import { describePg, pgUrl, randomSchema, run, start } from "./helpers.ts"

// The shuangbai command run as a process, as a user runs it, on PGlite in a temporary directory and on
// PostgreSQL in a schema of its own. The county is the demo's at scale 0.01 (some 2,000 commands), built
// once by `shuangbai demo` and exported; tests work on copies of that directory (no process opens the
// seed again), or on stores filled by importing the export. One process at a time: each is a PGlite.

const dir = mkdtempSync(join(tmpdir(), "shuangbai-cli-"))
const seed = join(dir, "seed")
const exported = join(dir, "yangshan.jsonl")
/** The subject keys of the export's sealed personal fields (`export --keys`). */
const exportedKeys = join(dir, "yangshan.keys.jsonl")
const tenant = "yangshan"
const asOf = "2024-08-08"
/** Copies of the seeded directory, so that commands on different copies can run at once. */
const copy = (name: string) => {
  const to = join(dir, name)
  cpSync(seed, to, { recursive: true })
  return to
}
const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n")
const withoutStoreFields = (line: string) => {
  const { recordedAt: _r, prevHash: _p, hash: _h, ...rest } = JSON.parse(line)
  return rest
}

/** Edits one stored event's payload behind the store's back, as someone with access to the database could. */
const tamper = (layer: Layer.Layer<SqlClient.SqlClient, unknown>, schema: string, position: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE ${sql(`${schema}.events`)} SET data = jsonb_set(data, '{tampered}', 'true')
        WHERE tenant = ${tenant} AND position = ${position}`
    }).pipe(Effect.provide(layer))
  )

beforeAll(async () => {
  const demo = await run(["demo", "--scale", "0.01", "--data-dir", seed])
  assert.strictEqual(demo.code, 0, demo.stderr)
  assert.match(demo.stdout, /Hash chain verified/)
  const written = await run([
    "export",
    "--tenant",
    tenant,
    "--data-dir",
    seed,
    "-o",
    exported,
    "--keys",
    exportedKeys,
    "--purpose",
    "test fixture"
  ])
  assert.strictEqual(written.code, 0, written.stderr)
}, 240_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A process takes seconds on a loaded machine: the tests allow for that, and assert no time.
describe("shuangbai on embedded PGlite", { timeout: 240_000 }, () => {
  it("migrate creates the tables, and a second run finds nothing to do", async () => {
    const fresh = join(dir, "fresh")
    const first = await run(["migrate", "--data-dir", fresh])
    assert.strictEqual(first.code, 0, first.stderr)
    assert.match(first.stdout, /ran 1 /)
    const second = await run(["migrate", "--data-dir", fresh])
    assert.strictEqual(second.code, 0, second.stderr)
    assert.match(second.stdout, /up to date/)
  })

  it("report county prints the same figures as table, JSON and CSV", async () => {
    const a = copy("a")
    const common = ["report", "county", "--tenant", tenant, "--as-of", asOf, "--data-dir", a]
    const json = await run([...common, "--format", "json"])
    assert.strictEqual(json.code, 0, json.stderr)
    const csv = await run([...common, "--format", "csv", "--lang", "en"])
    assert.strictEqual(csv.code, 0, csv.stderr)
    const table = await run(common)
    assert.strictEqual(table.code, 0, table.stderr)

    const dashboard = JSON.parse(json.stdout)
    assert.strictEqual(dashboard.asOf, asOf)
    const households = dashboard.figures.find((f: { measure: string }) => f.measure === "F13.households")
    assert.isAbove(households.value, 100)
    const rows = csv.stdout.trim().split("\r\n")
    assert.strictEqual(rows[0], "id,measure,label,value,unit,from,to,scope_kind,scope_id,scope_title")
    assert.strictEqual(rows.length, dashboard.figures.length + 1)
    assert.include(rows, `F13,F13.households,households on file,${households.value},count,,${asOf},,,`)
    assert.include(table.stdout, "县级指标")
    assert.match(table.stdout, new RegExp(`${households.label["zh-CN"]} +${households.value.toLocaleString("en-US")} `))

    // as of a position: the same digest on every run, whatever the format
    const cut = ["report", "county", "--tenant", tenant, "--as-of", "500", "--data-dir", a]
    const digests = [await run(cut), await run([...cut, "--format", "json"])]
    for (const d of digests) assert.match(d.stderr, /^sha256 [0-9a-f]{64} \(through position 500, recorded /)
    assert.strictEqual(digests[0].stderr, digests[1].stderr)
    const bad = await run([...cut.slice(0, 5), "2024-08-08T00:00:00+08:00", "--data-dir", a])
    assert.strictEqual(bad.code, exitCodes.BadDate, bad.stderr)
  })

  it("the other reports print in their formats, filtered by station", async () => {
    const b = copy("b")
    const common = ["--tenant", tenant, "--as-of", asOf, "--data-dir", b]
    const station = "sgz-yangcheng"
    const csv = await run([
      "report",
      "caseloads",
      ...common,
      ...["--station", station, "--format", "csv", "--lang", "en", "--purpose", "test"]
    ])
    assert.strictEqual(csv.code, 0, csv.stderr)
    const rows = csv.stdout.trim().split("\r\n")
    assert.strictEqual(rows[0], "worker,name,station,on post,open cases")
    assert.isAbove(rows.length, 2)
    assert.isTrue(rows.slice(1).every((row) => row.split(",")[2] === station))

    const training = await run(["report", "training", ...common, "--period", "2023", "--format", "json"])
    assert.strictEqual(training.code, 0, training.stderr)
    const participation = JSON.parse(training.stdout)
    assert.deepStrictEqual(participation.period, { from: "2023-01-01", to: "2023-12-31" })
    assert.isAbove(participation.courses, 0)
    assert.strictEqual(
      participation.personTimes,
      participation.stations.reduce((n: number, s: { personTimes: number }) => n + s.personTimes, 0)
    )

    const schedule = await run(["report", "visit-schedule", ...common, "--lang", "en", "--purpose", "test"])
    assert.strictEqual(schedule.code, 0, schedule.stderr)
    assert.include(schedule.stdout, `Visit schedule (as of ${asOf})`)
  })

  it("history lists every event about a household, in position order", async () => {
    const c = copy("c")
    const registered = lines(exported)
      .map((line) => JSON.parse(line))
      .find((e) => e.type === "HouseholdRegistered")
    const household = registered.data.household
    const history_ = ["history", household, "--tenant", tenant, "--data-dir", c]
    const unstated = await run(history_)
    assert.strictEqual(unstated.code, exitCodes.Usage, unstated.stderr)
    assert.include(unstated.stderr, "--purpose")
    const json = await run([...history_, "--format", "json", "--purpose", "复核家庭档案"])
    assert.strictEqual(json.code, 0, json.stderr)
    const history = JSON.parse(json.stdout)
    assert.deepStrictEqual(
      history.reads.map((r: { purpose: string }) => r.purpose),
      ["复核家庭档案"]
    )
    assert.strictEqual(history.household, household)
    const positions = history.entries.map((e: { position: number }) => e.position)
    assert.include(positions, registered.position)
    assert.deepStrictEqual(
      positions,
      [...positions].sort((x: number, y: number) => x - y)
    )
    const text = await run([...history_, "--lang", "en", "--purpose", "test", "--as-of", String(registered.position)])
    assert.strictEqual(text.code, 0, text.stderr)
    assert.include(text.stdout, `History of household ${household}`)
    const events = text.stdout.split("Read by")[0]!.trim().split("\n")
    assert.deepStrictEqual(
      events.slice(1).map((line) => Number(/^#(\d+)/.exec(line)?.[1])),
      [registered.position]
    )
    assert.match(text.stderr, new RegExp(`^sha256 [0-9a-f]{64} \\(through position ${registered.position}, `))

    const listed = await run([
      "audit",
      "access-log",
      "--tenant",
      tenant,
      "--data-dir",
      c,
      "--as",
      "aud-1",
      "--as-role",
      "auditor"
    ])
    assert.strictEqual(listed.code, 0, listed.stderr)
    assert.include(listed.stdout, `HouseholdHistory ${household}  purpose: 复核家庭档案`)
    const worker = await run([
      "audit",
      "access-log",
      "--tenant",
      tenant,
      "--data-dir",
      c,
      "--as",
      "w-1",
      "--as-role",
      "worker",
      "--as-station",
      "sgz-yangcheng"
    ])
    assert.strictEqual(worker.code, exitCodes.AccessDenied, worker.stderr)
  })

  it("replay decodes and folds every event; export to standard output writes every envelope", async () => {
    const r = copy("r")
    const events = lines(exported)
    const unstated = await run(["replay", "--tenant", tenant, "--data-dir", r])
    assert.strictEqual(unstated.code, exitCodes.Usage, unstated.stderr)
    assert.include(unstated.stderr, "Log reads personal data: state its purpose")
    const replayed = await run(["replay", "--tenant", tenant, "--data-dir", r, "--purpose", "升级后检查"])
    assert.strictEqual(replayed.code, 0, replayed.stderr)
    assert.include(replayed.stdout, `replayed ${events.length.toLocaleString("en-US")} events of yangshan`)
    assert.strictEqual(replayed.stderr, "", "no progress bar when stderr is not a terminal")
    // replay reads everyone's data: the read is in the access log, with who and why
    const listed = await run(["audit", "access-log", "--tenant", tenant, "--data-dir", r, "--format", "json"])
    assert.strictEqual(listed.code, 0, listed.stderr)
    const last = JSON.parse(listed.stdout).at(-1)
    assert.deepStrictEqual(
      [last.actor.id, last.actor.role, last.what, last.purpose],
      ["local-operator", "auditor", "Log", "升级后检查"]
    )
    const written = await run(["export", "--tenant", tenant, "--data-dir", r, "--purpose", "test"])
    assert.strictEqual(written.code, 0, written.stderr)
    assert.deepStrictEqual(written.stdout.trim().split("\n"), events)
    // as of a position: that prefix, and the chain's hash there on stderr
    const cut = await run(["export", "--tenant", tenant, "--data-dir", r, "--purpose", "test", "--as-of", "10"])
    assert.strictEqual(cut.code, 0, cut.stderr)
    assert.deepStrictEqual(cut.stdout.trim().split("\n"), events.slice(0, 10))
    assert.include(cut.stderr, `through position 10, hash ${JSON.parse(events[9]!).hash}`)
  })

  it("export then import gives the same log; importing again writes nothing", async () => {
    // the first 300 events: a prefix of a log is a log whose chain verifies from the start
    const events = lines(exported).slice(0, 300)
    const file = join(dir, "prefix.jsonl")
    writeFileSync(file, `${events.join("\n")}\n`)
    const target = join(dir, "imported")
    const imported = await run(["import", file, "--keys", exportedKeys, "--data-dir", target])
    assert.strictEqual(imported.code, 0, imported.stderr)
    assert.include(imported.stdout, `imported ${events.length} events`)
    const again = await run(["import", file, "--data-dir", target])
    assert.strictEqual(again.code, 0, again.stderr)
    assert.match(again.stdout, /were recorded already and wrote nothing/)
    const reexported = join(dir, "reexported.jsonl")
    const written = await run([
      "export",
      "--tenant",
      tenant,
      "--data-dir",
      target,
      "-o",
      reexported,
      "--purpose",
      "test"
    ])
    assert.strictEqual(written.code, 0, written.stderr)
    assert.deepStrictEqual(lines(reexported).map(withoutStoreFields), events.map(withoutStoreFields))
    const verified = await run(["audit", "verify", "--tenant", tenant, "--data-dir", target, "--purpose", "test"])
    assert.strictEqual(verified.code, 0, verified.stderr)
  })

  it("erase: the admin erases a person, a second erase answers with the first, the chain verifies; bad input has its exit code", async () => {
    const target = copy("erase")
    const subject = "p-000001"
    const erase = (...args: ReadonlyArray<string>) =>
      run(["erase", "--tenant", tenant, "--data-dir", target, "--subject", subject, ...args])
    const basis = ["--legal-basis", "PIPL-47-3-ConsentWithdrawn", "--basis-text", "书面申请", "--reason", "要求删除"]
    const noBasis = await erase("--reason", "要求删除")
    assert.strictEqual(noBasis.code, exitCodes.ErasureRefused, noBasis.stderr)
    const worker = await erase(...basis, "--as", "w-1", "--as-role", "auditor")
    assert.strictEqual(worker.code, exitCodes.AccessDenied, worker.stderr)
    const nobody = await run(["erase", "--tenant", tenant, "--data-dir", target, "--subject", "p-nobody", ...basis])
    assert.strictEqual(nobody.code, exitCodes.NothingFound, nobody.stderr)
    const erased = await erase(...basis)
    assert.strictEqual(erased.code, 0, erased.stderr)
    assert.include(erased.stdout, `erased ${subject}`)
    const again = await erase(...basis)
    assert.strictEqual(again.code, 0, again.stderr)
    assert.include(again.stdout, "erased already")
    const verified = await run([
      "audit",
      "verify",
      "--tenant",
      tenant,
      "--data-dir",
      target,
      "--purpose",
      "after erasure"
    ])
    assert.strictEqual(verified.code, 0, verified.stderr)
  })

  it("audit verify passes, then fails with its exit code on an edited row", async () => {
    const target = copy("tampered")
    const ok = await run(["audit", "verify", "--tenant", tenant, "--data-dir", target, "--purpose", "annual audit"])
    assert.strictEqual(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /the log of yangshan verifies: [\d,]+ events/)
    // it read every event: recorded in the access log
    const listed = await run(["audit", "access-log", "--tenant", tenant, "--data-dir", target])
    assert.strictEqual(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /local-operator \(auditor\) {2}Log {2}purpose: annual audit\n$/)
    await tamper(PgEventStore.layerPglite({ dataDir: target, migrate: false }), PgEventStore.defaultSchema, 7)
    const broken = await run(["audit", "verify", "--tenant", tenant, "--data-dir", target, "--purpose", "test"])
    assert.strictEqual(broken.code, exitCodes.ChainBroken, broken.stderr)
    assert.include(broken.stderr, "fails verification at position 7")
  })

  it("import refuses a file whose chain does not verify, or a principal who is not the admin, and writes nothing", async () => {
    const edited = lines(exported)
    const event = JSON.parse(edited[4]!)
    edited[4] = JSON.stringify({ ...event, occurredAt: "2021-01-01T00:00:00.000Z" })
    const file = join(dir, "edited.jsonl")
    writeFileSync(file, `${edited.join("\n")}\n`)
    const target = join(dir, "refused")
    const refused = await run(["import", file, "--data-dir", target])
    assert.strictEqual(refused.code, exitCodes.ChainBroken, refused.stderr)
    assert.include(refused.stderr, "nothing was imported")
    assert.include(refused.stderr, "position 5")
    assert.isFalse(existsSync(target), "the store was not even opened")
    const auditor = await run(["import", exported, "--data-dir", target, "--as", "aud-1", "--as-role", "auditor"])
    assert.strictEqual(auditor.code, exitCodes.AccessDenied, auditor.stderr)
    assert.include(auditor.stderr, "aud-1 may not")
    assert.isFalse(existsSync(target), "an auditor imports nothing")
  })

  it("each bad input has its own exit code and says what was wrong", async () => {
    const a = copy("e")
    const report = ["report", "county", "--tenant", tenant]
    const cases = await Promise.all([
      run([...report, "--database-url", "mysql://root@127.0.0.1/x"]),
      run([...report, "--database-url", "postgres://postgres@127.0.0.1:1/test"]),
      run([...report, "--as-of", "2024-02-30", "--data-dir", a]),
      run([...report, "--period", "2024-13", "--data-dir", a]),
      run(["report", "county-figures", "--tenant", tenant, "--data-dir", a]),
      run([...report, "--format", "xml", "--data-dir", a])
    ])
    const [badUrl, unreachable, badDate, badPeriod, unknownReport, usage] = cases
    assert.strictEqual(badUrl!.code, exitCodes.BadDatabaseUrl)
    assert.include(badUrl!.stderr, "is not a PostgreSQL URL")
    assert.strictEqual(unreachable!.code, exitCodes.DatabaseUnavailable)
    assert.include(unreachable!.stderr, "PostgreSQL")
    assert.strictEqual(badDate!.code, exitCodes.BadDate)
    assert.include(badDate!.stderr, "--as-of 2024-02-30 is not a date")
    assert.strictEqual(badPeriod!.code, exitCodes.BadDate)
    assert.include(badPeriod!.stderr, "--period 2024-13")
    assert.strictEqual(unknownReport!.code, exitCodes.UnknownReport)
    assert.include(unknownReport!.stderr, "there is no report named county-figures")
    assert.strictEqual(usage!.code, exitCodes.Usage)

    const unknownTenant = await run(["report", "county", "--tenant", "qingxin", "--data-dir", a])
    assert.strictEqual(unknownTenant.code, exitCodes.UnknownTenant, unknownTenant.stderr)
    assert.include(unknownTenant.stderr, "tenant qingxin has no events")
    // the bureau's staff read the county's figures, never a household's file
    const worker = await run([
      ...["history", "hh-x", "--tenant", tenant, "--data-dir", a],
      ...["--as", "sw-999", "--as-role", "bureau", "--purpose", "test"]
    ])
    assert.strictEqual(worker.code, exitCodes.AccessDenied, worker.stderr)
    assert.include(worker.stderr, "sw-999 may not")
    const nothing = await run(["history", "hh-none", "--tenant", tenant, "--data-dir", a, "--purpose", "test"])
    assert.strictEqual(nothing.code, exitCodes.NothingFound, nothing.stderr)
    assert.include(nothing.stderr, "names the household hh-none")
  })

  it("a data directory another process has open is refused, and free again once it stops", async () => {
    const b = copy("f")
    const keys = join(dir, "keys.json")
    writeFileSync(keys, JSON.stringify({ keys: { k1: { id: "op-1", tenant, roles: ["auditor"] } } }))
    const server = start(["serve", "--port", "0", "--api-keys", keys, "--data-dir", b], /serving .* at http/)
    try {
      await server.started
      const locked = await run(["report", "county", "--tenant", tenant, "--data-dir", b])
      assert.strictEqual(locked.code, exitCodes.DataDirLocked, locked.stderr)
      assert.include(locked.stderr, `is in use by process ${server.child.pid}`)
    } finally {
      server.child.kill("SIGINT")
    }
    await server.stopped
    const free = await run(["report", "county", "--tenant", tenant, "--data-dir", b, "--as-of", asOf])
    assert.strictEqual(free.code, 0, free.stderr)
  })
})

describePg("shuangbai on PostgreSQL", () => {
  const schema = randomSchema()
  const url = ["--database-url", pgUrl, "--schema", schema]
  const pg = () => PgEventStore.layerPg({ url: pgUrl, schema })

  afterAll(() =>
    Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
      }).pipe(Effect.provide(pg()))
    )
  )

  it("migrates, imports the export, reports what PGlite reports, and verifies until a row is edited", async () => {
    const before = await run(["report", "county", "--tenant", tenant, ...url])
    assert.strictEqual(before.code, exitCodes.NotMigrated, before.stderr)
    assert.include(before.stderr, "shuangbai migrate")

    const migrated = await run(["migrate", ...url])
    assert.strictEqual(migrated.code, 0, migrated.stderr)
    assert.match(migrated.stdout, /ran 1 /)
    const imported = await run(["import", exported, "--keys", exportedKeys, ...url])
    assert.strictEqual(imported.code, 0, imported.stderr)

    const county = ["report", "county", "--tenant", tenant, "--as-of", asOf, "--format", "json"]
    const [onPg, onPglite] = await Promise.all([
      run([...county, ...url]),
      run([...county, "--data-dir", copy("pg-compare")])
    ])
    assert.strictEqual(onPg.code, 0, onPg.stderr)
    assert.strictEqual(onPglite.code, 0, onPglite.stderr)
    assert.deepStrictEqual(JSON.parse(onPg.stdout), JSON.parse(onPglite.stdout))

    const unknown = await run(["replay", "--tenant", "qingxin", ...url, "--purpose", "test"])
    assert.strictEqual(unknown.code, exitCodes.UnknownTenant, unknown.stderr)

    const ok = await run(["audit", "verify", "--tenant", tenant, ...url, "--purpose", "test"])
    assert.strictEqual(ok.code, 0, ok.stderr)
    await tamper(pg(), schema, 11)
    const broken = await run(["audit", "verify", "--tenant", tenant, ...url, "--purpose", "test"])
    assert.strictEqual(broken.code, exitCodes.ChainBroken, broken.stderr)
    assert.include(broken.stderr, "fails verification at position 11")
  })
})
