import { assert, describe, it } from "@effect/vitest"
import { Decider, EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { decider as registryDecider } from "../registry/Decide.ts"
import { type ConsentWithdrawn, HouseholdRegistered, MemberAdded } from "../registry/Events.ts"
import { handle as registryHandle } from "../registry/Handler.ts"
import * as Registry from "../registry/State.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
import { CampaignId, HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import * as Stations from "../stations/Handler.ts"
import { WorkerNotOnPostAtStation } from "../workforce/Decide.ts"
import * as Workforce from "../workforce/Handler.ts"
import * as Commands from "./Commands.ts"
import {
  CampaignAlreadyClosed,
  CampaignAlreadyLaunched,
  CampaignNotLaunched,
  type Context,
  DateBeforeLaunch,
  decider,
  RecipientNotRegistered,
  StationOutsideCampaign,
  StockInsufficient
} from "./Decide.ts"
import * as Events from "./Events.ts"
import { handle } from "./Handler.ts"
import * as State from "./State.ts"

const now = Date.parse("2025-02-10T10:00:00+08:00")
const today = "2025-02-10"
const tomorrow = "2025-02-11"
const campaign = CampaignId.make("cold-2025")
const person = PersonId.make("p1")
const household = HouseholdId.make("h1")
const village = VillageId.make("v1")
const worker = WorkerId.make("w1")
const station = StationId.make("huangpen")
const otherStation = StationId.make("qilong")

// What the handler reads from other streams: the recipients' household file (p1 its head, p2 and p3
// members), and w1 on post at huangpen that day.
const fileOf = (...events: ReadonlyArray<ConsentWithdrawn>): Registry.State =>
  Decider.fold(registryDecider, [
    new HouseholdRegistered({
      household,
      station,
      township: TownshipId.make("t1"),
      village,
      address: "黄盆村 1 号",
      head: { person, name: "李大爷", birthDate: "1940-03-02" },
      registeredOn: "2024-01-01"
    }),
    ...["p2", "p3"].map(
      (p) =>
        new MemberAdded({
          household,
          person: PersonId.make(p),
          name: "李家人",
          birthDate: "1970-01-01",
          relation: "Child"
        })
    ),
    ...events
  ])
const onFile = fileOf()
const notOnFile = Registry.initial
const onPost = (...entries: ReadonlyArray<readonly [string, string]>): ReadonlyMap<WorkerId, StationId> =>
  new Map(entries.map(([w, s]) => [WorkerId.make(w), StationId.make(s)]))
const context: Context = {
  tenant: "yangshan",
  actor: { id: "w1", role: "worker" },
  now,
  household: onFile,
  onPost: onPost(["w1", "huangpen"])
}

const launch = new Commands.LaunchCampaign({
  campaign,
  kind: "ColdSnap",
  title: "寒冬送温暖",
  scope: { _tag: "CountyWide" },
  launchedOn: "2025-01-20"
})
const launched = new Events.CampaignLaunched({
  campaign,
  kind: "ColdSnap",
  title: "寒冬送温暖",
  scope: { _tag: "CountyWide" },
  launchedOn: "2025-01-20"
})
const received = (item: Events.ReliefItem, quantity: number) =>
  new Events.SuppliesReceived({ campaign, item, quantity, source: "县民政局", receivedOn: "2025-01-21" })
const receive = (item: Events.ReliefItem, quantity: number) =>
  new Commands.ReceiveSupplies({ campaign, item, quantity, source: "县民政局", receivedOn: "2025-01-21" })
const distribute = (item: Events.ReliefItem, quantity: number, on = "2025-01-22") =>
  new Commands.DistributeSupplies({
    campaign,
    item,
    quantity,
    person,
    household,
    village,
    distributedOn: on,
    worker,
    station
  })
const distributed = (item: Events.ReliefItem, quantity: number) =>
  new Events.SuppliesDistributed({
    campaign,
    item,
    quantity,
    person,
    household,
    village,
    distributedOn: "2025-01-22",
    worker,
    station
  })
const visit = (on = "2025-01-22", who = person) =>
  new Commands.VisitRecipient({ campaign, person: who, household, village, visitedOn: on, worker, station })
const visited = (on = "2025-01-22", who = person) =>
  new Events.RecipientVisited({ campaign, person: who, household, village, visitedOn: on, worker, station })
const relocate = new Commands.AssistRelocation({
  campaign,
  person,
  household,
  fromVillage: village,
  toPlace: "镇中心小学安置点",
  assistedOn: "2025-01-23",
  worker,
  station
})
const close = (on = "2025-01-31") => new Commands.CloseCampaign({ campaign, closedOn: on })
const closed = new Events.CampaignClosed({ campaign, closedOn: "2025-01-31" })

const spec = DeciderSpec.make(decider, { now, household: onFile, onPost: onPost(["w1", "huangpen"]) })

describe("relief: launching and closing", () => {
  it("launches a campaign", () => spec.given([]).when(launch).then([launched]))

  it("launching again with the same details records nothing", () => spec.given([launched]).when(launch).thenNothing())

  it("CampaignAlreadyLaunched: launching again with other details", () =>
    spec
      .given([launched])
      .when(new Commands.LaunchCampaign({ ...launch, title: "送暖入户" }))
      .thenFails(CampaignAlreadyLaunched))

  it("CampaignAlreadyLaunched: the same title with other stations", () =>
    spec
      .given([launched])
      .when(new Commands.LaunchCampaign({ ...launch, scope: { _tag: "Stations", stations: [station] } }))
      .thenFails(CampaignAlreadyLaunched))

  it("CampaignNotLaunched: supplies for a campaign that was never launched", () =>
    spec.given([]).when(receive("Quilt", 1)).thenFails(CampaignNotLaunched))

  it("CampaignNotLaunched: closing a campaign that was never launched", () =>
    spec.given([]).when(close()).thenFails(CampaignNotLaunched))

  it("closes a campaign, and closing again records nothing", () => {
    spec.given([launched]).when(close()).then([closed])
    spec.given([launched, closed]).when(close("2025-02-01")).thenNothing()
  })

  it("CampaignAlreadyClosed: nothing is recorded after the close", () => {
    const history = [launched, received("Quilt", 5), closed]
    for (const command of [receive("Quilt", 1), distribute("Quilt", 1), visit(), relocate]) {
      spec.given(history).when(command).thenFails(CampaignAlreadyClosed)
    }
  })

  it("DateIsInFuture: a launch dated tomorrow", () =>
    spec
      .given([])
      .when(new Commands.LaunchCampaign({ ...launch, launchedOn: tomorrow }))
      .thenFails(DateIsInFuture))

  it("DateIsInFuture: every dated command refuses tomorrow and accepts today", () => {
    const history = [launched, received("Quilt", 5)]
    const dated = (on: string) => [
      new Commands.ReceiveSupplies({ ...receive("Quilt", 1), receivedOn: on }),
      distribute("Quilt", 1, on),
      visit(on),
      new Commands.AssistRelocation({ ...relocate, assistedOn: on }),
      close(on)
    ]
    for (const command of dated(tomorrow)) spec.given(history).when(command).thenFails(DateIsInFuture)
    for (const command of dated(today)) {
      assert.isTrue(Result.isSuccess(decider.decide(command, Decider.fold(decider, history), context)))
    }
  })

  it("DateBeforeLaunch: supplies dated before the launch", () =>
    spec
      .given([launched])
      .when(new Commands.ReceiveSupplies({ ...receive("Quilt", 1), receivedOn: "2025-01-19" }))
      .thenFails(DateBeforeLaunch))

  it("DateBeforeLaunch: a close dated before the launch", () =>
    spec.given([launched]).when(close("2025-01-01")).thenFails(DateBeforeLaunch))
})

describe("relief: supplies", () => {
  it("receives supplies", () =>
    spec
      .given([launched])
      .when(receive("Quilt", 3))
      .then([received("Quilt", 3)]))

  it("hands out what was received", () =>
    spec
      .given([launched, received("WinterClothing", 36)])
      .when(distribute("WinterClothing", 36))
      .then([distributed("WinterClothing", 36)]))

  it("StockInsufficient: more than was received", () =>
    spec
      .given([launched, received("Quilt", 1)])
      .when(distribute("Quilt", 2))
      .thenFails(StockInsufficient))

  it("StockInsufficient: what was received earlier was already handed out", () =>
    spec
      .given([launched, received("Quilt", 2), distributed("Quilt", 2)])
      .when(distribute("Quilt", 1))
      .thenFails(StockInsufficient))

  it("StockInsufficient: stock is per item, so water received does not make quilts", () => {
    const refused = spec
      .given([launched, received("DrinkingWater", 100)])
      .when(distribute("Quilt", 1))
      .thenFails(StockInsufficient)
    assert.deepStrictEqual(refused.fields, { item: "Quilt", requested: 1, onHand: 0 })
  })

  it("RecipientNotRegistered: supplies for someone not on file", () =>
    spec
      .given([launched, received("Quilt", 1)])
      .when(distribute("Quilt", 1), { household: notOnFile })
      .thenFails(RecipientNotRegistered))

  it("StationOutsideCampaign: a station the campaign does not cover hands out supplies", () => {
    const onlyHuangpen = new Events.CampaignLaunched({ ...launched, scope: { _tag: "Stations", stations: [station] } })
    const command = new Commands.DistributeSupplies({ ...distribute("Quilt", 1), station: otherStation })
    spec
      .given([onlyHuangpen, received("Quilt", 1)])
      .when(command)
      .thenFails(StationOutsideCampaign)
    spec
      .given([onlyHuangpen, received("Quilt", 1)])
      .when(distribute("Quilt", 1))
      .then([distributed("Quilt", 1)])
  })

  it("quantities are positive integers: the command schema refuses 0, -1 and 1.5 and names the field", () => {
    const decode = Schema.decodeUnknownResult(Commands.Command)
    const encoded = { ...Schema.encodeSync(Commands.Command)(receive("Quilt", 1)) }
    assert.isTrue(Result.isSuccess(decode(encoded)))
    for (const quantity of [0, -1, 1.5, Number.NaN]) {
      const result = decode({ ...encoded, quantity })
      assert.isTrue(Result.isFailure(result), `quantity ${quantity} was accepted`)
      if (Result.isFailure(result)) assert.include(String(result.failure), "quantity")
    }
  })
})

describe("relief: visits and relocations", () => {
  it("records a campaign visit", () => spec.given([launched]).when(visit()).then([visited()]))

  it("the same person visited on the same day is recorded once", () =>
    spec.given([launched, visited()]).when(visit()).thenNothing())

  it("the same person visited on another day is another visit", () =>
    spec
      .given([launched, visited()])
      .when(visit("2025-01-25"))
      .then([visited("2025-01-25")]))

  it("RecipientNotRegistered: a campaign visit to someone not on file", () =>
    spec.given([launched]).when(visit(), { household: notOnFile }).thenFails(RecipientNotRegistered))

  it("StationOutsideCampaign: a campaign visit by a station outside the campaign", () => {
    const onlyHuangpen = new Events.CampaignLaunched({ ...launched, scope: { _tag: "Stations", stations: [station] } })
    spec
      .given([onlyHuangpen])
      .when(new Commands.VisitRecipient({ ...visit(), station: otherStation }))
      .thenFails(StationOutsideCampaign)
  })

  it("a relocation needs no registration: people moved to safety are often not on file", () =>
    spec
      .given([launched])
      .when(relocate, { household: notOnFile })
      .then([
        new Events.RelocationAssisted({
          campaign,
          person,
          household,
          fromVillage: village,
          toPlace: "镇中心小学安置点",
          assistedOn: "2025-01-23",
          worker,
          station
        })
      ]))
})

describe("relief: field work by a worker on post at the station named", () => {
  const history = [launched, received("Quilt", 5)]
  const fieldWork = [
    ["distributedOn", distribute("Quilt", 1)],
    ["visitedOn", visit()],
    ["assistedOn", relocate]
  ] as const
  const dayOf = (command: (typeof fieldWork)[number][1]) =>
    command._tag === "DistributeSupplies"
      ? command.distributedOn
      : command._tag === "VisitRecipient"
        ? command.visitedOn
        : command.assistedOn

  it("records a distribution, a campaign visit and a relocation by a worker on post at the station that day", () => {
    spec
      .given(history)
      .when(distribute("Quilt", 1))
      .then([distributed("Quilt", 1)])
    spec.given(history).when(visit()).then([visited()])
    spec
      .given(history)
      .when(relocate)
      .then([
        new Events.RelocationAssisted({
          campaign,
          person,
          household,
          fromVillage: village,
          toPlace: "镇中心小学安置点",
          assistedOn: "2025-01-23",
          worker,
          station
        })
      ])
  })

  it("WorkerNotOnPostAtStation: not on post that day, naming the worker, the station and the day", () => {
    for (const [, command] of fieldWork) {
      const violation = spec.given(history).when(command, { onPost: onPost() }).thenFails(WorkerNotOnPostAtStation)
      assert.deepStrictEqual(violation.fields, { worker: "w1", station: "huangpen", date: dayOf(command) })
      // Not read is not on post.
      const { onPost: _, ...notRead } = context
      const decided = decider.decide(command, Decider.fold(decider, history), notRead)
      assert.isTrue(Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure))
    }
  })

  it("WorkerNotOnPostAtStation: on post at another station; another worker on post does not stand in", () => {
    for (const [, command] of fieldWork) {
      spec
        .given(history)
        .when(command, { onPost: onPost(["w1", "qilong"]) })
        .thenFails(WorkerNotOnPostAtStation)
      spec
        .given(history)
        .when(command, { onPost: onPost(["w2", "huangpen"]) })
        .thenFails(WorkerNotOnPostAtStation)
    }
  })

  it("a relocation, which needs no registration, still needs its worker on post", () =>
    spec
      .given([launched])
      .when(relocate, { household: notOnFile, onPost: onPost() })
      .thenFails(WorkerNotOnPostAtStation))

  it("the campaign's own rules and the recipient's file are checked before the worker", () => {
    const onlyHuangpen = new Events.CampaignLaunched({ ...launched, scope: { _tag: "Stations", stations: [station] } })
    spec
      .given([onlyHuangpen, received("Quilt", 5)])
      .when(new Commands.DistributeSupplies({ ...distribute("Quilt", 1), station: otherStation }), {
        onPost: onPost()
      })
      .thenFails(StationOutsideCampaign)
    spec
      .given(history)
      .when(distribute("Quilt", 1, tomorrow), { onPost: onPost() })
      .thenFails(DateIsInFuture)
    spec.given(history).when(visit(), { onPost: onPost(), household: notOnFile }).thenFails(RecipientNotRegistered)
  })

  it("for any post of the worker that day, field work is recorded exactly when it is at the station named", () =>
    fc.assert(
      fc.property(
        fc.constantFrom(...fieldWork.map(([, command]) => command)),
        fc.constantFrom("w1", "w2"),
        fc.option(fc.constantFrom("huangpen", "qilong"), { nil: undefined }),
        fc.constantFrom("huangpen", "qilong"),
        (command, who, at, named) => {
          const sent =
            command._tag === "DistributeSupplies"
              ? new Commands.DistributeSupplies({ ...command, station: StationId.make(named) })
              : command._tag === "VisitRecipient"
                ? new Commands.VisitRecipient({ ...command, station: StationId.make(named) })
                : new Commands.AssistRelocation({ ...command, station: StationId.make(named) })
          const decided = decider.decide(sent, Decider.fold(decider, history), {
            ...context,
            onPost: at === undefined ? onPost() : onPost([who, at])
          })
          const onPostThere = who === "w1" && at === named
          assert.strictEqual(Result.isSuccess(decided), onPostThere)
          if (Result.isFailure(decided)) {
            assert.isTrue(WorkerNotOnPostAtStation.is(decided.failure))
            assert.deepStrictEqual(decided.failure.fields, { worker: "w1", station: named, date: dayOf(command) })
          }
        }
      )
    ))
})

// Model-based: random receive/distribute/close sequences per item against a model that only adds numbers.
describe("relief: model-based", () => {
  const items = ["Quilt", "WinterClothing", "DrinkingWater"] as const
  type Step =
    | { readonly _tag: "receive"; readonly item: Events.ReliefItem; readonly quantity: number }
    | { readonly _tag: "distribute"; readonly item: Events.ReliefItem; readonly quantity: number }
    | { readonly _tag: "visit"; readonly person: string }
    | { readonly _tag: "close" }
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        _tag: fc.constant("receive" as const),
        item: fc.constantFrom(...items),
        quantity: fc.integer({ min: 1, max: 5 })
      })
    },
    {
      weight: 6,
      arbitrary: fc.record({
        _tag: fc.constant("distribute" as const),
        item: fc.constantFrom(...items),
        quantity: fc.integer({ min: 1, max: 5 })
      })
    },
    {
      weight: 2,
      arbitrary: fc.record({ _tag: fc.constant("visit" as const), person: fc.constantFrom("p1", "p2", "p3") })
    },
    { weight: 1, arbitrary: fc.constant({ _tag: "close" as const }) }
  )
  const commandOf = (s: Step): Commands.Command => {
    switch (s._tag) {
      case "receive":
        return receive(s.item, s.quantity)
      case "distribute":
        return distribute(s.item, s.quantity)
      case "visit":
        return visit("2025-01-22", PersonId.make(s.person))
      case "close":
        return close()
    }
  }

  it("never hands out more of an item than it received, and records nothing after the close", () =>
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state = Decider.fold(decider, [launched])
        const model = { received: new Map<string, number>(), distributed: new Map<string, number>(), closed: false }
        for (const s of steps) {
          const result = decider.decide(commandOf(s), state, context)
          if (model.closed) {
            // After the close: closing again is a no-op, anything else is refused.
            if (s._tag === "close") assert.deepStrictEqual(result, Result.succeed([]))
            else assert.strictEqual(Result.isFailure(result) && result.failure.code, CampaignAlreadyClosed.code)
          } else if (s._tag === "distribute") {
            const onHand = (model.received.get(s.item) ?? 0) - (model.distributed.get(s.item) ?? 0)
            if (s.quantity <= onHand) {
              assert.isTrue(Result.isSuccess(result))
              model.distributed.set(s.item, (model.distributed.get(s.item) ?? 0) + s.quantity)
            } else assert.strictEqual(Result.isFailure(result) && result.failure.code, StockInsufficient.code)
          } else {
            assert.isTrue(Result.isSuccess(result))
            if (s._tag === "receive") model.received.set(s.item, (model.received.get(s.item) ?? 0) + s.quantity)
            if (s._tag === "close") model.closed = true
          }
          if (Result.isSuccess(result)) state = result.success.reduce(decider.evolve, state)
          // Invariants at every step, read from the decider's own state.
          assert.strictEqual(state._tag, model.closed ? "Closed" : "Open")
          if (state._tag !== "NotLaunched") {
            for (const item of items) {
              assert.isAtMost(state.distributed[item], state.received[item])
              assert.strictEqual(state.received[item], model.received.get(item) ?? 0)
              assert.strictEqual(state.distributed[item], model.distributed.get(item) ?? 0)
              assert.isAtLeast(State.onHand(state, item), 0)
            }
          }
        }
      }),
      { numRuns: 300 }
    ))
})

