import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as PgTypes from "@effect/sql-pg/PgTypes"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Queue, Result, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { Migrator, SqlClient } from "effect/sql"
import { PgListen } from "../src/PgListen.ts"
import * as PgliteClient from "../src/PgliteClient.ts"

let counter = 0
/** Tests share one database: each uses its own table and channel names. */
const fresh = (prefix: string) => `${prefix}_${++counter}`

const listening = (sql: SqlClient.SqlClient) =>
  Effect.map(sql<{ channel: string }>`SELECT pg_listening_channels() AS channel`, (rows) =>
    rows.map((row) => row.channel)
  )

/** Waits until this session LISTENs on `channel` (the PgListen stream subscribes in the background). */
const awaitListening = (sql: SqlClient.SqlClient, channel: string) =>
  Effect.gen(function* () {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      if ((yield* listening(sql)).includes(channel)) return
      yield* Effect.yieldNow
    }
    assert.fail(`never listened on ${channel}`)
  })

/** Real time, not the TestClock: gives a fiber that should be blocked the chance to run if it is not. */
const pause = (ms: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

describe("PgliteClient", () => {
  it.layer(PgliteClient.layer(), { timeout: "120 seconds" })("in memory", (it) => {
    it.effect("queries with parameters, sql.in, identifiers, unsafe, values, raw and stream", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("people")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY, name text NOT NULL, born date, seen bigint)`
        yield* sql`INSERT INTO ${sql(table)} ${sql.insert([
          { id: 1, name: "阳山县", born: "1990-05-01", seen: 9007199254740993n },
          { id: 2, name: "黎埠镇", born: null, seen: 2 },
          { id: 3, name: 'O\'Brien "quoted"', born: null, seen: null }
        ])}`

        const rows = yield* sql<{ id: number; name: string }>`SELECT id, name FROM ${sql(table)} WHERE id IN ${sql.in([
          1, 3
        ])} ORDER BY id`
        assert.deepStrictEqual(rows, [
          { id: 1, name: "阳山县" },
          { id: 3, name: 'O\'Brien "quoted"' }
        ])

        const [typed] = yield* sql<{
          born: unknown
          seen: unknown
          sum: unknown
        }>`SELECT born, seen, ${2} + ${40} AS sum FROM ${sql(table)} WHERE name = ${"阳山县"}`
        // The same types @effect/sql-pg decodes: int8 → bigint, date → string, int4 → number.
        assert.strictEqual(typed.seen, 9007199254740993n)
        assert.strictEqual(typed.born, "1990-05-01")
        assert.strictEqual(typed.sum, 42)

        const [count] = yield* sql<{ n: unknown }>`SELECT count(*) AS n FROM ${sql(table)} WHERE seen = ANY(${[2, 3]})`
        assert.strictEqual(count.n, 1n)

        const at = new Date("2024-01-02T03:04:05.678Z")
        const [times] = yield* sql<{
          at: Date
          wall: Date
          ids: unknown
        }>`SELECT ${at} AS at, '2024-01-02 03:04:05.5'::timestamp AS wall, ARRAY[1, 2]::int8[] AS ids`
        assert.strictEqual(times.at.toISOString(), at.toISOString())
        assert.strictEqual(times.wall.toISOString(), "2024-01-02T03:04:05.500Z")
        assert.deepStrictEqual(times.ids, [1n, 2n])

        const unsafe = yield* sql.unsafe<{ name: string }>(`SELECT name FROM "${table}" WHERE id = $1`, [2])
        assert.deepStrictEqual(unsafe, [{ name: "黎埠镇" }])

        const values = yield* sql`SELECT id, name FROM ${sql(table)} ORDER BY id`.values
        assert.deepStrictEqual(values, [
          [1, "阳山县"],
          [2, "黎埠镇"],
          [3, 'O\'Brien "quoted"']
        ])

        const raw = (yield* sql`UPDATE ${sql(table)} SET seen = 0`.raw) as { command: string; affectedRows: number }
        assert.strictEqual(raw.command, "UPDATE")
        assert.strictEqual(raw.affectedRows, 3)

        const streamed = yield* Stream.runCollect(sql<{ id: number }>`SELECT id FROM ${sql(table)} ORDER BY id`.stream)
        assert.deepStrictEqual(
          Array.from(streamed, (row) => row.id),
          [1, 2, 3]
        )
      })
    )

    it.effect("round-trips jsonb: nested objects, arrays and unicode", () =>
      Effect.gen(function* () {
        const client = yield* PgliteClient.PgliteClient
        const sql = yield* SqlClient.SqlClient
        const table = fresh("docs")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY, data jsonb NOT NULL)`
        const doc = {
          county: "阳山县",
          townships: [{ name: "黎埠镇", stations: 1, open: true }],
          nested: { deeper: { text: '社工站 «quoted» "x" \\ 🙂', n: 1.5, none: null } }
        }
        yield* sql`INSERT INTO ${sql(table)} VALUES (1, ${client.json(doc)})`
        yield* sql`INSERT INTO ${sql(table)} VALUES (2, ${JSON.stringify(doc)}::jsonb)`
        yield* sql`INSERT INTO ${sql(table)} VALUES (3, ${PgTypes.jsonb(doc)})`
        yield* sql`INSERT INTO ${sql(table)} ${sql.insert({ id: 4, data: doc })}`
        // A JSON string is stored as a string, not as the JSON it spells.
        yield* sql`INSERT INTO ${sql(table)} VALUES (5, ${client.json("阳山县")})`

        const rows = yield* sql<{ id: number; data: unknown }>`SELECT id, data FROM ${sql(table)} ORDER BY id`
        assert.deepStrictEqual(
          rows.map((row) => row.data),
          [doc, doc, doc, doc, "阳山县"]
        )
        const [path] = yield* sql<{ name: string }>`SELECT data->'townships'->0->>'name' AS name FROM ${sql(
          table
        )} WHERE data @> ${client.json({ county: "阳山县" })} AND id = 1`
        assert.strictEqual(path.name, "黎埠镇")
      })
    )

    it.effect("keeps a statement prepared, on the generic plan PostgreSQL settles on while its table is empty", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("growing")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY, label text NOT NULL)`
        const find = (id: number) => sql<{ label: string }>`SELECT label FROM ${sql(table)} WHERE id = ${id}`
        // While the table is empty, as a store's tables are when it starts.
        for (let id = 0; id < 8; id++) assert.deepStrictEqual(yield* find(id), [])
        yield* sql`INSERT INTO ${sql(table)} SELECT g, 'row ' || g FROM generate_series(1, 20000) g`
        for (let id = 1; id < 9; id++) assert.deepStrictEqual(yield* find(id), [{ label: `row ${id}` }])
        // One statement on the engine, prepared once, run on its generic plan from the sixth call (PGlite runs
        // no autovacuum, so nothing replaces a plan made for the empty table).
        const prepared = yield* sql<{ generic: number; custom: number }>`
          SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
          WHERE statement LIKE ${`SELECT label FROM "${table}"%`}`
        assert.deepStrictEqual(prepared, [{ generic: 11, custom: 5 }])
        // That plan must be an index probe however the table grows: plans.test.ts proves it for the store's
        // statements on PGlite, whose session runs with sequential scans off.
      })
    )

    it.effect("commits a transaction, and rolls back one that fails", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("ledger")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY)`

        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
            yield* sql`INSERT INTO ${sql(table)} VALUES (2)`
          })
        )
        const failed = yield* Effect.exit(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO ${sql(table)} VALUES (3)`
              const inside = yield* sql<{ id: number }>`SELECT id FROM ${sql(table)} ORDER BY id`
              assert.deepStrictEqual(
                inside.map((row) => row.id),
                [1, 2, 3]
              )
              return yield* Effect.fail("boom" as const)
            })
          )
        )
        assert.deepStrictEqual(failed, Exit.fail("boom"))
        // A statement error aborts the transaction; the client rolls it back.
        const aborted = yield* Effect.exit(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO ${sql(table)} VALUES (4)`
              yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
            })
          )
        )
        assert.isTrue(Exit.isFailure(aborted))

        const rows = yield* sql<{ id: number }>`SELECT id FROM ${sql(table)} ORDER BY id`
        assert.deepStrictEqual(
          rows.map((row) => row.id),
          [1, 2]
        )
      })
    )

    it.effect(
      "fails a COMMIT that Postgres turns into ROLLBACK, and an interrupted transaction releases the lock",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const table = fresh("aborted")
          yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY)`

          // The statement error is swallowed, but it aborted the transaction: COMMIT must not report success.
          const swallowed = yield* Effect.flip(
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
                yield* Effect.ignore(sql`INSERT INTO ${sql(table)} VALUES (1)`)
              })
            )
          )
          assert.strictEqual(swallowed._tag, "SqlError")
          assert.include(swallowed.message, "COMMIT rolled back")

          const started = yield* Deferred.make<void>()
          const stuck = yield* Effect.forkChild(
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql`INSERT INTO ${sql(table)} VALUES (2)`
                yield* Deferred.succeed(started, undefined)
                return yield* Effect.never
              })
            )
          )
          yield* Deferred.await(started)
          yield* Fiber.interrupt(stuck)

          yield* sql.withTransaction(sql`INSERT INTO ${sql(table)} VALUES (3)`)
          const rows = yield* sql<{ id: number }>`SELECT id FROM ${sql(table)} ORDER BY id`
          assert.deepStrictEqual(
            rows.map((row) => row.id),
            [3]
          )
        })
    )

    it.effect("rolls back a nested transaction to its savepoint and keeps the outer one", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("nested")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY)`

        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
            const inner = yield* Effect.result(
              sql.withTransaction(
                Effect.gen(function* () {
                  yield* sql`INSERT INTO ${sql(table)} VALUES (2)`
                  // A failing statement inside the savepoint must not poison the outer transaction.
                  yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
                })
              )
            )
            assert.isTrue(Result.isFailure(inner))
            yield* sql.withTransaction(sql`INSERT INTO ${sql(table)} VALUES (3)`)
            yield* sql`INSERT INTO ${sql(table)} VALUES (4)`
          })
        )

        const rows = yield* sql<{ id: number }>`SELECT id FROM ${sql(table)} ORDER BY id`
        assert.deepStrictEqual(
          rows.map((row) => row.id),
          [1, 3, 4]
        )
      })
    )

    it.effect("serializes concurrent transactions: read-then-write increments are never lost", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("counter")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY, n int NOT NULL)`
        yield* sql`INSERT INTO ${sql(table)} VALUES (1, 0)`

        const increment = sql.withTransaction(
          Effect.gen(function* () {
            const [row] = yield* sql<{ n: number }>`SELECT n FROM ${sql(table)} WHERE id = 1`
            yield* Effect.yieldNow
            yield* sql`UPDATE ${sql(table)} SET n = ${row.n + 1} WHERE id = 1`
          })
        )
        // Plain statements from other fibers run between the transactions, never inside one.
        const reads = Effect.forEach(
          Array.from({ length: 20 }, (_, i) => i),
          () => sql`SELECT n FROM ${sql(table)} WHERE id = 1`,
          { concurrency: "unbounded", discard: true }
        )
        yield* Effect.all(
          [Effect.forEach(Array.from({ length: 25 }), () => increment, { concurrency: "unbounded" }), reads],
          {
            concurrency: "unbounded"
          }
        )

        const [row] = yield* sql<{ n: number }>`SELECT n FROM ${sql(table)} WHERE id = 1`
        assert.strictEqual(row.n, 25)
      })
    )

    it.effect("a plain query from another fiber never runs inside an open transaction", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("isolated")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY)`
        const inserted = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()

        const writer = yield* Effect.forkChild(
          Effect.exit(
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql`INSERT INTO ${sql(table)} VALUES (1)`
                yield* Deferred.succeed(inserted, undefined)
                yield* Deferred.await(release)
                return yield* Effect.fail("rollback" as const)
              })
            )
          )
        )
        yield* Deferred.await(inserted)
        const reader = yield* Effect.forkChild(sql<{ n: bigint }>`SELECT count(*) AS n FROM ${sql(table)}`)
        // Were the reader not held back, it would run now, inside the writer's transaction, and see its row.
        yield* Effect.raceFirst(Effect.asVoid(Fiber.await(reader)), pause(50))
        yield* Deferred.succeed(release, undefined)

        assert.deepStrictEqual(yield* Fiber.join(writer), Exit.fail("rollback" as const))
        const [count] = yield* Fiber.join(reader)
        assert.strictEqual(count.n, 0n)
      })
    )

    it.effect("LISTEN receives a NOTIFY committed in a transaction, not one rolled back", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const listen = yield* PgListen
        const channel = fresh("Events")
        const received = yield* Effect.forkChild(Stream.runCollect(Stream.take(listen.listen(channel), 2)))
        yield* awaitListening(sql, channel)

        yield* Effect.exit(
          sql.withTransaction(
            Effect.andThen(sql`SELECT pg_notify(${channel}, 'rolled back')`, Effect.fail("rollback" as const))
          )
        )
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`SELECT pg_notify(${channel}, ${"committed 阳山县"})`
            yield* sql`SELECT pg_notify(${"other"}, 'elsewhere')`
          })
        )
        yield* sql`SELECT pg_notify(${channel}, 'outside a transaction')`

        assert.deepStrictEqual(Array.from(yield* Fiber.join(received)), ["committed 阳山县", "outside a transaction"])
        // The stream has ended: its LISTEN is gone.
        assert.notInclude(yield* listening(sql), channel)
      })
    )

    it.effect("listeners on one channel each get every payload; UNLISTEN waits for the last", () =>
      Effect.gen(function* () {
        const client = yield* PgliteClient.PgliteClient
        const channel = fresh("shared")
        const first = yield* Effect.scoped(
          Effect.gen(function* () {
            const a = yield* client.listen(channel)
            const b = yield* Effect.scoped(
              Effect.gen(function* () {
                const b = yield* client.listen(channel)
                yield* client.notify(channel, "one")
                return yield* Queue.take(b)
              })
            )
            assert.strictEqual(b, "one")
            assert.include(yield* listening(client), channel)
            yield* client.notify(channel, "two")
            return [yield* Queue.take(a), yield* Queue.take(a)]
          })
        )
        assert.deepStrictEqual(first, ["one", "two"])
        assert.notInclude(yield* listening(client), channel)

        const tooLong = yield* Effect.exit(Effect.scoped(client.listen("x".repeat(64))))
        assert.isTrue(Exit.isFailure(tooLong))
      })
    )

    it.effect("Migrator runs pending migrations once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("migrations")
        const target = fresh("households")
        const loader = Migrator.fromRecord({
          "1_create": Effect.asVoid(sql`CREATE TABLE ${sql(target)} (id int PRIMARY KEY, county text)`),
          "2_seed": Effect.asVoid(sql`INSERT INTO ${sql(target)} VALUES (1, '阳山县')`)
        })
        const migrate = Migrator.make({})({ loader, table })

        assert.deepStrictEqual(yield* migrate, [
          [1, "create"],
          [2, "seed"]
        ])
        assert.deepStrictEqual(yield* migrate, [])
        const rows = yield* sql<{ county: string }>`SELECT county FROM ${sql(target)}`
        assert.deepStrictEqual(rows, [{ county: "阳山县" }])
        const recorded = yield* sql<{ migration_id: number }>`SELECT migration_id FROM ${sql(table)} ORDER BY 1`
        assert.deepStrictEqual(
          recorded.map((row) => row.migration_id),
          [1, 2]
        )
      })
    )

    it.effect("errors carry their SQLSTATE and reason, and no parameters", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const table = fresh("unique")
        yield* sql`CREATE TABLE ${sql(table)} (id int PRIMARY KEY, secret text)`
        yield* sql`INSERT INTO ${sql(table)} VALUES (1, ${"first"})`

        const duplicate = yield* Effect.flip(sql`INSERT INTO ${sql(table)} VALUES (1, ${"身份证 440000"})`)
        assert.strictEqual(duplicate._tag, "SqlError")
        assert.strictEqual(duplicate.reason._tag, "UniqueViolation")
        assert.strictEqual(duplicate.reason._tag === "UniqueViolation" && duplicate.reason.constraint, `${table}_pkey`)
        const cause = duplicate.reason.cause as Record<string, unknown>
        assert.strictEqual(cause.code, "23505")
        assert.strictEqual(cause.table, table)
        assert.isFalse("params" in cause)
        assert.notInclude(JSON.stringify(duplicate), "身份证")
        assert.isFalse(duplicate.isRetryable)

        const missing = yield* Effect.flip(sql`SELECT * FROM ${sql(fresh("nowhere"))}`)
        assert.strictEqual(missing.reason._tag, "SqlSyntaxError")
        assert.strictEqual((missing.reason.cause as { code: string }).code, "42P01")

        const check = yield* Effect.flip(sql`SELECT 1 / ${0}`)
        assert.strictEqual((check.reason.cause as { code: string }).code, "22012")
      })
    )
  })

  it.effect(
    "an on-disk dataDir, made with its missing parents, keeps its data across close and reopen",
    () =>
      Effect.gen(function* () {
        const root = yield* Effect.acquireRelease(
          Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "pglite-client-"))),
          (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
        )
        const dataDir = path.join(root, "county", "data", "db")
        const session = <A, E>(
          f: (sql: PgliteClient.PgliteClient) => Effect.Effect<A, E>,
          options: Omit<PgliteClient.PgliteClientConfig, "dataDir"> = {}
        ) =>
          Effect.scoped(Effect.flatMap(PgliteClient.make({ ...options, dataDir }), f)).pipe(
            Effect.provide(Reactivity.layer)
          )

        yield* session((sql) =>
          Effect.gen(function* () {
            yield* sql`CREATE TABLE stations (station_id int PRIMARY KEY, township_name text)`
            yield* sql.withTransaction(sql`INSERT INTO stations VALUES (1, ${"黎埠镇"})`)
          })
        )
        assert.isTrue(fs.existsSync(path.join(dataDir, "PG_VERSION")))

        // Reopened with name transforms: camelCase in JavaScript, snake_case in SQL.
        const rows = yield* session(
          (sql) =>
            Effect.gen(function* () {
              yield* sql`INSERT INTO stations ${sql.insert({ stationId: 2, townshipName: "阳城镇" })}`
              return yield* sql`SELECT * FROM stations ORDER BY ${sql("stationId")}`
            }),
          {
            transformQueryNames: (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
            transformResultNames: (name) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
          }
        )
        assert.deepStrictEqual(rows, [
          { stationId: 1, townshipName: "黎埠镇" },
          { stationId: 2, townshipName: "阳城镇" }
        ])
      }),
    120_000
  )
})
