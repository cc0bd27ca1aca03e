import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { promisify } from "node:util"
import { Access } from "@shuangbai/core"
import { IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import * as App from "../src/App.ts"
import * as Users from "../src/Users.ts"

const url = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const tenant = "yangshan"
const suffix = randomBytes(4).toString("hex")
const options = { url, tenant, storeSchema: `sb_host_store_${suffix}`, appSchema: `sb_host_app_${suffix}`, port: 0 }
const principal = Schema.decodeUnknownSync(Access.Principal)
const people = {
  admin: principal({ id: "admin-01", tenant, roles: ["admin"] }),
  bureau: principal({ id: "bureau-01", tenant, roles: ["bureau"] }),
  worker: principal({ id: "worker-017", tenant, roles: ["worker"], station: "huangpen" }),
  auditor: principal({ id: "auditor-01", tenant, roles: ["auditor"] })
}

describe("the hotline app embedding Shuangbai on PostgreSQL", () => {
  const runtime = ManagedRuntime.make(Layer.merge(App.serve(options), IdGenerator.layer))
  let base = ""

  beforeAll(async () => {
    const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address))
    base = `http://127.0.0.1:${(address as { port: number }).port}`
    // The app's own users, and the county set up by sending commands in process as its bureau staff.
    await runtime.runPromise(
      Effect.gen(function* () {
        for (const [name, who] of Object.entries(people))
          yield* Users.addUser(options.appSchema, name, `pw-${name}`, who)
        let n = 0
        const send = (who: Access.Principal, command: unknown) =>
          Access.handle(who, command, { commandId: `setup-${n++}` })
        yield* send(people.admin, {
          _tag: "ConfigureCounty",
          name: "阳山县",
          townships: [{ township: "huangpen", name: "黄盆镇" }]
        })
        yield* send(people.bureau, {
          _tag: "EstablishStation",
          township: "huangpen",
          station: "huangpen",
          name: "黄盆镇社工站",
          establishedOn: "2024-12-01"
        })
        yield* send(people.bureau, { _tag: "AllotPosts", station: "huangpen", posts: 1, allottedOn: "2024-12-01" })
        yield* send(people.bureau, {
          _tag: "HireWorker",
          worker: "worker-017",
          name: "李社工",
          station: "huangpen",
          hiredOn: "2025-01-02"
        })
      })
    )
  })

  afterAll(async () => {
    await runtime
      .runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`DROP SCHEMA IF EXISTS ${sql(options.appSchema)} CASCADE`
          yield* sql`DROP SCHEMA IF EXISTS ${sql(options.storeSchema)} CASCADE`
        })
      )
      .catch(() => {})
    await runtime.dispose()
  })

  it("refuses a wrong password and an unknown session", async () => {
    const login = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "worker", password: "guess" })
    })
    assert.strictEqual(login.status, 401)
    const command = await fetch(`${base}/reports/visit-schedule?station=huangpen`, {
      headers: { authorization: "Bearer not-a-session" }
    })
    assert.strictEqual(command.status, 401)
    assert.strictEqual(((await command.json()) as { code: string }).code, "Unauthenticated")
  })

  it("serves a Python client (standard library only) that sends commands and follows the feed", async () => {
    const { stdout } = await promisify(execFile)("python3", [
      join(import.meta.dirname, "..", "client.py"),
      ...["--base", base, "--worker", "worker:pw-worker", "--auditor", "auditor:pw-auditor"],
      ...["--household", "hh-py-1", "--person", "p-py-1", "--station", "huangpen", "--worker-id", "worker-017"]
    ])
    const summary = JSON.parse(stdout)
    assert.strictEqual(summary.events, 2)
    assert.strictEqual(summary.household, "hh-py-1")
    // The visit is recorded by the worker who logged in, through the app's own authentication.
    const log = await runtime.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{
          actor: unknown
        }>`SELECT actor FROM ${sql(options.storeSchema)}.events WHERE type = 'VisitConducted'`
      })
    )
    assert.strictEqual(log.length, 1)
    const actor = typeof log[0]!.actor === "string" ? JSON.parse(log[0]!.actor) : log[0]!.actor
    assert.deepStrictEqual(actor, { id: "worker-017", role: "worker", station: "huangpen" })
  })

  it("keeps its own read model in its own table by following the log", async () => {
    const { token } = (await (
      await fetch(`${base}/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "worker", password: "pw-worker" })
      })
    ).json()) as { token: string }
    // A second household, never visited, registered through the library's API as this worker.
    const registered = await fetch(`${base}/commands/registry/RegisterHousehold`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        household: "hh-app-2",
        station: "huangpen",
        township: "huangpen",
        village: "huangpen-02",
        address: "某村 9 号",
        head: { person: "p-app-2", name: "陈伯", birthDate: "1940-01-01" },
        registeredOn: "2025-02-01"
      })
    })
    assert.strictEqual(registered.status, 200)
    // The read model follows asynchronously: ask until it has both households (never waiting on a timing).
    let rows: Array<{ household: string; lastVisit: string | null }> = []
    for (let i = 0; i < 100 && rows.length < 2; i++) {
      const answer = await fetch(`${base}/hotline/unvisited?days=0`, { headers: { authorization: `Bearer ${token}` } })
      assert.strictEqual(answer.status, 200)
      rows = (await answer.json()) as typeof rows
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.deepStrictEqual(
      rows.map((r) => [r.household, r.lastVisit]),
      [
        ["hh-app-2", null],
        ["hh-py-1", "2025-02-03"]
      ]
    )
    // Over a window reaching back past the visit, only the household never visited is left to call.
    const longAgo = await fetch(`${base}/hotline/unvisited?days=100000`, {
      headers: { authorization: `Bearer ${token}` }
    })
    assert.deepStrictEqual(
      ((await longAgo.json()) as Array<{ household: string }>).map((r) => r.household),
      ["hh-app-2"]
    )
  })
})
