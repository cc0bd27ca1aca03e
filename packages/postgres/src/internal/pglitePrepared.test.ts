import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { PGlite } from "@electric-sql/pglite"
import fc from "fast-check"
import { makePrepared } from "./pglitePrepared.ts"

let pg: PGlite

beforeAll(async () => {
  pg = await PGlite.create()
  await pg.exec(
    `CREATE TABLE things (id integer PRIMARY KEY, label text, payload jsonb, at timestamptz, flag boolean, big bigint)`
  )
})

afterAll(async () => {
  await pg.close()
})

/** What a caller sees of a result: the rows, the fields and how many rows a write touched. */
const seen = (result: { rows: Array<unknown>; fields: Array<unknown>; affectedRows?: number }) => ({
  rows: result.rows,
  fields: result.fields,
  affectedRows: result.affectedRows
})

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: { code?: string }) => error.code
  )

const preparedNames = async () =>
  (await pg.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY name")).rows.map((r) => r.name)

describe("prepared statements on PGlite", () => {
  it("answers exactly as PGlite's own query for any row written and read back", async () => {
    const prepared = makePrepared(pg)
    let id = 0
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string(), { nil: null }),
        fc.jsonValue(),
        fc.option(fc.boolean(), { nil: null }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        async (label, payload, flag, big) => {
          id += 1
          const insert = "INSERT INTO things (id, label, payload, flag, big) VALUES ($1, $2, $3, $4, $5)"
          // jsonb given as text, as the event store gives it; NUL cannot be stored in text at all.
          const params = [id, label?.replaceAll("\u0000", ""), JSON.stringify(payload), flag, big]
          const wrote = await prepared.query(insert, params)
          expect(wrote.affectedRows).toBe(1)
          const select = "SELECT id, label, payload, flag, big, $2::text AS echo FROM things WHERE id = $1"
          const mine = await prepared.query(select, [id, label?.replaceAll("\u0000", "")])
          const theirs = await pg.query(select, [id, label?.replaceAll("\u0000", "")])
          expect(seen(mine)).toEqual(seen(theirs))
          const arrays = await prepared.query(select, [id, "x"], { rowMode: "array" })
          expect(arrays.rows).toEqual((await pg.query(select, [id, "x"], { rowMode: "array" })).rows)
        }
      ),
      { numRuns: 60 }
    )
    // Two statements, each prepared once however often it ran.
    expect(prepared.size()).toBe(2)
  })

  it("serializes values by the parameter types the engine chose", async () => {
    const prepared = makePrepared(pg)
    const at = new Date("2026-03-01T08:00:00.000Z")
    const result = await prepared.query<{ at: Date; flag: boolean; n: number; j: unknown }>(
      "SELECT $1::timestamptz AS at, $2::boolean AS flag, $3::integer + 1 AS n, $4::jsonb AS j",
      [at, true, 41, { a: [1, "二"] }]
    )
    expect(result.rows[0]).toEqual({ at, flag: true, n: 42, j: { a: [1, "二"] } })
  })

  it("reports a failed statement as PGlite does and stays usable", async () => {
    const prepared = makePrepared(pg)
    await prepared.query("INSERT INTO things (id) VALUES ($1)", [-1])
    expect(await codeOf(prepared.query("INSERT INTO things (id) VALUES ($1)", [-1]))).toBe("23505")
    expect((await prepared.query("SELECT count(*)::int AS n FROM things WHERE id = $1", [-1])).rows).toEqual([{ n: 1 }])
    // Inside a transaction the failure aborts it, exactly as an unnamed statement would.
    await prepared.query("BEGIN")
    expect(await codeOf(prepared.query("INSERT INTO things (id) VALUES ($1)", [-1]))).toBe("23505")
    expect(await codeOf(prepared.query("SELECT 1 AS one"))).toBe("25P02")
    await prepared.query("ROLLBACK")
    expect((await prepared.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }])
  })

  it("does not keep a statement the engine refused to parse", async () => {
    const prepared = makePrepared(pg)
    expect(await codeOf(prepared.query("SELEC 1"))).toBe("42601")
    expect(await codeOf(prepared.query("SELECT * FROM no_such_table"))).toBe("42P01")
    expect(prepared.size()).toBe(0)
    expect((await prepared.query("SELECT 2 AS two")).rows).toEqual([{ two: 2 }])
  })

  it("prepares again after the engine dropped its statements or a table changed shape", async () => {
    const prepared = makePrepared(pg)
    await pg.exec("CREATE TABLE shifting (a integer)")
    await pg.exec("INSERT INTO shifting VALUES (1)")
    expect((await prepared.query("SELECT * FROM shifting")).rows).toEqual([{ a: 1 }])
    await pg.exec("DEALLOCATE ALL")
    expect((await prepared.query("SELECT * FROM shifting")).rows).toEqual([{ a: 1 }])
    await pg.exec("ALTER TABLE shifting ADD COLUMN b text DEFAULT 'b'")
    expect((await prepared.query("SELECT * FROM shifting")).rows).toEqual([{ a: 1, b: "b" }])
    expect(prepared.size()).toBe(1)
  })

  it("keeps at most `max` statements and closes the ones it lets go", async () => {
    await pg.exec("DEALLOCATE ALL")
    const prepared = makePrepared(pg, { max: 2 })
    for (const n of [1, 2, 3, 4]) {
      expect((await prepared.query(`SELECT ${n} AS n`)).rows).toEqual([{ n }])
    }
    expect(prepared.size()).toBe(2)
    // The statement evicted is closed with the Parse of the one that takes its place.
    expect((await preparedNames()).length).toBe(2)
    // An evicted statement simply runs again, prepared anew.
    expect((await prepared.query("SELECT 1 AS n")).rows).toEqual([{ n: 1 }])
  })
})
