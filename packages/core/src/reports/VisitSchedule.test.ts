import { assert, describe, it } from "@effect/vitest"
import { Projection, type Recorded } from "@shuangbai/eventsourcing"
import { ProjectionLaws } from "@shuangbai/testing"
import { Schema } from "effect"
import * as fc from "fast-check"
import type * as Domain from "../Domain.ts"
import * as Registry from "../registry/index.ts"
import * as Relief from "../relief/index.ts"
import * as Visits from "../visits/index.ts"
import * as Period from "./Period.ts"
import * as VisitSchedule from "./VisitSchedule.ts"

const asOf = "2025-03-31"

/** An event from plain fields, through its Schema (brands and checks included). */
const make = <S extends Schema.Top & { readonly identifier: string }>(schema: S, fields: Record<string, unknown>) =>
  Schema.decodeUnknownSync(schema as any)({ _tag: schema.identifier, ...fields }) as Domain.Event

/** In log order (the schedule reads payloads only, not streams). */
const recorded = (events: ReadonlyArray<Domain.Event>): ReadonlyArray<Recorded<Domain.Event>> =>
  events.map(ProjectionLaws.recorder<Domain.Event>())

const register = (household: string, station = "s1", registeredOn = "2024-01-01") =>
  make(Registry.Events.HouseholdRegistered, {
    household,
    station,
    township: "t1",
    village: "g1",
    address: "某村",
    head: { person: `${household}-head`, name: "户主", birthDate: "1950-01-01" },
    registeredOn
  })
const member = (household: string, person: string) =>
  make(Registry.Events.MemberAdded, { household, person, name: "成员", birthDate: "1950-01-01", relation: "Spouse" })
const assign = (household: string, person: string, category: string, verifiedOn = "2024-10-01") =>
  make(Registry.Events.CategoryAssigned, { household, person, category, verifiedBy: "b1", verifiedOn })
const risk = (household: string, level: string, assessedOn: string, person?: string) =>
  make(Registry.Events.RiskAssessed, {
    household,
    level,
    assessedOn,
    assessedBy: "w1",
    ...(person === undefined ? {} : { person })
  })
let visits = 0
const visit = (household: string, person: string, visitedOn: string, modality = "HomeVisit", id = `v${++visits}`) =>
  make(Visits.Events.VisitConducted, {
    visit: id,
    household,
    station: "s1",
    worker: "w1",
    visitedOn,
    personsSeen: [person],
    modality,
    findings: "好",
    needs: [],
    itemsGiven: []
  })
const scheduled = (id: string, household: string, dueOn: string) =>
  make(Visits.Events.VisitScheduled, {
    visit: id,
    household,
    persons: [`${household}-head`],
    worker: "w1",
    station: "s1",
    dueOn
  })

// One person per case, each in a household of their own (the head carries nothing).
const person = (name: string, category: string, ...more: ReadonlyArray<Domain.Event>) => [
  register(`h-${name}`),
  member(`h-${name}`, name),
  assign(`h-${name}`, name, category),
  ...more
]

const log = recorded([
  // High risk (own assessment) beats the category's quarterly cadence: weekly, last seen 20 March.
  ...person("high", "Disabled", risk("h-high", "High", "2025-01-01", "high"), visit("h-high", "high", "2025-03-20")),
  // High risk of the household applies to its members: weekly, due 4 April.
  ...person(
    "highHome",
    "LeftBehindElderly",
    risk("h-highHome", "High", "2025-02-01"),
    visit("h-highHome", "highHome", "2025-03-28")
  ),
  // 特困 monthly: last seen 20 February, due 22 March.
  ...person(
    "poverty",
    "ExtremePoverty",
    risk("h-poverty", "Low", "2025-01-01", "poverty"),
    visit("h-poverty", "poverty", "2025-02-20")
  ),
  // 困境儿童 monthly: due 9 April (not yet), and due 4 April.
  ...person("child", "ChildInDifficulty", visit("h-child", "child", "2025-03-10")),
  ...person("child2", "ChildInDifficulty", visit("h-child2", "child2", "2025-03-05")),
  // Others quarterly: seen 1 January, due 1 April; never seen since 1 October, due 30 December.
  ...person("other", "ElderlyLivingAlone", visit("h-other", "other", "2025-01-01")),
  ...person("never", "MinimumSubsistence"),
  // A phone call is not a home visit (by default): the last home visit was 10 January.
  ...person(
    "phone",
    "ExtremePoverty",
    visit("h-phone", "phone", "2025-01-10"),
    visit("h-phone", "phone", "2025-03-25", "Phone")
  ),
  // A voided visit does not count; an amended one counts on its corrected day.
  ...person(
    "voided",
    "ExtremePoverty",
    visit("h-voided", "voided", "2025-03-25", "HomeVisit", "v-void"),
    make(Visits.Events.VisitVoided, { visit: "v-void", household: "h-voided", reason: "重复" })
  ),
  ...person(
    "amended",
    "ExtremePoverty",
    visit("h-amended", "amended", "2025-01-05", "HomeVisit", "v-amend"),
    make(Visits.Events.VisitAmended, {
      visit: "v-amend",
      household: "h-amended",
      reason: "日期",
      visitedOn: "2025-03-20"
    })
  ),
  // A relief campaign's visit counts as a visit.
  ...person(
    "campaign",
    "ExtremePoverty",
    make(Relief.Events.RecipientVisited, {
      campaign: "k1",
      person: "campaign",
      household: "h-campaign",
      village: "g1",
      visitedOn: "2025-03-15",
      worker: "w1",
      station: "s1"
    })
  ),
  // Not recipients on 31 March: a category verified later, a household archived.
  ...person("later", "ExtremePoverty", assign("h-later", "later", "ChildInDifficulty", "2025-04-15")).filter(
    (e) => !(e._tag === "CategoryAssigned" && e.category === "ExtremePoverty")
  ),
  ...person(
    "archived",
    "ExtremePoverty",
    make(Registry.Events.HouseholdArchived, { household: "h-archived", archivedOn: "2025-02-01", reason: "迁出" })
  ),
  // Scheduled visits: overdue, due, done, far off.
  scheduled("vs-overdue", "h-other", "2025-03-25"),
  scheduled("vs-due", "h-other", "2025-04-03"),
  scheduled("vs-done", "h-other", "2025-03-01"),
  visit("h-other", "other-head", "2025-03-02", "HomeVisit", "vs-done"),
  scheduled("vs-later", "h-other", "2025-05-01")
])

