import { Projection } from "@shuangbai/eventsourcing"
import { ProjectionLaws } from "@shuangbai/testing"
import * as fc from "fast-check"
import { assert, describe, it } from "vitest"
import { CourseId, StationId, WorkerId } from "../shared/Ids.ts"
import * as Events from "./Events.ts"
import * as Projections from "./Projections.ts"
import { courseCategory, ExchangeVisitId, exchangeVisitCategory, PrintRunId, publicityCategory } from "./Stream.ts"

const streamOf = (event: Events.Event) => {
  switch (event._tag) {
    case "CourseHeld":
      return { category: courseCategory, id: event.course }
    case "ExchangeVisitHeld":
      return { category: exchangeVisitCategory, id: event.exchangeVisit }
    case "MaterialsPrinted":
      return { category: publicityCategory, id: event.printRun }
  }
}

/** The events as the store would log them, each in its own stream (a course, an exchange visit, a print run). */
const record = (events: ReadonlyArray<Events.Event>) =>
  events.map(
    ProjectionLaws.recorder<Events.Event>((event) => ({
      stream: streamOf(event),
      occurredAt: "2024-07-04T16:00:00.000Z",
      recordedAt: "2024-07-04T16:00:00.000Z",
      actor: { id: "bureau", role: "bureau" }
    }))
  )

// The county's 13 stations; workers w0…w142 spread over them.
const stations = Array.from({ length: 13 }, (_, i) => StationId.make(`s${i + 1}`))
const worker = (n: number) => WorkerId.make(`w${n}`)
const stationOf = (n: number) => stations[n % 13]!
const participant = (n: number): Events.Participant => ({ worker: worker(n), station: stationOf(n) })
const nonEmpty = <A>(list: ReadonlyArray<A>) => list as [A, ...Array<A>]

