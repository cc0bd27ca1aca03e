import { Projection } from "@shuangbai/eventsourcing"
import { ProjectionLaws } from "@shuangbai/testing"
import * as fc from "fast-check"
import { assert, describe, it } from "vitest"
import { CampaignId, HouseholdId, PersonId, StationId, VillageId, WorkerId } from "../shared/Ids.ts"
import * as Events from "./Events.ts"
import * as Projections from "./Projections.ts"
import { category } from "./Stream.ts"

// The events as the store would log them: one stream per campaign, positions in order.
const record = (events: ReadonlyArray<Events.Event>) =>
  events.map(
    ProjectionLaws.recorder<Events.Event>((event) => ({
      stream: { category, id: event.campaign },
      occurredAt: "2025-01-21T16:00:00.000Z",
      recordedAt: "2025-01-21T16:00:00.000Z"
    }))
  )

const items = Events.ReliefItem.literals

// Small pools of ids, so that the same person, village and station come up again and again.
const campaignArb = fc.constantFrom("cold", "flood").map((id) => CampaignId.make(id))
const personArb = fc.integer({ min: 1, max: 8 }).map((n) => PersonId.make(`p${n}`))
const villageArb = fc.integer({ min: 1, max: 5 }).map((n) => VillageId.make(`v${n}`))
const stationArb = fc.constantFrom("huangpen", "qilong", "yangcheng").map((id) => StationId.make(id))
const itemArb = fc.constantFrom(...items)
const quantityArb = fc.integer({ min: 1, max: 50 })
const dateArb = fc.constantFrom("2025-01-20", "2025-01-22", "2025-04-25")
const worker = WorkerId.make("w1")
const household = HouseholdId.make("h1")

const eventArb: fc.Arbitrary<Events.Event> = fc.oneof(
  fc
    .record({ campaign: campaignArb, kind: fc.constantFrom(...Events.CampaignKind.literals), launchedOn: dateArb })
    .map((f) => new Events.CampaignLaunched({ ...f, title: "送暖入户", scope: { _tag: "CountyWide" } })),
  fc
    .record({ campaign: campaignArb, item: itemArb, quantity: quantityArb, receivedOn: dateArb })
    .map((f) => new Events.SuppliesReceived({ ...f, source: "县民政局" })),
  fc
    .record({
      campaign: campaignArb,
      item: itemArb,
      quantity: quantityArb,
      person: personArb,
      village: villageArb,
      station: stationArb,
      distributedOn: dateArb
    })
    .map((f) => new Events.SuppliesDistributed({ ...f, household, worker })),
  fc
    .record({ campaign: campaignArb, person: personArb, village: villageArb, station: stationArb, visitedOn: dateArb })
    .map((f) => new Events.RecipientVisited({ ...f, household, worker })),
  fc
    .record({
      campaign: campaignArb,
      person: personArb,
      fromVillage: villageArb,
      station: stationArb,
      assistedOn: dateArb
    })
    .map((f) => new Events.RelocationAssisted({ ...f, household, worker, toPlace: "安置点" })),
  fc.record({ campaign: campaignArb, closedOn: dateArb }).map((f) => new Events.CampaignClosed(f))
)

// An independent count: sort the ids and count the changes, no Set involved.
const distinct = (ids: ReadonlyArray<string>): number =>
  [...ids].sort().filter((id, i, sorted) => i === 0 || sorted[i - 1] !== id).length

