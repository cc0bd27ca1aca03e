// Hostile requests, generated, sent to all three stores (in memory, PGlite, the PostgreSQL server): each must
// give the same outcome (the same error tag, reason and message, or the same events), and a refused request
// must leave every table of the store as it was.
import { randomBytes, randomUUID } from "node:crypto"
import { assert, it } from "@effect/vitest"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Context, Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import fc from "fast-check"
import * as PgEventStore from "../src/PgEventStore.ts"
import { describePg, randomSchema, serverLayer } from "./helpers.ts"

interface Subject {
  readonly name: string
  readonly store: EventStore.EventStoreShape
  /** Every table of the store, as a digest of its rows; the memory store's log of the tenants touched. */
  readonly snapshot: (tenants: ReadonlyArray<string>) => Effect.Effect<unknown, unknown>
}

class Subjects extends Context.Service<Subjects, ReadonlyArray<Subject>>()("test/hostile/Subjects") {}

/**
 * Every table of `schema` as its row count and an md5 of its rows in a fixed order, in one statement
 * (the list of tables is read once).
 */
const tables = (sql: SqlClient.SqlClient, schema: string) => {
  let names: ReadonlyArray<string> | undefined
  return Effect.gen(function* () {
    names ??= (yield* sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = ${schema} ORDER BY table_name`).map((row) => row.name)
    // A UNION ALL returns its parts in whatever order the plan gives: the outer ORDER BY fixes it.
    const parts = names.map(
      (name) =>
        `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${schema}"."${name}" t`
    )
    return yield* sql.unsafe(`SELECT * FROM (${parts.join(" UNION ALL ")}) AS tables ORDER BY name`)
  })
}

const logOf = (store: EventStore.EventStoreShape) => (tenants: ReadonlyArray<string>) =>
  Effect.forEach(tenants, (tenant) =>
    Effect.all([store.readAll(tenant, { after: 0, limit: 1_000_000 }), store.head(tenant)])
  )

// Strings a store must handle: NUL, lone surrogates, format characters (Cf), spaces, long runs.
const hostileUnit = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("a", "z", "0", "-", "家", "访", "👪") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "\u0000",
      "\ud800",
      "\udfff",
      "\u200b",
      "\u202e",
      "\ufeff",
      "\u00ad",
      " ",
      "\n",
      "\u0007"
    )
  }
)
const hostileString = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: hostileUnit, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "a b", "hh-0\u200b", "t\u0000", "\ud83d") },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 300 }).map((n) => "x".repeat(n)) }
)
const hostileKey = hostileString.filter((k) => k !== "__proto__")

const nestedDeep = fc.integer({ min: 50, max: 10_000 }).map((depth) => {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
})
const cycle = fc.constant(null).map(() => {
  const value: Record<string, unknown> = {}
  value.again = [value]
  return value
})
const oddNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  1e308,
  Number.MAX_VALUE,
  5e-324,
  2 ** 53 + 2,
  -(2 ** 63),
  1.5e21
)
const notJson = fc.oneof(
  fc.bigInt().map((n) => n as unknown),
  fc.constant(undefined),
  fc.constant(new Map([["k", 1]])),
  fc.constant(new Set([1])),
  fc.constant(new Date(0)),
  fc.constant(() => 1),
  fc.constant(Symbol("s"))
)

const { data: hostileData } = fc.letrec<{ data: unknown }>((tie) => ({
  data: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: fc.oneof(hostileString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null)) },
    { weight: 1, arbitrary: oddNumber },
    { weight: 1, arbitrary: notJson },
    { weight: 4, arbitrary: fc.array(tie("data"), { maxLength: 3 }) },
    { weight: 4, arbitrary: fc.dictionary(hostileKey, tie("data"), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constant(null).chain(() => fc.oneof(nestedDeep, cycle)) },
    { weight: 1, arbitrary: fc.anything() }
  )
}))

/**
 * Mostly the valid value, sometimes something hostile in its place: rare enough that about half the
 * requests are valid everywhere but in their data, so acceptance is compared too.
 */
const orHostile = <A>(valid: fc.Arbitrary<A>, hostile: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 24, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: hostile })

const okId = fc.stringMatching(/^[a-z0-9-]{1,16}$/)
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString())
const hostileInstant = fc.oneof(
  hostileString,
  fc.constantFrom(
    "9999-99-99T99:99:99.999Z",
    "2024-02-30T00:00:00.000Z",
    "2024-01-01T00:00:00.000+08:00",
    "2024-01-01T24:00:00.000Z"
  )
)

const hostileEvent = fc.record({
  eventId: orHostile(
    fc.constant(null).map(() => IdGenerator.uuidV7(Date.now(), randomBytes(10))),
    fc.oneof(hostileString, fc.uuid())
  ),
  type: orHostile(okId, hostileString),
  schemaVersion: orHostile(
    fc.integer({ min: 1, max: 3 }),
    fc.oneof(oddNumber, fc.integer({ min: -3, max: 0 }), hostileString)
  ),
  data: hostileData,
  occurredAt: orHostile(instant, hostileInstant),
  subjects: orHostile(fc.array(okId, { maxLength: 3 }), fc.array(hostileString, { minLength: 1, maxLength: 3 }))
})