const schedule = (options?: VisitSchedule.Options) =>
  VisitSchedule.view(Projection.fold(VisitSchedule.projection(asOf), log), options)

const rows = (s: VisitSchedule.Schedule) =>
  s.recipients.map(
    (r) => [r.person, r.status, r.dueOn, r.daysOverdue, r.intervalDays, r.risk] as ReadonlyArray<unknown>
  )

describe("VisitSchedule", () => {
  it("lists who is due and overdue under the default cadence, most overdue first", () => {
    const s = schedule()
    assert.deepStrictEqual(rows(s), [
      ["voided", "Overdue", "2024-10-31", 151, 30, "Unassessed"],
      ["never", "Overdue", "2024-12-30", 91, 90, "Unassessed"],
      ["phone", "Overdue", "2025-02-09", 50, 30, "Unassessed"],
      ["poverty", "Overdue", "2025-03-22", 9, 30, "Low"],
      ["high", "Overdue", "2025-03-27", 4, 7, "High"],
      ["other", "Due", "2025-04-01", 0, 90, "Unassessed"],
      ["child2", "Due", "2025-04-04", 0, 30, "Unassessed"],
      ["highHome", "Due", "2025-04-04", 0, 7, "High"]
    ])
    // Not due within the week: child (9 April), amended (19 April), campaign (14 April); not recipients: later, archived.
    assert.deepStrictEqual(s.totals, { recipients: 11, due: 3, overdue: 5 })
    assert.deepStrictEqual(
      s.scheduled.map((v) => [v.visit, v.status, v.daysOverdue]),
      [
        ["vs-overdue", "Overdue", 6],
        ["vs-due", "Due", 0]
      ]
    )
  })

  it("groups by category and risk level", () => {
    const groups = new Map(schedule().groups.map((g) => [`${g.category}/${g.risk}`, [g.recipients, g.due, g.overdue]]))
    assert.deepStrictEqual(groups.get("ExtremePoverty/Unassessed"), [4, 0, 2])
    assert.deepStrictEqual(groups.get("ExtremePoverty/Low"), [1, 0, 1])
    assert.deepStrictEqual(groups.get("Disabled/High"), [1, 0, 1])
    assert.deepStrictEqual(groups.get("LeftBehindElderly/High"), [1, 1, 0])
    assert.deepStrictEqual(groups.get("ChildInDifficulty/Unassessed"), [2, 1, 0])
    assert.deepStrictEqual(groups.get("MinimumSubsistence/Unassessed"), [1, 0, 1])
  })

  it("takes the cadence, the horizon and the modalities as configuration", () => {
    const monthlyForAll = schedule({ cadence: { byRisk: {}, byCategory: {}, otherwise: 30 }, horizonDays: 0 })
    const status = new Map<string, string>(monthlyForAll.recipients.map((r) => [r.person, r.status]))
    assert.strictEqual(status.get("other"), "Overdue") // seen 1 January, monthly now
    assert.strictEqual(status.get("high"), undefined) // seen 20 March, due 19 April
    assert.strictEqual(status.get("child2"), undefined) // due 4 April, beyond a horizon of 0
    const withPhone = schedule({ modalities: ["HomeVisit", "Phone"] })
    assert.isFalse(withPhone.recipients.some((r) => r.person === "phone"))
  })

  it("interval: the shortest cadence that applies, else the default", () => {
    const c = VisitSchedule.defaultCadence
    assert.strictEqual(VisitSchedule.intervalFor(c, "High", ["ExtremePoverty"]), 7)
    assert.strictEqual(VisitSchedule.intervalFor(c, "Medium", ["ExtremePoverty", "Disabled"]), 30)
    assert.strictEqual(VisitSchedule.intervalFor(c, "Low", ["Disabled"]), 90)
    assert.strictEqual(VisitSchedule.intervalFor(c, "Unassessed", []), 90)
  })

  it("status: overdue after the due day, due within the horizon, computed for any days", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: 0, max: 14 }),
        (base, offset, horizon) => {
          const dueOn = Period.addDays("2024-01-01", base)
          const on = Period.addDays(dueOn, offset)
          const status = VisitSchedule.statusOn(dueOn, on, horizon)
          if (offset > 0) assert.deepStrictEqual(status, { status: "Overdue", daysOverdue: offset })
          else if (-offset <= horizon) assert.deepStrictEqual(status, { status: "Due", daysOverdue: 0 })
          else assert.isUndefined(status)
        }
      )
    )
  })
})