describe("relief: handler", () => {
  const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())
  const tenant = "yangshan"
  const actor = { id: "w1", role: "worker", station: "huangpen" }
  const bureau = { id: "bureau-1", role: "bureau" }
  const send = (command: Commands.Command, commandId: string) =>
    handle(tenant, Schema.encodeSync(Commands.Command)(command), { actor, commandId })

  // Stations huangpen and qilong; w1 on post at huangpen from 2025-01-22 to 2025-01-24, w2 at qilong from 2025-01-01.
  const county = Effect.gen(function* () {
    yield* Stations.handleCounty(
      tenant,
      {
        _tag: "ConfigureCounty",
        name: "阳山县",
        townships: [
          { township: "huangpen", name: "黄盆镇" },
          { township: "qilong", name: "七拱镇" }
        ]
      },
      { actor: bureau, commandId: "county" }
    )
    for (const at of ["huangpen", "qilong"]) {
      yield* Stations.handle(
        tenant,
        { _tag: "EstablishStation", township: at, station: at, name: `${at}社工站`, establishedOn: "2024-12-01" },
        { actor: bureau, commandId: `station-${at}` }
      )
      yield* Workforce.handle(
        tenant,
        { _tag: "AllotPosts", station: at, posts: 1, allottedOn: "2024-12-01" },
        { actor: bureau, commandId: `posts-${at}` }
      )
    }
    yield* Workforce.handle(
      tenant,
      { _tag: "HireWorker", worker: "w1", name: "李社工", station: "huangpen", hiredOn: "2025-01-22" },
      { actor: bureau, commandId: "hire-w1" }
    )
    yield* Workforce.handle(
      tenant,
      { _tag: "EndEmployment", worker: "w1", leftOn: "2025-01-24", reason: "Resigned" },
      { actor: bureau, commandId: "leave-w1" }
    )
    yield* Workforce.handle(
      tenant,
      { _tag: "HireWorker", worker: "w2", name: "陈社工", station: "qilong", hiredOn: "2025-01-01" },
      { actor: bureau, commandId: "hire-w2" }
    )
    yield* registryHandle(
      tenant,
      {
        _tag: "RegisterHousehold",
        household: "h1",
        station: "huangpen",
        township: "huangpen",
        village: "v1",
        address: "黄盆镇某村 1 号",
        head: { person: "p1", name: "李大爷", birthDate: "1940-03-02" },
        registeredOn: "2024-06-01"
      },
      { actor, commandId: "r1" }
    )
  })

  it.effect("distributes to a member of a registered household and refuses anyone else", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* county
      yield* send(launch, "c1")
      yield* send(receive("Quilt", 1), "c2")
      const handed = yield* send(distribute("Quilt", 1), "c3")
      assert.deepStrictEqual(handed.events[0]!.subjects, ["h1", "p1"])
      assert.strictEqual(handed.events[0]!.occurredAt, "2025-01-21T16:00:00.000Z")
      yield* send(receive("Quilt", 1), "c4")
      const stranger = new Commands.DistributeSupplies({ ...distribute("Quilt", 1), person: PersonId.make("p9") })
      const error = yield* Effect.flip(send(stranger, "c5"))
      assert.strictEqual(error._tag === "RuleViolation" && error.code, RecipientNotRegistered.code)
      const noFile = new Commands.VisitRecipient({ ...visit(), household: HouseholdId.make("h404") })
      const again = yield* Effect.flip(send(noFile, "c6"))
      assert.strictEqual(again._tag === "RuleViolation" && again.code, RecipientNotRegistered.code)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("refuses field work by a worker not on post at the station that day, and writes nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* county
      yield* send(launch, "c1")
      yield* send(receive("Quilt", 5), "c2")
      const store = yield* EventStore.EventStore
      const head = (yield* store.head(tenant)).position
      const refusals: ReadonlyArray<readonly [Commands.Command, Record<string, string>]> = [
        // Before the hire, and after the last day on post.
        [distribute("Quilt", 1, "2025-01-21"), { worker: "w1", station: "huangpen", date: "2025-01-21" }],
        [visit("2025-01-25"), { worker: "w1", station: "huangpen", date: "2025-01-25" }],
        // On post, but at another station than the one named.
        [
          new Commands.AssistRelocation({ ...relocate, worker: WorkerId.make("w2") }),
          { worker: "w2", station: "huangpen", date: "2025-01-23" }
        ]
      ]
      for (const [i, [command, fields]] of refusals.entries()) {
        const error = yield* Effect.flip(send(command, `refused-${i}`))
        assert.deepStrictEqual(WorkerNotOnPostAtStation.is(error) && error.fields, fields)
      }
      assert.strictEqual((yield* store.head(tenant)).position, head)
      // Within w1's days on post at huangpen: each recorded.
      yield* send(distribute("Quilt", 1, "2025-01-22"), "ok-1")
      yield* send(visit("2025-01-24"), "ok-2")
      yield* send(relocate, "ok-3")
      // w2 at qilong, in a county-wide campaign.
      yield* send(
        new Commands.AssistRelocation({ ...relocate, worker: WorkerId.make("w2"), station: otherStation }),
        "ok-4"
      )
      assert.strictEqual((yield* store.head(tenant)).position, head + 4)
    }).pipe(Effect.provide(TestLayer))
  )
})

