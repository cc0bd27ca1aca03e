import { assert, describe, it } from "@effect/vitest"
import { EventStore, IdGenerator, StreamId } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Registry from "../registry/Handler.ts"
import { handle } from "./Handler.ts"
import { caseIdOf, streamOf } from "./Stream.ts"

const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

// The in-memory store with a yield before each append, and a count of the conflicts it reports: every
// concurrent writer loads and decides before any of them appends, so the race is real, not sequential.
const racing = (conflicts: { count: number }) =>
  Layer.mergeAll(
    Layer.effect(
      EventStore.EventStore,
      Effect.map(EventStore.makeMemory(), (store) => ({
        ...store,
        append: (request: EventStore.AppendRequest) =>
          Effect.andThen(Effect.yieldNow, store.append(request)).pipe(
            Effect.tapError((e) => Effect.sync(() => e._tag === "ConcurrencyConflict" && conflicts.count++))
          )
      }))
    ),
    IdGenerator.layerDeterministic()
  )
const tenant = "yangshan"
const actor = { id: "w-01", role: "worker", station: "s-qigong" }
const today = Date.parse("2024-07-01T04:00:00Z")

const openCase = (worker: string, openedOn = "2024-06-01") => ({
  _tag: "OpenCase",
  person: "p-001",
  household: "h-001",
  station: "s-qigong",
  worker,
  caseType: "ElderlyCare",
  riskLevel: "High",
  openedOn
})
const id = caseIdOf("p-001" as never, "ElderlyCare")
const send = (input: unknown, commandId: string) => handle(tenant, input, { actor, commandId })

describe("casework handler", () => {
  it.effect("one open case per recipient and type, whatever concurrent writers do", () => {
    const conflicts = { count: 0 }
    return Effect.gen(function* () {
      yield* TestClock.setTime(today)
      const workers = ["w-01", "w-02", "w-03", "w-04", "w-05", "w-06"]
      const results = yield* Effect.forEach(workers, (w, i) => Effect.result(send(openCase(w), `open-${i}`)), {
        concurrency: "unbounded"
      })
      const succeeded = results.filter((r) => r._tag === "Success")
      const refused = results.filter((r) => r._tag === "Failure")
      assert.strictEqual(succeeded.length, 1)
      assert.strictEqual(refused.length, workers.length - 1)
      for (const r of refused) {
        assert.isTrue(
          r._tag === "Failure" && r.failure._tag === "RuleViolation" && r.failure.code === "CaseAlreadyOpen"
        )
      }
      const store = yield* EventStore.EventStore
      const events = yield* store.readStream(tenant, streamOf(id))
      assert.deepStrictEqual(
        events.map((e) => e.type),
        ["CaseOpened"]
      )
      assert.isAbove(conflicts.count, 0, "the writers raced")
    }).pipe(Effect.provide(racing(conflicts)))
  })

  it.effect("a reopen and a new opening racing on a closed case leave one case open", () => {
    const conflicts = { count: 0 }
    return Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* send(openCase("w-01"), "c1")
      yield* send({ _tag: "CloseCase", case: id, reason: "ServiceRefused", closedOn: "2024-06-10", notes: "" }, "c2")
      const results = yield* Effect.all(
        [
          Effect.result(send({ _tag: "ReopenCase", case: id, reason: "再次求助", reopenedOn: "2024-06-20" }, "c3")),
          Effect.result(send(openCase("w-02", "2024-06-20"), "c4")),
          Effect.result(send(openCase("w-03", "2024-06-21"), "c5"))
        ],
        { concurrency: "unbounded" }
      )
      const store = yield* EventStore.EventStore
      const types = (yield* store.readStream(tenant, streamOf(id))).map((e) => e.type)
      assert.strictEqual(types.length, 3, types.join())
      assert.include(["CaseReopened", "CaseOpened"], types[2])
      assert.isAbove(results.filter((r) => r._tag === "Success").length, 0)
      assert.isAbove(conflicts.count, 0, "the writers raced")
    }).pipe(Effect.provide(racing(conflicts)))
  })

  it.effect("names the recipient and household as subjects of every case event", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      yield* send(openCase("w-01"), "c1")
      const assessed = yield* send(
        { _tag: "RecordAssessment", case: id, needs: ["生活照料"], riskLevel: "High", assessedOn: "2024-06-02" },
        "c2"
      )
      assert.deepStrictEqual(assessed.events[0]!.subjects, ["h-001", "p-001"])
      assert.strictEqual(assessed.events[0]!.occurredAt, "2024-06-01T16:00:00.000Z")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a referral reads the recipient's consent from their household file", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      const registry = (input: unknown, commandId: string) => Registry.handle(tenant, input, { actor, commandId })
      yield* registry(
        {
          _tag: "RegisterHousehold",
          household: "h-001",
          station: "s-qigong",
          township: "t-qigong",
          village: "v-1",
          address: "七拱镇某村 3 号",
          head: { person: "p-001", name: "陈伯", birthDate: "1948-02-03" },
          registeredOn: "2024-01-05"
        },
        "r1"
      )
      yield* send(openCase("w-01"), "c1")
      const refer = (n: number) =>
        send(
          {
            _tag: "MakeReferral",
            case: id,
            referral: `ref-${n}`,
            organisation: "县人民医院",
            reason: "就医",
            referredOn: "2024-06-05"
          },
          `refer-${n}`
        )
      const refused = yield* Effect.flip(refer(1))
      assert.isTrue(refused._tag === "RuleViolation" && refused.code === "NoConsentToRefer")
      yield* registry(
        {
          _tag: "RecordConsent",
          household: "h-001",
          person: "p-001",
          scope: "Referral",
          givenBy: "p-001",
          givenOn: "2024-06-04"
        },
        "r2"
      )
      const made = yield* refer(2)
      assert.deepStrictEqual(
        made.events.map((e) => e.type),
        ["ReferralMade"]
      )
      yield* registry(
        {
          _tag: "WithdrawConsent",
          household: "h-001",
          person: "p-001",
          scope: "Referral",
          withdrawnBy: "p-001",
          withdrawnOn: "2024-06-06"
        },
        "r3"
      )
      const again = yield* Effect.flip(refer(3))
      assert.isTrue(again._tag === "RuleViolation" && again.code === "NoConsentToRefer")
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("an unknown case id is refused, not created", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(today)
      const error = yield* Effect.flip(
        send({ _tag: "RecordFollowUp", case: "nobody.ElderlyCare", followedUpOn: "2024-06-02", notes: "" }, "c1")
      )
      assert.isTrue(error._tag === "RuleViolation" && error.code === "CaseNotOpened")
      const store = yield* EventStore.EventStore
      assert.strictEqual((yield* store.head(tenant)).position, 0)
      assert.strictEqual(StreamId.format(streamOf(id)), "case/p-001.ElderlyCare")
    }).pipe(Effect.provide(TestLayer))
  )
})
