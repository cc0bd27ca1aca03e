// Erasure end to end, the same scenario on every store: the demo's county at a small scale, one member added
// as the code before sealing stored it (a version-1 row in plaintext), then a household, its head and that
// member erased by the tenant's admin. Afterwards every row of every table holds no plaintext of them, the
// county's figures are the same, the household's history shows the fields as erased and the chain verifies.
import { assert, describe, it } from "@effect/vitest"
import { Access, Domain, Registry, Reports } from "@shuangbai/core"
import { Audit, EventStore, ExpectedVersion, IdGenerator, Personal, type SubjectKeys } from "@shuangbai/eventsourcing"
import { articleTime, makeScenario, tenant } from "@shuangbai/example-yangshan/src/county.ts"
import { clockFrom, replay, send } from "@shuangbai/example-yangshan/src/run.ts"
import { Clock, Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"

export interface ErasureStore<R> {
  /** A fresh store for each test. */
  readonly layer: () => Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys | R, unknown>
  /** Every row of every table the store keeps, as text. */
  readonly dump: Effect.Effect<string, unknown, EventStore.EventStore | R>
  /** Changes the payload of the row at a position, as someone with write access to the tables could. */
  readonly tamper?: (position: number, data: unknown) => Effect.Effect<void, unknown, R>
}

const admin = new Access.Principal({ id: "dpo-1", tenant, roles: ["admin"] })
const request = {
  legalBasis: { ground: "PIPL-47-3-ConsentWithdrawn", text: "本人书面申请，2024-08-09 收" },
  reason: "撤回同意并要求删除个人信息"
} as const

const v1Member = { person: "p-erase-v1", name: "甄试删", birthDate: "1931-07-13" }

/** Every row of every table of a Postgres schema (events, subjects, commands, streams, heads, keys, …), as text. */
export const dumpSchema = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const tables = yield* sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = ${schema} ORDER BY table_name`
    const out: Array<string> = []
    for (const { name } of tables) {
      const rows = yield* sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql(`${schema}.${name}`)} t`
      out.push(`${name}: ${rows.length} rows`, ...rows.map((r) => r.row))
    }
    assert.isTrue(tables.some((t) => t.name === "subject_keys") && tables.some((t) => t.name === "commands"))
    return out.join("\n")
  })

/** Sets a row's payload by SQL, as someone with write access to the database could. */
export const tamperSchema = (schema: string) => (position: number, data: unknown) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.asVoid(sql`UPDATE ${sql(`${schema}.events`)} SET data = ${JSON.stringify(data)}::jsonb
      WHERE tenant = ${tenant} AND position = ${position}`)
  )