describe("training projections reproduce the article's figures", () => {
  const events: Array<Events.Event> = [
    // F22: two capacity courses last year (5 July, 9 November), 74 person-times; some workers at both.
    new Events.CourseHeld({
      course: CourseId.make("cap-1"),
      kind: "ProfessionalCapacity",
      title: "专业能力提升培训班",
      heldOn: "2024-07-05",
      attendees: nonEmpty(Array.from({ length: 40 }, (_, n) => participant(n)))
    }),
    new Events.CourseHeld({
      course: CourseId.make("cap-2"),
      kind: "ProfessionalCapacity",
      title: "专业能力提升培训班",
      heldOn: "2024-11-09",
      attendees: nonEmpty(Array.from({ length: 34 }, (_, n) => participant(n + 20)))
    }),
    // August: child-welfare training for every worker; not one of F22's courses.
    new Events.CourseHeld({
      course: CourseId.make("child-1"),
      kind: "ChildWelfare",
      title: "儿童福利保障和未成年人保护工作培训班",
      heldOn: "2024-08-15",
      attendees: nonEmpty(Array.from({ length: 142 }, (_, n) => participant(n)))
    }),
    // F20: 黄盆镇 (s6) hosts 5 stations, 25 workers of the 6 stations.
    new Events.ExchangeVisitHeld({
      exchangeVisit: ExchangeVisitId.make("ex-1"),
      host: stations[5]!,
      visiting: nonEmpty(stations.slice(0, 5)),
      participants: nonEmpty(
        Array.from({ length: 25 }, (_, n) => ({ worker: worker(1000 + n), station: stations[n % 6]! }))
      ),
      heldOn: "2024-02-20"
    }),
    // F21: three more visits; all 13 stations have taken part.
    ...[6, 9, 12].map(
      (first, i) =>
        new Events.ExchangeVisitHeld({
          exchangeVisit: ExchangeVisitId.make(`ex-${i + 2}`),
          host: stations[first]!,
          visiting: nonEmpty(stations.slice(first + 1, first + 3).concat(first === 12 ? [stations[0]!] : [])),
          participants: nonEmpty([{ worker: worker(2000 + i), station: stations[first]! }]),
          heldOn: "2023-10-01"
        })
    ),
    // F23: 10,000 brochures last July; leaflets and a TV short beside them.
    new Events.MaterialsPrinted({
      printRun: PrintRunId.make("brochures"),
      kind: "Brochure",
      title: "乡镇社工站宣传手册",
      quantity: 10_000,
      printedOn: "2024-07-15",
      scope: { _tag: "CountyWide" }
    }),
    new Events.MaterialsPrinted({
      printRun: PrintRunId.make("leaflets"),
      kind: "Leaflet",
      title: "社工站宣传单张",
      quantity: 3_000,
      printedOn: "2024-07-20",
      scope: { _tag: "Stations", stations: nonEmpty(stations.slice(0, 3)) }
    })
  ]
  const lastYear = { from: "2024-01-01", to: "2024-12-31" }

  it("F22: 2 capacity courses and 74 person-times last year", () => {
    const p = Projection.fold(Projections.participationIn(lastYear), record(events))
    assert.deepStrictEqual(p.byKind.ProfessionalCapacity, { courses: 2, personTimes: 74 })
    assert.strictEqual(p.courses.size, 3)
    assert.strictEqual(p.personTimes, 74 + 142)
    assert.strictEqual(p.workersTrained.size, 142)
    // Person-times are not distinct workers: 20 workers attended both capacity courses.
    const capacityOnly = Projection.fold(
      Projections.participationIn({ from: "2024-07-01", to: "2024-07-31" }),
      record(events)
    )
    assert.strictEqual(capacityOnly.personTimes, 40)
    assert.strictEqual(capacityOnly.byStation.get(stations[0]!)!.personTimes, 4)
  })

  it("F20 and F21: one visit of 6 stations and 25 workers; 4 visits; all 13 stations took part", () => {
    const x = Projection.fold(Projections.exchangeVisits, record(events))
    assert.deepStrictEqual(x.visits.get(ExchangeVisitId.make("ex-1")), {
      host: stations[5]!,
      heldOn: "2024-02-20",
      stations: 6,
      workers: 25
    })
    assert.strictEqual(x.visits.size, 4)
    assert.strictEqual(x.stationsTakingPart.size, 13)
    const lastFebruary = Projection.fold(Projections.exchangeVisitsIn(lastYear), record(events))
    assert.strictEqual(lastFebruary.visits.size, 1)
  })

  it("F23: 10,000 brochures", () => {
    const printed = Projection.fold(
      Projections.printedMaterialsIn({ from: "2024-07-01", to: "2024-07-31" }),
      record(events)
    )
    assert.deepStrictEqual(printed.byKind.Brochure, { runs: 1, copies: 10_000 })
    assert.deepStrictEqual(printed.byKind.Leaflet, { runs: 1, copies: 3_000 })
    assert.deepStrictEqual(printed.byKind.TvShort, { runs: 0, copies: 0 })
  })

  it("an event delivered twice counts once", () => {
    const twice = record([...events, ...events])
    assert.deepStrictEqual(
      Projection.fold(Projections.participation, twice),
      Projection.fold(Projections.participation, record(events))
    )
    assert.strictEqual(Projection.fold(Projections.exchangeVisits, twice).visits.size, 4)
    assert.strictEqual(Projection.fold(Projections.printedMaterials, twice).byKind.Brochure.copies, 10_000)
  })
})

// Random histories over small pools, so that workers, stations and ids repeat.
const workerArb = fc.integer({ min: 1, max: 10 }).map(worker)
const stationArb = fc.constantFrom(...stations.slice(0, 5))
const dateArb = fc.constantFrom("2023-10-01", "2024-02-20", "2024-07-05", "2024-11-09")
const participantsArb = fc
  .uniqueArray(fc.record({ worker: workerArb, station: stationArb }), {
    minLength: 1,
    maxLength: 6,
    selector: (p) => p.worker
  })
  .map(nonEmpty)
