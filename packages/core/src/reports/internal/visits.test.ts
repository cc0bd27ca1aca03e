import { assert, describe, it } from "@effect/vitest"
import { Projection, type Recorded } from "@shuangbai/eventsourcing"
import * as fc from "fast-check"
import type { Event } from "../../Domain.ts"
import { PersistentMap } from "../../shared/Persistent.ts"
import * as Visits from "./visits.ts"

// `counted` keeps, per household and in columns, what `conducted` keeps per visit: both must describe the
// same visits after any run of visits conducted, amended and voided as the visits decider writes them
// (an amendment or a void names the visit's own household).

const dates = fc
  .record({
    year: fc.integer({ min: 2023, max: 2025 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 })
  })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`)
const modalities = fc.constantFrom("HomeVisit", "Phone", "Video", "AtStation")
// Sixty persons in a household's pool: more than the 30 a visit can name by bits, so both encodings run.
const persons = fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { maxLength: 16, size: "max" })

type Step =
  | {
      readonly kind: "conduct"
      readonly visit: number
      readonly household: number
      readonly station: number
      readonly on: string
      readonly modality: string
      readonly persons: ReadonlyArray<number>
    }
  | {
      readonly kind: "amend"
      readonly visit: number
      readonly on?: string
      readonly modality?: string
      readonly persons?: ReadonlyArray<number>
    }
  | { readonly kind: "void"; readonly visit: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("conduct" as const),
    visit: fc.nat(30),
    household: fc.nat(2),
    station: fc.nat(3),
    on: dates,
    modality: modalities,
    persons
  }),
  fc.record(
    { kind: fc.constant("amend" as const), visit: fc.nat(30), on: dates, modality: modalities, persons },
    { requiredKeys: ["kind", "visit"] }
  ),
  fc.record({ kind: fc.constant("void" as const), visit: fc.nat(30) })
)

/** The events of the steps, as the decider allows them: one conduct per visit, then amends and a void. */
const eventsOf = (steps: ReadonlyArray<Step>): ReadonlyArray<Recorded<Event>> => {
  const household = new Map<number, string>()
  const voided = new Set<number>()
  const events: Array<Record<string, unknown>> = []
  for (const s of steps) {
    const visit = `v-${s.visit}`
    const of = (h: number) => (p: number) => `h${h}-p${p}`
    if (s.kind === "conduct") {
      if (household.has(s.visit)) continue
      household.set(s.visit, `h${s.household}`)
      events.push({
        _tag: "VisitConducted",
        visit,
        household: `h${s.household}`,
        station: `s${s.station}`,
        visitedOn: s.on,
        modality: s.modality,
        personsSeen: s.persons.map(of(s.household))
      })
      continue
    }
    const h = household.get(s.visit)
    if (h === undefined || voided.has(s.visit)) continue
    if (s.kind === "void") {
      voided.add(s.visit)
      events.push({ _tag: "VisitVoided", visit, household: h })
    } else {
      events.push({
        _tag: "VisitAmended",
        visit,
        household: h,
        ...(s.on === undefined ? {} : { visitedOn: s.on }),
        ...(s.modality === undefined ? {} : { modality: s.modality }),
        ...(s.persons === undefined ? {} : { personsSeen: s.persons.map(of(Number(h.slice(1)))) })
      })
    }
  }
  return events.map((event) => ({ event }) as unknown as Recorded<Event>)
}

const describeConducted = (state: ReadonlyMap<string, Visits.Visit>) =>
  new Map(
    [...state].map(([id, v]) => [
      id,
      {
        household: v.household,
        station: v.station,
        day: v.visitedOn,
        home: v.modality === "HomeVisit",
        persons: [...v.persons].sort()
      }
    ])
  )

const describeCounted = (state: ReadonlyMap<string, Visits.HouseholdVisits>) => {
  const out = new Map<string, unknown>()
  for (const [household, visits] of PersistentMap.from(state)) {
    visits.ids.forEach((id, i) => {
      const seen: Array<string> = []
      Visits.forEachSeen(visits, visits.seen[i]!, (p) => seen.push(p))
      const n = visits.days[i]! >> 1
      const day = `${Math.floor(n / 10000)}-${String(Math.floor(n / 100) % 100).padStart(2, "0")}-${String(n % 100).padStart(2, "0")}`
      out.set(id, {
        household,
        station: visits.stations[visits.station[i]!],
        day,
        home: (visits.days[i]! & 1) === 1,
        persons: seen.sort()
      })
    })
  }
  return out
}

describe("counted visits", () => {
  it("describe the same visits as conducted, after any conducts, amendments and voids", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120, size: "max" }), (steps) => {
        const log = eventsOf(steps)
        const reference = describeConducted(Projection.fold(Visits.conducted, log))
        const compact = describeCounted(Projection.fold(Visits.counted, log))
        assert.deepStrictEqual(
          new Map([...compact].sort(([a], [b]) => (a < b ? -1 : 1))),
          new Map([...reference].sort(([a], [b]) => (a < b ? -1 : 1)))
        )
      }),
      { numRuns: 300 }
    )
  })

  it("orders days as the dates are", () => {
    fc.assert(
      fc.property(dates, dates, (a, b) => {
        assert.strictEqual(Visits.dayNumber(a) < Visits.dayNumber(b), a < b)
        assert.strictEqual(Visits.dayNumber(a) === Visits.dayNumber(b), a === b)
      })
    )
  })
})