export const suite = <R>(name: string, store: ErasureStore<R>) =>
  describe(`Erasure: ${name}`, () => {
    it.effect(
      "erasing a household, its head and a version-1 member leaves no plaintext, the same figures and a verified chain",
      () =>
        Effect.gen(function* () {
          yield* send(makeScenario({ scale: 0.01 }).steps, { concurrency: 8 })
          const events = yield* EventStore.EventStore
          const all = yield* events.readAll(tenant, { after: 0, limit: 1_000_000 })
          const registered = all.find((e) => e.type === "HouseholdRegistered")!
          const household = Result.getOrThrow(Domain.codec.decode(registered))
            .event as Registry.Events.HouseholdRegistered
          const visits = all
            .filter((e) => e.type === "VisitConducted" && e.subjects[0] === household.household)
            .map((e) => (Result.getOrThrow(Domain.codec.decode(e)).event as { findings: string }).findings)
          // A member as the code before sealing stored it: schema version 1, the fields in plaintext.
          yield* events.append({
            tenant,
            stream: Registry.streamOf(household.household),
            expected: ExpectedVersion.any,
            events: [
              {
                eventId: yield* (yield* IdGenerator.IdGenerator).next,
                type: "MemberAdded",
                schemaVersion: 1,
                data: { household: household.household, relation: "Child", ...v1Member },
                occurredAt: "2024-08-08T02:00:00.000Z",
                subjects: [household.household, v1Member.person]
              }
            ],
            context: {
              actor: { id: "clerk", role: "worker" },
              commandId: "v1-member",
              correlationId: "v1",
              causationId: "v1"
            }
          })
          assert.include(yield* store.dump, v1Member.name, "the version-1 row is plaintext: the search can find it")
          const before = (yield* replay()).dashboard

          const plaintext = [
            household.address,
            household.head.name,
            v1Member.name,
            v1Member.birthDate,
            ...visits.filter((f) => f.length > 6)
          ]
          for (const subject of [household.household, household.head.person, v1Member.person]) {
            const erased = yield* Access.erase(admin, tenant, subject, request)
            assert.isFalse(erased.duplicate)
            assert.deepStrictEqual(erased.event.actor, { id: "dpo-1", role: "admin" })
          }
          const rows = yield* store.dump
          for (const text of plaintext) assert.notInclude(rows, text, "no plaintext of an erased subject is left")

          const after = (yield* replay()).dashboard
          assert.deepStrictEqual(after.figures, before.figures, "every count of the county dashboard is the same")
          yield* Audit.verifyChain(tenant)

          const history = yield* Reports.HouseholdHistory.read(tenant, household.household)
          const entry = history.entries.find((e) => e.type === "HouseholdRegistered")!
          assert.deepStrictEqual(entry.erased, ["address", "head.name", "head.birthDate"])
          const member = history.entries.find((e) => e.type === "MemberAdded" && e.erased !== undefined)!
          assert.deepStrictEqual(member.erased, ["name", "birthDate"])
          assert.strictEqual((member.event as Registry.Events.MemberAdded).name, Personal.erasedText)
          assert.include(Reports.HouseholdHistory.print(history, "zh-CN"), `${Personal.erasedText}: address`)

          // A second erasure: the first one's answer, nothing written.
          const head = (yield* events.head(tenant)).position
          const again = yield* Access.erase(admin, tenant, v1Member.person, request)
          assert.isTrue(again.duplicate)
          assert.strictEqual((yield* events.head(tenant)).position, head)

          if (store.tamper !== undefined) {
            // The rewritten row changed once more, by hand: the erasure did not attest that content.
            const rewritten = (yield* events.readSubject(tenant, v1Member.person, { after: 0, limit: 10 }))[0]!
            yield* store.tamper(rewritten.position, { ...(rewritten.data as object), relation: "Spouse" })
            const broken = yield* Effect.flip(Audit.verifyChain(tenant))
            assert.strictEqual(broken._tag === "ChainBroken" && broken.position, rewritten.position)
          }
        }).pipe(
          Effect.provide(Layer.merge(store.layer(), IdGenerator.layer)),
          Effect.provideService(Clock.Clock, clockFrom(articleTime))
        ),
      600_000
    )

    it.effect(
      "only the admin may erase; no legal basis, an unknown subject: typed errors, nothing written",
      () =>
        Effect.gen(function* () {
          // The county up to its first household: enough for a subject to exist.
          const steps = makeScenario({ scale: 0.01 }).steps
          yield* send(steps.slice(0, steps.findIndex((s) => s.command._tag === "RegisterHousehold") + 1), {
            concurrency: 8
          })
          const events = yield* EventStore.EventStore
          const registered = (yield* events.readAll(tenant, { after: 0, limit: 100_000 })).find(
            (e) => e.type === "HouseholdRegistered"
          )!
          const subject = registered.subjects[0]!
          const head = (yield* events.head(tenant)).position
          const worker = new Access.Principal({ id: "w-1", tenant, roles: ["worker", "auditor"], station: "s" })
          const denied = yield* Effect.flip(Access.erase(worker, tenant, subject, request))
          assert.strictEqual(denied._tag, "AccessDenied")
          const noBasis = yield* Effect.flip(Access.erase(admin, tenant, subject, { reason: "x" } as never))
          assert.strictEqual(noBasis._tag, "InvalidErasure")
          const nobody = yield* Effect.flip(Access.erase(admin, tenant, "p-nobody", request))
          assert.strictEqual(nobody._tag, "SubjectNotFound")
          assert.strictEqual((yield* events.head(tenant)).position, head)
        }).pipe(
          Effect.provide(Layer.merge(store.layer(), IdGenerator.layer)),
          Effect.provideService(Clock.Clock, clockFrom(articleTime))
        ),
      600_000
    )
  })