const eventArb: fc.Arbitrary<Events.Event> = fc.oneof(
  fc
    .record({
      course: fc.integer({ min: 1, max: 6 }).map((n) => CourseId.make(`c${n}`)),
      kind: fc.constantFrom(...Events.CourseKind.literals),
      heldOn: dateArb,
      attendees: participantsArb
    })
    .map((f) => new Events.CourseHeld({ ...f, title: "培训班" })),
  fc
    .record({
      exchangeVisit: fc.integer({ min: 1, max: 6 }).map((n) => ExchangeVisitId.make(`x${n}`)),
      host: stationArb,
      visiting: fc.uniqueArray(stationArb, { minLength: 1, maxLength: 3 }).map(nonEmpty),
      participants: participantsArb,
      heldOn: dateArb
    })
    .map((f) => new Events.ExchangeVisitHeld(f)),
  fc
    .record({
      printRun: fc.integer({ min: 1, max: 6 }).map((n) => PrintRunId.make(`r${n}`)),
      kind: fc.constantFrom(...Events.MaterialKind.literals),
      quantity: fc.integer({ min: 1, max: 20_000 }),
      printedOn: dateArb
    })
    .map((f) => new Events.MaterialsPrinted({ ...f, title: "宣传品", scope: { _tag: "CountyWide" } }))
)

// An independent count: sort and count the changes.
const distinct = (ids: ReadonlyArray<string>): number =>
  [...ids].sort().filter((id, i, sorted) => i === 0 || sorted[i - 1] !== id).length

// What a store would hold: the first record of each id (the decider refuses or ignores the rest).
const firstOfEach = (events: ReadonlyArray<Events.Event>) => {
  const seen = new Set<string>()
  return events.filter((e) => {
    const key = `${streamOf(e).category}/${streamOf(e).id}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

describe("training projections: properties", () => {
  const period = { from: "2024-01-01", to: "2024-12-31" }
  const projections = [
    Projections.participation,
    Projections.participationIn(period),
    Projections.exchangeVisits,
    Projections.exchangeVisitsIn(period),
    Projections.printedMaterials,
    Projections.printedMaterialsIn(period)
  ] as ReadonlyArray<Projection.Projection<Events.Event, unknown>>

  it("gives the same answer in one batch, one by one, and resumed from a saved state", () =>
    ProjectionLaws.check(projections, fc.array(eventArb, { maxLength: 60 }).map(record)))

  it("counts agree with an independent count", () =>
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const stored = firstOfEach(events)
        const courses = stored.filter((e) => e._tag === "CourseHeld")
        const visits = stored.filter((e) => e._tag === "ExchangeVisitHeld")
        const prints = stored.filter((e) => e._tag === "MaterialsPrinted")

        const p = Projection.fold(Projections.participation, record(events))
        const attendances = courses.flatMap((c) => c.attendees)
        assert.strictEqual(p.courses.size, courses.length)
        assert.strictEqual(p.personTimes, attendances.length)
        assert.strictEqual(p.workersTrained.size, distinct(attendances.map((a) => a.worker)))
        for (const kind of Events.CourseKind.literals) {
          const ofKind = courses.filter((c) => c.kind === kind)
          assert.deepStrictEqual(p.byKind[kind], {
            courses: ofKind.length,
            personTimes: ofKind.reduce((n, c) => n + c.attendees.length, 0)
          })
        }
        for (const station of stations.slice(0, 5)) {
          const here = attendances.filter((a) => a.station === station)
          const got = p.byStation.get(station)
          assert.strictEqual(got?.personTimes ?? 0, here.length)
          assert.strictEqual(got?.workers.size ?? 0, distinct(here.map((a) => a.worker)))
        }

        const x = Projection.fold(Projections.exchangeVisits, record(events))
        assert.strictEqual(x.visits.size, visits.length)
        assert.strictEqual(x.stationsTakingPart.size, distinct(visits.flatMap((v) => [v.host, ...v.visiting])))
        for (const v of visits) {
          assert.strictEqual(x.visits.get(v.exchangeVisit)!.stations, distinct([v.host, ...v.visiting]))
          assert.strictEqual(x.visits.get(v.exchangeVisit)!.workers, v.participants.length)
        }

        const m = Projection.fold(Projections.printedMaterials, record(events))
        for (const kind of Events.MaterialKind.literals) {
          const ofKind = prints.filter((r) => r.kind === kind)
          assert.deepStrictEqual(m.byKind[kind], {
            runs: ofKind.length,
            copies: ofKind.reduce((n, r) => n + r.quantity, 0)
          })
        }
      }),
      { numRuns: 200 }
    ))
})
