import { assert, describe, it } from "@effect/vitest"
import { Decider, HashChain, Projection, type Recorded, StreamId } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Registry from "../registry/index.ts"
import type { Period } from "../shared/Dates.ts"
import * as Commands from "./Commands.ts"
import { decider, type VisitContext } from "./Decide.ts"
import { householdsAndVisitsByStation, type Input, report } from "./Projections.ts"
import type * as State from "./State.ts"

const today = "2025-06-30"
const now = Date.parse(`${today}T10:00:00+08:00`)
const base = { tenant: "yangshan", actor: { id: "w1", role: "worker" }, now }
const registryCommand = Schema.decodeUnknownSync(Registry.Commands.Command)
const visitCommand = Schema.decodeUnknownSync(Commands.Command)

const day = (n: number) => new Date(Date.parse("2025-01-01T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10)

/** Wraps decided events in envelopes, as the store would record them, in log order. */
const envelope = (
  events: ReadonlyArray<{ readonly stream: StreamId.StreamId; readonly event: Input }>
): ReadonlyArray<Recorded<Input>> => {
  const versions = new Map<string, number>()
  return events.map(({ stream, event }, i) => {
    const key = StreamId.format(stream)
    const version = (versions.get(key) ?? 0) + 1
    versions.set(key, version)
    return {
      eventId: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
      tenant: "yangshan",
      stream,
      version,
      position: i + 1,
      type: event._tag,
      schemaVersion: 1,
      occurredAt: "2025-01-01T00:00:00.000Z",
      recordedAt: "2025-01-01T00:00:00.000Z",
      actor: base.actor,
      commandId: `c${i}`,
      correlationId: `c${i}`,
      causationId: `c${i}`,
      subjects: [],
      prevHash: HashChain.genesis,
      hash: HashChain.genesis,
      event
    }
  })
}

// A small county: 4 households at 3 stations, 6 visits, dates over half a year. Commands are decided by the
// real deciders (rejected ones are dropped), so the log holds only what the rules allow.
const households = ["h1", "h2", "h3", "h4"]
const stations = ["s1", "s2", "s3"]
const visits = ["v1", "v2", "v3", "v4", "v5", "v6"]

const registration = (household: string) =>
  fc
    .record({ station: fc.constantFrom(...stations), registeredOn: fc.integer({ min: 0, max: 180 }).map(day) })
    .map((f) => ({
      _tag: "RegisterHousehold",
      household,
      ...f,
      township: "t",
      village: "v",
      address: "某村",
      head: { person: `${household}-head`, name: "户主", birthDate: "1950-01-01" }
    }))

const anyCommand = fc.oneof<
  Array<fc.Arbitrary<Readonly<Record<string, unknown>>> | fc.WeightedArbitrary<Readonly<Record<string, unknown>>>>
>(
  fc.constantFrom(...households).chain(registration),
  fc
    .record({ household: fc.constantFrom(...households), archivedOn: fc.integer({ min: 0, max: 180 }).map(day) })
    .map((f) => ({ _tag: "ArchiveHousehold", ...f, reason: "迁出" })),
  {
    weight: 4,
    arbitrary: fc
      .record({
        visit: fc.constantFrom(...visits),
        household: fc.constantFrom(...households),
        station: fc.constantFrom(...stations),
        visitedOn: fc.integer({ min: 0, max: 180 }).map(day)
      })
      .map((f) => ({
        _tag: "RecordVisit",
        ...f,
        worker: "w1",
        personsSeen: [`${f.household}-head`],
        modality: "HomeVisit",
        findings: "好",
        needs: [],
        itemsGiven: []
      }))
  },
  fc.record({ visit: fc.constantFrom(...visits), household: fc.constantFrom(...households) }).map((f) => ({
    _tag: "ScheduleVisit",
    ...f,
    persons: [`${f.household}-head`],
    worker: "w1",
    station: "s1",
    dueOn: day(100)
  })),
  fc
    .record({ visit: fc.constantFrom(...visits), visitedOn: fc.integer({ min: 0, max: 180 }).map(day) })
    .map((f) => ({ _tag: "AmendVisit", ...f, reason: "更正日期" })),
  fc.constantFrom(...visits).map((visit) => ({ _tag: "SkipVisit", visit, reason: "不在家" })),
  fc.constantFrom(...visits).map((visit) => ({ _tag: "VoidVisit", visit, reason: "误录" }))
)

/** Most households registered first (each at a random station and date), then any commands. */
const anyLog = fc
  .tuple(
    fc.subarray(households, { minLength: 2 }).chain((hs) => fc.tuple(...hs.map(registration))),
    fc.array(anyCommand, { minLength: 5, maxLength: 60 })
  )
  .map(([registrations, commands]): ReadonlyArray<Readonly<Record<string, unknown>>> => [...registrations, ...commands])

/** Decides each command against the streams so far; returns the log and each stream's final state. */
const simulate = (inputs: ReadonlyArray<Readonly<Record<string, unknown>>>) => {
  const files = new Map<string, Registry.State.State>()
  const visitStates = new Map<string, State.State>()
  const log: Array<{ stream: StreamId.StreamId; event: Input }> = []
  for (const input of inputs) {
    if (input._tag === "RegisterHousehold" || input._tag === "ArchiveHousehold") {
      const c = registryCommand(input)
      const before = files.get(c.household) ?? Registry.State.initial
      const decided = Registry.decider.decide(c, before, base)
      if (Result.isFailure(decided)) continue
      files.set(c.household, Decider.fold(Registry.decider, decided.success, before))
      for (const event of decided.success) log.push({ stream: Registry.streamOf(c.household), event })
    } else {
      const c = visitCommand(input)
      const before = visitStates.get(c.visit) ?? decider.initialState
      // Workers here are on post at the station they visit for: the worker rule is tested in Decide.test.ts.
      const context: VisitContext =
        c._tag === "RecordVisit" || c._tag === "ScheduleVisit"
          ? {
              ...base,
              household: files.get(c.household) ?? Registry.State.initial,
              onPost: new Map([[c.worker, c.station]])
            }
          : c._tag === "AmendVisit" && before._tag === "Conducted"
            ? { ...base, onPost: new Map([[before.worker, before.station]]) }
            : base
      const decided = decider.decide(c, before, context)
      if (Result.isFailure(decided)) continue
      visitStates.set(c.visit, Decider.fold(decider, decided.success, before))
      for (const event of decided.success) log.push({ stream: StreamId.make("visit", c.visit), event })
    }
  }
  return { recorded: envelope(log), files, visitStates }
}

const anyPeriod: fc.Arbitrary<Period> = fc
  .tuple(fc.integer({ min: -10, max: 190 }), fc.integer({ min: 0, max: 200 }))
  .map(([from, length]) => ({ from: day(from), to: day(from + length) }))

/** The counts worked out another way: from each stream's own state, by the contexts' own folds. */
const independentCount = (
  files: ReadonlyMap<string, Registry.State.State>,
  visitStates: ReadonlyMap<string, State.State>,
  { from, to }: Period
) => {
  const rows = new Map<string, { householdsOnFile: number; visited: Set<string>; visitsHeld: number }>()
  const row = (s: string) =>
    rows.get(s) ?? rows.set(s, { householdsOnFile: 0, visited: new Set(), visitsHeld: 0 }).get(s)!
  for (const file of files.values()) {
    if (file._tag === "NotRegistered" || file.household.registeredOn > to) continue
    const stillOnFile = file._tag === "Registered" || file.archivedOn > to
    if (stillOnFile) row(file.household.station).householdsOnFile++
    else row(file.household.station)
  }
  for (const visit of visitStates.values()) {
    if (visit._tag !== "Conducted" || visit.visitedOn < from || visit.visitedOn > to) continue
    const r = row(visit.station)
    r.visitsHeld++
    r.visited.add(visit.household)
  }
  const all = new Set([...rows.values()].flatMap((r) => [...r.visited]))
  return {
    stations: [...rows.entries()]
      .filter(([, r]) => r.householdsOnFile > 0 || r.visitsHeld > 0)
      .map(([station, r]) => ({
        station,
        householdsOnFile: r.householdsOnFile,
        visitsHeld: r.visitsHeld,
        visited: r.visited.size
      }))
      .sort((a, b) => (a.station < b.station ? -1 : 1)),
    total: {
      householdsOnFile: [...rows.values()].reduce((n, r) => n + r.householdsOnFile, 0),
      householdsVisited: all.size,
      visitsHeld: [...rows.values()].reduce((n, r) => n + r.visitsHeld, 0)
    }
  }
}

describe("householdsAndVisitsByStation", () => {
  it("counts households on file, households visited and visits held, per station and in total", () => {
    const { recorded } = simulate([
      {
        _tag: "RegisterHousehold",
        household: "h1",
        station: "s1",
        township: "t",
        village: "v",
        address: "a",
        head: { person: "p1", name: "甲", birthDate: "1950-01-01" },
        registeredOn: "2025-01-05"
      },
      {
        _tag: "RegisterHousehold",
        household: "h2",
        station: "s1",
        township: "t",
        village: "v",
        address: "a",
        head: { person: "p2", name: "乙", birthDate: "1950-01-01" },
        registeredOn: "2025-01-06"
      },
      {
        _tag: "RegisterHousehold",
        household: "h3",
        station: "s2",
        township: "t",
        village: "v",
        address: "a",
        head: { person: "p3", name: "丙", birthDate: "1950-01-01" },
        registeredOn: "2025-03-01"
      },
      ...["v1", "v2"].map((visit) => ({
        _tag: "RecordVisit",
        visit,
        household: "h1",
        station: "s1",
        worker: "w1",
        visitedOn: "2025-02-01",
        personsSeen: ["p1"],
        modality: "Phone",
        findings: "好",
        needs: [],
        itemsGiven: []
      })),
      {
        _tag: "RecordVisit",
        visit: "v3",
        household: "h1",
        station: "s2",
        worker: "w2",
        visitedOn: "2025-02-02",
        personsSeen: ["p1"],
        modality: "HomeVisit",
        findings: "好",
        needs: [],
        itemsGiven: []
      },
      {
        _tag: "RecordVisit",
        visit: "v4",
        household: "h2",
        station: "s1",
        worker: "w1",
        visitedOn: "2025-02-03",
        personsSeen: ["p2"],
        modality: "HomeVisit",
        findings: "好",
        needs: [],
        itemsGiven: []
      },
      { _tag: "VoidVisit", visit: "v4", reason: "重复" },
      { _tag: "AmendVisit", visit: "v2", visitedOn: "2025-03-15", reason: "日期错" }
    ])
    const result = report(
      Projection.fold(householdsAndVisitsByStation({ from: "2025-02-01", to: "2025-02-28" }), recorded)
    )
    assert.deepStrictEqual<ReadonlyArray<unknown>>(result.stations, [
      { station: "s1", householdsOnFile: 2, householdsVisited: 1, visitsHeld: 1 },
      { station: "s2", householdsOnFile: 0, householdsVisited: 1, visitsHeld: 1 }
    ])
    assert.deepStrictEqual(result.total, { householdsOnFile: 2, householdsVisited: 1, visitsHeld: 2 })
  })

  it("gives the same answer in one batch, event by event, and resumed from a saved state", () => {
    fc.assert(
      fc.property(anyLog, anyPeriod, fc.nat(), (inputs, period, cut) => {
        const { recorded } = simulate(inputs)
        const projection = householdsAndVisitsByStation(period)
        const batch = report(Projection.fold(projection, recorded))
        const oneByOne = report(recorded.reduce((s, e) => Projection.fold(projection, [e], s), projection.initial))
        const k = recorded.length === 0 ? 0 : cut % (recorded.length + 1)
        const saved = Projection.fold(projection, recorded.slice(0, k))
        const savedBefore = report(saved)
        const resumed = report(Projection.fold(projection, recorded.slice(k), saved))
        assert.deepStrictEqual(oneByOne, batch)
        assert.deepStrictEqual(resumed, batch)
        assert.deepStrictEqual(report(saved), savedBefore, "a saved state stays as it was")
      })
    )
  })

  it("matches an independent count from each stream's own state", () => {
    fc.assert(
      fc.property(anyLog, anyPeriod, (inputs, period) => {
        const { recorded, files, visitStates } = simulate(inputs)
        const result = report(Projection.fold(householdsAndVisitsByStation(period), recorded))
        const expected = independentCount(files, visitStates, period)
        assert.deepStrictEqual(
          result.stations.map((s) => ({
            station: s.station as string,
            householdsOnFile: s.householdsOnFile,
            visitsHeld: s.visitsHeld,
            visited: s.householdsVisited
          })),
          expected.stations
        )
        assert.deepStrictEqual(result.total, expected.total)
      })
    )
  })

  it("amendments preserve the visit count; a void takes exactly one visit away", () => {
    const always: Period = { from: "0001-01-01", to: "9999-12-31" }
    fc.assert(
      fc.property(anyLog, fc.integer({ min: 0, max: 180 }), (inputs, shift) => {
        const { visitStates } = simulate(inputs)
        const held = [...visitStates.entries()].filter(([, s]) => s._tag === "Conducted").map(([v]) => v)
        const before = simulate(inputs)
        const amended = simulate([
          ...inputs,
          ...held.map((visit) => ({
            _tag: "AmendVisit",
            visit,
            visitedOn: day(shift),
            findings: "更正",
            reason: "更正"
          }))
        ])
        const count = (r: ReadonlyArray<Recorded<Input>>) =>
          report(Projection.fold(householdsAndVisitsByStation(always), r)).total.visitsHeld
        assert.strictEqual(count(amended.recorded), count(before.recorded))
        assert.strictEqual(count(before.recorded), held.length)
        if (held.length > 0) {
          const voided = simulate([...inputs, { _tag: "VoidVisit", visit: held[0], reason: "误录" }])
          assert.strictEqual(count(voided.recorded), held.length - 1)
        }
      })
    )
  })
})