const actor = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ id: "w-1", role: "worker", station: "s-1" }) },
  {
    weight: 1,
    arbitrary: fc.record({
      id: orHostile(okId, hostileString),
      role: orHostile(okId, hostileString),
      station: orHostile(okId, hostileString)
    })
  },
  { weight: 1, arbitrary: fc.constant({ id: "w-1", role: "worker", phone: "13800000000", idCard: "440000" }) }
)

const expected = orHostile(
  fc.constantFrom({ _tag: "Any" }, { _tag: "NoStream" }, { _tag: "StreamExists" }, { _tag: "Exact", version: 0 }),
  fc.oneof(
    fc.record({ _tag: hostileString }),
    fc.record({ _tag: fc.constant("Exact"), version: fc.oneof(oddNumber, fc.integer({ min: -2, max: 2 })) }),
    fc.anything()
  )
)

/** A request shape with hostile values anywhere; the tenant's valid form is filled in per run. */
const hostileRequest = fc.record({
  tenant: fc.option(hostileString, { nil: undefined, freq: 25 }),
  stream: fc.record({
    category: orHostile(fc.constantFrom("visit", "case"), hostileString),
    id: orHostile(okId, hostileString)
  }),
  expected,
  events: fc.array(hostileEvent, { maxLength: 3 }),
  context: fc.record({
    actor,
    commandId: orHostile(okId, fc.oneof(hostileString, fc.constant("cmd 1"))),
    correlationId: orHostile(okId, hostileString),
    causationId: orHostile(okId, hostileString)
  })
})

/** What an outcome says, comparable across stores: the error's tag, reason and message, or the events. */
const outcomeOf = (exit: Exit.Exit<EventStore.AppendResult, unknown>) => {
  if (Exit.isSuccess(exit)) {
    return {
      ok: exit.value.events.map((e) => ({
        position: e.position,
        version: e.version,
        type: e.type,
        data: e.data,
        subjects: e.subjects,
        occurredAt: e.occurredAt,
        actor: e.actor
      })),
      version: exit.value.version
    }
  }
  const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (failure === undefined) return { defect: String(exit.cause) }
  const error = failure.error as { _tag: string; reason?: string; message: string }
  return { error: error._tag, reason: error.reason, message: error.message }
}

describePg("hostile requests on every store", () => {
  const schema = randomSchema()
  const stores = Layer.effect(
    Subjects,
    Effect.gen(function* () {
      const pglite = yield* Layer.build(PgEventStore.layerPglite())
      const server = yield* Layer.build(serverLayer({}, schema))
      const memory = yield* EventStore.makeMemory()
      const subjects: ReadonlyArray<Subject> = [
        { name: "memory", store: memory, snapshot: logOf(memory) },
        {
          name: "pglite",
          store: Context.get(pglite, EventStore.EventStore),
          snapshot: () => tables(Context.get(pglite, SqlClient.SqlClient), PgEventStore.defaultSchema)
        },
        {
          name: "postgres",
          store: Context.get(server, EventStore.EventStore),
          snapshot: () => tables(Context.get(server, SqlClient.SqlClient), schema)
        }
      ]
      return subjects
    })
  )

  it.layer(stores, { excludeTestServices: true, timeout: "2 minutes" })((it) => {
    it.effect(
      "gives the same outcome on all three stores, and a refusal leaves every table as it was",
      () =>
        Effect.gen(function* () {
          const subjects = yield* Subjects
          let run = 0
          let accepted = 0
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(hostileRequest, (shape) =>
                Effect.runPromise(
                  Effect.gen(function* () {
                    const fresh = `t-hostile-${run++}-${randomUUID().slice(0, 8)}`
                    const request = { ...shape, tenant: shape.tenant ?? fresh } as unknown as EventStore.AppendRequest
                    const tenants =
                      typeof request.tenant === "string" && request.tenant !== fresh ? [fresh, request.tenant] : [fresh]
                    const outcomes = []
                    for (const subject of subjects) {
                      const before = yield* subject.snapshot(tenants)
                      const exit = yield* Effect.exit(subject.store.append(request))
                      const outcome = outcomeOf(exit)
                      assert.notProperty(outcome, "defect", `${subject.name}: ${JSON.stringify(outcome)}`)
                      if (Exit.isFailure(exit)) {
                        assert.deepStrictEqual(
                          yield* subject.snapshot(tenants),
                          before,
                          `${subject.name}: a refusal wrote something`
                        )
                      }
                      outcomes.push(outcome)
                    }
                    if ("ok" in outcomes[0]!) accepted++
                    assert.deepStrictEqual(outcomes[1], outcomes[0], "PGlite answers as the memory store does")
                    assert.deepStrictEqual(outcomes[2], outcomes[0], "the server answers as the memory store does")
                  })
                )
              ),
              {
                numRuns: 60,
                // Found by this property once: a refused append to a tenant with no events left its head row.
                examples: [
                  [
                    {
                      tenant: undefined,
                      stream: { category: "visit", id: "a" },
                      expected: { _tag: "StreamExists" },
                      events: [],
                      context: {
                        actor: { id: "w-1", role: "worker" },
                        commandId: "a",
                        correlationId: "a",
                        causationId: "a"
                      }
                    } as never
                  ]
                ]
              }
            )
          )
          // The property saw both sides: requests every store took, and requests every store refused.
          assert.isAbove(accepted, 0, "no generated request was accepted")
          assert.isBelow(accepted, run, "no generated request was refused")
        }),
      120_000
    )
  })
})