describe("relief: laws", () => {
  // Commands over small pools, so that sequences launch, stock, hand out and close the same campaign.
  const dateArb = fc.constantFrom("2024-01-20", "2024-01-22", "2024-04-25", "2025-01-22")
  const itemArb = fc.constantFrom("Quilt", "WinterClothing", "Food" as const)
  const focused: fc.Arbitrary<Commands.Command> = fc.oneof(
    fc
      .record({ launchedOn: dateArb, kind: fc.constantFrom("ColdSnap", "Flood" as const) })
      .map((f) => new Commands.LaunchCampaign({ ...launch, ...f })),
    fc
      .record({ item: itemArb, quantity: fc.integer({ min: 1, max: 5 }), receivedOn: dateArb })
      .map((f) => new Commands.ReceiveSupplies({ ...receive("Quilt", 1), ...f })),
    fc
      .record({ item: itemArb, quantity: fc.integer({ min: 1, max: 5 }), on: dateArb })
      .map((f) => distribute(f.item, f.quantity, f.on)),
    dateArb.map((on) => visit(on)),
    dateArb.map((on) => new Commands.AssistRelocation({ ...relocate, assistedOn: on })),
    dateArb.map((on) => close(on))
  )
  const contextArb = fc.tuple(DeciderLaws.defaultContext, fc.boolean(), fc.boolean()).map(
    ([base, recipientOnFile, workerOnPost]): Context => ({
      ...base,
      household: recipientOnFile ? onFile : notOnFile,
      ...(workerOnPost ? { onPost: onPost(["w1", "huangpen"]) } : {})
    })
  )

  it("the campaign decider obeys the decider laws", () =>
    DeciderLaws.check({
      decider,
      command: fc.oneof({ weight: 4, arbitrary: focused }, { weight: 1, arbitrary: Arbitrary.make(Commands.Command) }),
      context: contextArb,
      numRuns: 300
    }))
})