describe("relief projections", () => {
  it("reproduces a cold-snap campaign's figures (F3–F6) and its stock", () => {
    const campaign = CampaignId.make("cold")
    const station = StationId.make("huangpen")
    const events: Array<Events.Event> = [
      new Events.CampaignLaunched({
        campaign,
        kind: "ColdSnap",
        title: "送暖入户",
        scope: { _tag: "CountyWide" },
        launchedOn: "2025-01-20"
      }),
      new Events.SuppliesReceived({
        campaign,
        item: "WinterClothing",
        quantity: 40,
        source: "县民政局",
        receivedOn: "2025-01-20"
      }),
      new Events.SuppliesReceived({
        campaign,
        item: "Quilt",
        quantity: 1,
        source: "爱心企业",
        receivedOn: "2025-01-20"
      })
    ]
    // 387 distinct persons in 46 distinct villages, some visited twice.
    for (let n = 0; n < 400; n++) {
      const p = n % 387
      events.push(
        new Events.RecipientVisited({
          campaign,
          person: PersonId.make(`p${p}`),
          household: HouseholdId.make(`h${p}`),
          village: VillageId.make(`v${p % 46}`),
          visitedOn: n < 387 ? "2025-01-22" : "2025-01-25",
          worker,
          station
        })
      )
    }
    for (let n = 0; n < 36; n++) {
      events.push(
        new Events.SuppliesDistributed({
          campaign,
          item: "WinterClothing",
          quantity: 1,
          person: PersonId.make(`p${n}`),
          household: HouseholdId.make(`h${n}`),
          village: VillageId.make(`v${n % 46}`),
          distributedOn: "2025-01-22",
          worker,
          station
        })
      )
    }
    events.push(
      new Events.SuppliesDistributed({
        campaign,
        item: "Quilt",
        quantity: 1,
        person: PersonId.make("p7"),
        household: HouseholdId.make("h7"),
        village: VillageId.make("v7"),
        distributedOn: "2025-01-22",
        worker,
        station
      })
    )
    const summary = Projection.fold(Projections.campaigns, record(events)).get("cold")!
    assert.strictEqual(summary.kind, "ColdSnap")
    assert.strictEqual(summary.villagesVisited.size, 46)
    assert.strictEqual(summary.recipientsVisited.size, 387)
    assert.strictEqual(summary.handedOut.WinterClothing, 36)
    assert.strictEqual(summary.handedOut.Quilt, 1)
    assert.strictEqual(Projections.stockOnHand(summary).WinterClothing, 4)
    assert.strictEqual(Projections.stockOnHand(summary).Quilt, 0)
    const byStation = Projection.fold(Projections.fieldWorkByStation, record(events)).get("cold")!.get("huangpen")!
    assert.strictEqual(byStation.recipientsVisited.size, 387)
    assert.strictEqual(byStation.handedOut.WinterClothing, 36)
  })

  it("counts a flood campaign's people visited (F7) and relocated (F8) as distinct persons", () => {
    const campaign = CampaignId.make("flood")
    const station = StationId.make("qilong")
    const events: Array<Events.Event> = []
    for (let n = 0; n < 222; n++) {
      const relocated = new Events.RelocationAssisted({
        campaign,
        person: PersonId.make(`p${n}`),
        household: HouseholdId.make(`h${n}`),
        fromVillage: VillageId.make("v1"),
        toPlace: "安置点",
        assistedOn: "2025-04-26",
        worker,
        station
      })
      // One in ten was moved twice (to a shelter, then to a relative's home): still one person.
      events.push(
        relocated,
        ...(n % 10 === 0 ? [new Events.RelocationAssisted({ ...relocated, toPlace: "亲戚家" })] : [])
      )
    }
    for (let n = 0; n < 808; n++) {
      events.push(
        new Events.RecipientVisited({
          campaign,
          person: PersonId.make(`p${n}`),
          household: HouseholdId.make(`h${n}`),
          village: VillageId.make(`v${n % 30}`),
          visitedOn: "2025-04-27",
          worker,
          station
        })
      )
    }
    const summary = Projection.fold(Projections.campaigns, record(events)).get("flood")!
    assert.strictEqual(summary.recipientsVisited.size, 808)
    assert.strictEqual(summary.relocated.size, 222)
  })

  it("ignores events of other stream categories", () => {
    const [recorded] = record([new Events.CampaignClosed({ campaign: CampaignId.make("x"), closedOn: "2025-01-01" })])
    const foreign = { ...recorded!, stream: { category: "visit", id: "x" } }
    assert.strictEqual(
      Projections.campaigns.evolve(Projections.campaigns.initial, foreign),
      Projections.campaigns.initial
    )
  })

  it("gives the same answer in one batch, one by one, and resumed from a saved state", () =>
    ProjectionLaws.check(
      [Projections.campaigns, Projections.fieldWorkByStation] as ReadonlyArray<
        Projection.Projection<Events.Event, unknown>
      >,
      fc.array(eventArb, { maxLength: 80 }).map(record)
    ))

  it("distinct counts and totals agree with an independent count", () =>
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 120 }), (events) => {
        const summaries = Projection.fold(Projections.campaigns, record(events))
        for (const id of ["cold", "flood"]) {
          const mine = events.filter((e) => e.campaign === id)
          const summary = summaries.get(id) ?? Projections.emptySummary
          const visits = mine.filter((e) => e._tag === "RecipientVisited")
          const relocations = mine.filter((e) => e._tag === "RelocationAssisted")
          assert.strictEqual(summary.recipientsVisited.size, distinct(visits.map((e) => e.person)))
          assert.strictEqual(summary.villagesVisited.size, distinct(visits.map((e) => e.village)))
          assert.strictEqual(summary.relocated.size, distinct(relocations.map((e) => e.person)))
          for (const item of items) {
            let inn = 0
            let out = 0
            for (const e of mine) {
              if (e._tag === "SuppliesReceived" && e.item === item) inn += e.quantity
              if (e._tag === "SuppliesDistributed" && e.item === item) out += e.quantity
            }
            assert.strictEqual(summary.received[item], inn)
            assert.strictEqual(summary.handedOut[item], out)
            assert.strictEqual(Projections.stockOnHand(summary)[item], inn - out)
          }
        }
      }),
      { numRuns: 200 }
    ))
})
