import { assert, describe, it } from "@effect/vitest"
import { Decider } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec } from "@shuangbai/testing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { HouseholdIsArchived, HouseholdNotRegistered } from "../registry/Decide.ts"
import * as Registry from "../registry/index.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
import type { StationId, WorkerId } from "../shared/Ids.ts"
import { WorkerNotOnPostAtStation } from "../workforce/Decide.ts"
import * as Commands from "./Commands.ts"
import {
  decider,
  VisitAlreadyConducted,
  VisitAlreadyScheduled,
  type VisitContext,
  VisitIsForAnotherHousehold,
  VisitIsVoided,
  VisitNotConducted,
  VisitNotRecorded,
  VisitNotScheduled,
  VisitWasSkipped
} from "./Decide.ts"
import * as Events from "./Events.ts"
import type { Conducted } from "./State.ts"

const command = Schema.decodeUnknownSync(Commands.Command)
const event = Schema.decodeUnknownSync(Events.Event)

const today = "2025-01-28"
const now = Date.parse(`${today}T10:00:00+08:00`)
const H = "h1"

// The household's registry file, as the handler's context loader finds it.
const registered = Schema.decodeUnknownSync(Registry.Events.Event)({
  _tag: "HouseholdRegistered",
  household: H,
  station: "huangpen",
  township: "huangpen-town",
  village: "v1",
  address: "黄盆镇某村 3 号",
  head: { person: "grandpa", name: "陈伯", birthDate: "1942-05-05" },
  registeredOn: "2024-03-01"
})
const archived = Schema.decodeUnknownSync(Registry.Events.Event)({
  _tag: "HouseholdArchived",
  household: H,
  archivedOn: "2025-01-01",
  reason: "迁出"
})
const onFile = Decider.fold(Registry.decider, [registered])
// Where the workforce has the visit's worker on post on the visit's day, as the handler's loader finds it.
const onPost = (station: string): ReadonlyMap<WorkerId, StationId> =>
  new Map([["w1" as WorkerId, station as StationId]])
const context: VisitContext = {
  tenant: "yangshan",
  actor: { id: "w1", role: "worker" },
  now,
  household: onFile,
  onPost: onPost("huangpen")
}

/** Given/when/then from the testing kit; commands and events are written as plain data and decoded. */
const spec = DeciderSpec.make(decider, context)
const events = (plain: ReadonlyArray<unknown>): ReadonlyArray<Events.Event> => plain.map((e) => event(e))

const schedule = {
  _tag: "ScheduleVisit",
  visit: "v-1",
  household: H,
  persons: ["grandpa"],
  worker: "w1",
  station: "huangpen",
  dueOn: "2025-01-30"
}
const scheduled = { ...schedule, _tag: "VisitScheduled" }
const record = {
  _tag: "RecordVisit",
  visit: "v-1",
  household: H,
  station: "huangpen",
  worker: "w1",
  visitedOn: "2025-01-27",
  personsSeen: ["grandpa"],
  modality: "HomeVisit",
  findings: "独居，身体尚可，缺御寒衣物",
  needs: ["御寒衣物"],
  itemsGiven: [{ item: "棉衣", quantity: 1 }],
  campaign: "cold-2025"
}
const conducted = { ...record, _tag: "VisitConducted" }
const skipped = { _tag: "VisitSkipped", visit: "v-1", household: H, reason: "户主外出" }
const voided = { _tag: "VisitVoided", visit: "v-1", household: H, reason: "重复登记" }
const amend = { _tag: "AmendVisit", visit: "v-1", reason: "日期登记错误" }

describe("visits: scheduling", () => {
  it("schedules a visit to a household on file", () => {
    spec
      .given(events([]))
      .when(command(schedule))
      .then(events([scheduled]))
  })
  it("records nothing for the same schedule, and refuses another one for the same visit", () => {
    spec
      .given(events([scheduled]))
      .when(command(schedule))
      .thenNothing()
    spec
      .given(events([scheduled]))
      .when(command({ ...schedule, dueOn: "2025-02-03" }))
      .thenFails(VisitAlreadyScheduled.code)
  })
  it("refuses a household that is not on file, naming it", () => {
    const violation = spec
      .given(events([]))
      .when(command(schedule), { household: Registry.State.initial })
      .thenFails(HouseholdNotRegistered.code)
    assert.deepStrictEqual(violation.fields, { household: H })
    assert.include(violation.message, H)
    spec
      .given(events([]))
      .when(command({ ...schedule, household: "h2" }))
      .thenFails(HouseholdNotRegistered.code)
    const { household: _, ...notLoaded } = context
    assert.isTrue(Result.isFailure(decider.decide(command(schedule), decider.initialState, notLoaded)))
  })
  it("refuses an archived household", () => {
    spec
      .given(events([]))
      .when(command(schedule), { household: Decider.fold(Registry.decider, [registered, archived]) })
      .thenFails(HouseholdIsArchived.code)
  })
  it("never takes a conducted visit back to scheduled", () => {
    spec
      .given(events([conducted]))
      .when(command(schedule))
      .thenFails(VisitAlreadyConducted.code)
    spec
      .given(events([scheduled, conducted]))
      .when(command(schedule))
      .thenFails(VisitAlreadyConducted.code)
  })
})

describe("visits: recording", () => {
  it("records a visit that was never scheduled", () => {
    spec
      .given(events([]))
      .when(command(record))
      .then(events([conducted]))
  })
  it("records a scheduled visit as conducted", () => {
    spec
      .given(events([scheduled]))
      .when(command(record))
      .then(events([conducted]))
  })
  it("refuses a visit dated in the future", () => {
    const violation = spec
      .given(events([]))
      .when(command({ ...record, visitedOn: "2025-01-29" }))
      .thenFails(DateIsInFuture.code)
    assert.deepStrictEqual(violation.fields, { field: "visitedOn", date: "2025-01-29", today })
  })
  it("refuses a household other than the one scheduled", () => {
    spec
      .given(events([scheduled]))
      .when(command({ ...record, household: "h2" }))
      .thenFails(VisitIsForAnotherHousehold.code)
  })
  it("refuses a household that is not on file", () => {
    spec
      .given(events([]))
      .when(command(record), { household: Registry.State.initial })
      .thenFails(HouseholdNotRegistered.code)
  })
  it("records nothing for the same record; corrections go through amendments", () => {
    spec
      .given(events([conducted]))
      .when(command(record))
      .thenNothing()
    spec
      .given(events([conducted]))
      .when(command({ ...record, findings: "另一说法" }))
      .thenFails(VisitAlreadyConducted.code)
  })
  it("refuses a skipped or void visit", () => {
    spec
      .given(events([scheduled, skipped]))
      .when(command(record))
      .thenFails(VisitWasSkipped.code)
    spec
      .given(events([conducted, voided]))
      .when(command(record))
      .thenFails(VisitIsVoided.code)
  })
})

describe("visits: the worker on post at the visit's station that day", () => {
  it("WorkerNotOnPostAtStation: a visit scheduled or recorded by a worker not on post that day, naming worker, station and day", () => {
    const notOnPost = spec
      .given(events([]))
      .when(command(record), { onPost: new Map() })
      .thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(notOnPost.fields, { worker: "w1", station: "huangpen", date: "2025-01-27" })
    assert.include(notOnPost.message, "w1")
    const due = spec
      .given(events([]))
      .when(command(schedule), { onPost: new Map() })
      .thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(due.fields, { worker: "w1", station: "huangpen", date: "2025-01-30" })
    // Not loaded is not on post.
    const { onPost: _, ...notLoaded } = context
    const decided = decider.decide(command(record), decider.initialState, notLoaded)
    assert.isTrue(Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure))
  })
  it("WorkerNotOnPostAtStation: on post that day, but for another station", () => {
    spec
      .given(events([]))
      .when(command(record), { onPost: onPost("yangcheng") })
      .thenFails(WorkerNotOnPostAtStation)
    spec
      .given(events([scheduled]))
      .when(command(record), { onPost: onPost("yangcheng") })
      .thenFails(WorkerNotOnPostAtStation)
    // Another worker on post at the station does not stand in for the visit's worker.
    spec
      .given(events([]))
      .when(command(record), { onPost: new Map([["w2" as WorkerId, "huangpen" as StationId]]) })
      .thenFails(WorkerNotOnPostAtStation)
  })
  it("a visit already recorded records nothing again, whatever became of the worker since", () => {
    spec
      .given(events([conducted]))
      .when(command(record), { onPost: new Map() })
      .thenNothing()
  })
  it("for any worker, station and where the worker was on post, a visit is accepted exactly when it is that station", () => {
    const stations = ["huangpen", "yangcheng", "qingyuan"]
    fc.assert(
      fc.property(
        fc.constantFrom(...stations),
        fc.option(fc.constantFrom(...stations), { nil: undefined }),
        fc.constantFrom("w1", "w2"),
        fc.boolean(),
        (station, at, worker, schedules) => {
          const input = schedules ? { ...schedule, station, worker } : { ...record, station, worker }
          const decided = decider.decide(command(input), decider.initialState, {
            ...context,
            onPost: new Map(at === undefined ? [] : [[worker as WorkerId, at as StationId]])
          })
          assert.strictEqual(Result.isSuccess(decided), at === station)
          if (Result.isFailure(decided)) assert.isTrue(WorkerNotOnPostAtStation.is(decided.failure))
        }
      )
    )
  })
})

describe("visits: skipping", () => {
  it("skips a scheduled visit, once", () => {
    spec
      .given(events([scheduled]))
      .when(command({ _tag: "SkipVisit", visit: "v-1", reason: "户主外出" }))
      .then(events([skipped]))
    spec
      .given(events([scheduled, skipped]))
      .when(command({ _tag: "SkipVisit", visit: "v-1", reason: "户主外出" }))
      .thenNothing()
  })
  it("skips only a scheduled visit", () => {
    spec
      .given(events([]))
      .when(command({ _tag: "SkipVisit", visit: "v-1", reason: "x" }))
      .thenFails(VisitNotScheduled.code)
    spec
      .given(events([conducted]))
      .when(command({ _tag: "SkipVisit", visit: "v-1", reason: "x" }))
      .thenFails(VisitAlreadyConducted.code)
  })
})

describe("visits: amending", () => {
  it("records only the fields that change, with the reason", () => {
    spec
      .given(events([conducted]))
      .when(command({ ...amend, visitedOn: "2025-01-26", modality: "HomeVisit", findings: conducted.findings }))
      .then(
        events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, visitedOn: "2025-01-26" }])
      )
  })
  it("records nothing when nothing changes", () => {
    spec
      .given(events([conducted]))
      .when(command(amend))
      .thenNothing()
    spec
      .given(events([conducted]))
      .when(command({ ...amend, personsSeen: ["grandpa"], itemsGiven: record.itemsGiven }))
      .thenNothing()
  })
  it("takes a visit out of a campaign with campaign: null", () => {
    spec
      .given(events([conducted]))
      .when(command({ ...amend, campaign: null }))
      .then(events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, campaign: null }]))
    const state = Decider.fold(decider, [
      event(conducted),
      event({ _tag: "VisitAmended", visit: "v-1", household: H, reason: "x", campaign: null })
    ])
    assert.isTrue(state._tag === "Conducted" && state.campaign === undefined && state.amendments === 1)
  })
  it("amends only a conducted visit", () => {
    spec
      .given(events([]))
      .when(command({ ...amend, findings: "x" }))
      .thenFails(VisitNotConducted.code)
    spec
      .given(events([scheduled]))
      .when(command({ ...amend, findings: "x" }))
      .thenFails(VisitNotConducted.code)
    spec
      .given(events([conducted, voided]))
      .when(command({ ...amend, findings: "x" }))
      .thenFails(VisitIsVoided.code)
  })
  it("refuses a corrected date in the future", () => {
    spec
      .given(events([conducted]))
      .when(command({ ...amend, visitedOn: "2025-02-01" }))
      .thenFails(DateIsInFuture.code)
  })
})

describe("visits: an amended visit keeps the worker on post at its station that day", () => {
  const moved = { ...amend, visitedOn: "2025-01-20" }
  it("moves the date to a day the visit's worker was on post at the visit's station", () => {
    spec
      .given(events([conducted]))
      .when(command(moved), { onPost: onPost("huangpen") })
      .then(
        events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, visitedOn: "2025-01-20" }])
      )
  })
  it("WorkerNotOnPostAtStation: the new day finds the worker not on post, naming worker, station and the new day", () => {
    const violation = spec
      .given(events([conducted]))
      .when(command(moved), { onPost: new Map() })
      .thenFails(WorkerNotOnPostAtStation)
    assert.deepStrictEqual(violation.fields, { worker: "w1", station: "huangpen", date: "2025-01-20" })
    // Not loaded is not on post.
    const { onPost: _, ...notLoaded } = context
    const decided = decider.decide(command(moved), Decider.fold(decider, [event(conducted)]), notLoaded)
    assert.isTrue(Result.isFailure(decided) && WorkerNotOnPostAtStation.is(decided.failure))
  })
  it("WorkerNotOnPostAtStation: on post that day, but for another station; another worker does not stand in", () => {
    spec
      .given(events([conducted]))
      .when(command(moved), { onPost: onPost("yangcheng") })
      .thenFails(WorkerNotOnPostAtStation)
    spec
      .given(events([scheduled, conducted]))
      .when(command(moved), { onPost: new Map([["w2" as WorkerId, "huangpen" as StationId]]) })
      .thenFails(WorkerNotOnPostAtStation)
  })
  it("checks the worker of the visit as recorded, after earlier amendments", () => {
    const firstMove = { _tag: "VisitAmended", visit: "v-1", household: H, reason: "x", visitedOn: "2025-01-22" }
    spec
      .given(events([conducted, firstMove]))
      .when(command(moved), { onPost: new Map() })
      .thenFails(WorkerNotOnPostAtStation)
    spec
      .given(events([conducted, firstMove]))
      .when(command({ ...amend, visitedOn: "2025-01-22", findings: "另一说法" }), { onPost: new Map() })
      .then(events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, findings: "另一说法" }]))
  })
  it("a date that stays needs no new check: other fields are corrected whatever became of the worker since", () => {
    spec
      .given(events([conducted]))
      .when(command({ ...amend, visitedOn: record.visitedOn, findings: "另一说法" }), { onPost: new Map() })
      .then(events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, findings: "另一说法" }]))
    spec
      .given(events([conducted]))
      .when(command({ ...amend, campaign: null }), { onPost: new Map() })
      .then(events([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, campaign: null }]))
  })
  it("refuses a future date before asking after the worker, as recording does", () => {
    spec
      .given(events([conducted]))
      .when(command({ ...amend, visitedOn: "2025-02-01" }), { onPost: new Map() })
      .thenFails(DateIsInFuture.code)
  })
})

describe("visits: voiding", () => {
  it("voids a visit once; nothing follows", () => {
    spec
      .given(events([conducted]))
      .when(command({ _tag: "VoidVisit", visit: "v-1", reason: "重复登记" }))
      .then(events([voided]))
    spec
      .given(events([scheduled]))
      .when(command({ _tag: "VoidVisit", visit: "v-1", reason: "重复登记" }))
      .then(events([voided]))
    spec
      .given(events([conducted, voided]))
      .when(command({ _tag: "VoidVisit", visit: "v-1", reason: "x" }))
      .thenNothing()
    spec
      .given(events([conducted, voided]))
      .when(command(schedule))
      .thenFails(VisitIsVoided.code)
    spec
      .given(events([]))
      .when(command({ _tag: "VoidVisit", visit: "v-1", reason: "x" }))
      .thenFails(VisitNotRecorded.code)
  })
})

// Properties

const day = (offset: number, from = today) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)

/** Any visit command on visit v-1, over a small world so that sequences meet every stage. */
const anyCommand: fc.Arbitrary<Commands.Command> = fc
  .oneof(
    fc.record({ dueOn: fc.integer({ min: -5, max: 5 }).map((d) => day(d)) }).map((f) => ({ ...schedule, ...f })),
    fc
      .record({
        household: fc.constantFrom(H, "h2"),
        visitedOn: fc.integer({ min: -5, max: 1 }).map((d) => day(d)),
        modality: fc.constantFrom("HomeVisit", "Phone")
      })
      .map((f) => ({ ...record, ...f })),
    fc.constant({ _tag: "SkipVisit", visit: "v-1", reason: "不在家" }),
    fc
      .record(
        {
          visitedOn: fc.integer({ min: -5, max: 1 }).map((d) => day(d)),
          findings: fc.constantFrom("好", "一般"),
          campaign: fc.constantFrom(null, "cold-2025", "flood-2025")
        },
        { requiredKeys: [] }
      )
      .map((f) => ({ ...amend, ...f })),
    fc.constant({ _tag: "VoidVisit", visit: "v-1", reason: "误录" })
  )
  .map((input) => command(input))

const run = (commands: ReadonlyArray<Commands.Command>) => {
  let state = decider.initialState
  const states = [state]
  const events: Array<Events.Event> = []
  for (const c of commands) {
    const decided = decider.decide(c, state, context)
    if (Result.isFailure(decided)) continue
    for (const e of decided.success) {
      events.push(e)
      state = decider.evolve(state, e)
      states.push(state)
    }
  }
  return { state, states, events }
}

describe("visits: properties", () => {
  it("refuses any visit date after today, recorded or amended, whatever the time of day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 86_399_999 }), (ahead, ms) => {
        const at = { ...context, now: Date.parse(`${today}T00:00:00+08:00`) + ms }
        const date = day(ahead)
        const recorded = decider.decide(command({ ...record, visitedOn: date }), decider.initialState, at)
        const amended = decider.decide(
          command({ ...amend, visitedOn: date }),
          Decider.fold(decider, [event(conducted)]),
          at
        )
        return [recorded, amended].every((r) => Result.isFailure(r) && r.failure.code === DateIsInFuture.code)
      })
    )
  })

  it("an amendment is accepted exactly when the visit recorded afresh with the amended fields would be", () => {
    const stations = ["huangpen", "yangcheng"]
    const days = [-6, -5, -4, -3, -2, -1, 0, 1]
    fc.assert(
      fc.property(
        // Where worker w1 was on post on each day around today (nowhere, or a station).
        fc.array(fc.option(fc.constantFrom(...stations), { nil: undefined }), {
          minLength: days.length,
          maxLength: days.length
        }),
        fc.constantFrom(...stations),
        fc.constantFrom(...days.slice(0, -1)),
        fc.record(
          {
            visitedOn: fc.constantFrom(...days).map((d) => day(d)),
            findings: fc.constantFrom(record.findings, "另一说法"),
            modality: fc.constantFrom("HomeVisit", "Phone"),
            campaign: fc.constantFrom(null, "cold-2025", "flood-2025")
          },
          { requiredKeys: [] }
        ),
        (postings, station, recordedOn, changes) => {
          const stationOn = (date: string) => postings[days.findIndex((d) => day(d) === date)]
          const at = (date: string): VisitContext => ({
            ...context,
            onPost: new Map(stationOn(date) === undefined ? [] : [["w1" as WorkerId, stationOn(date) as StationId]])
          })
          const original = { ...record, station, visitedOn: day(recordedOn) }
          const first = decider.decide(command(original), decider.initialState, at(original.visitedOn))
          fc.pre(Result.isSuccess(first))
          const before = Result.getOrThrow(first).reduce(decider.evolve, decider.initialState)
          // The handler loads where the worker was on post on the amended day.
          const day_ = changes.visitedOn ?? original.visitedOn
          const amended = decider.decide(command({ ...amend, ...changes }), before, at(day_))
          const { campaign: _, ...withoutCampaign } = original
          const { campaign: corrected, ...otherChanges } = changes
          const campaign = corrected === undefined ? original.campaign : corrected
          const fresh = { ...withoutCampaign, ...otherChanges, ...(campaign === null ? {} : { campaign }) }
          const recorded = decider.decide(command(fresh), decider.initialState, at(day_))
          assert.strictEqual(Result.isSuccess(amended), Result.isSuccess(recorded))
          if (Result.isFailure(amended) && Result.isFailure(recorded)) {
            assert.strictEqual(amended.failure.code, recorded.failure.code)
          }
          if (Result.isSuccess(amended) && Result.isSuccess(recorded)) {
            // And the visit as amended is the visit recorded afresh.
            const { amendments: _a, ...asAmended } = Result.getOrThrow(amended).reduce(
              decider.evolve,
              before
            ) as Conducted
            const { amendments: _b, ...asRecorded } = Result.getOrThrow(recorded).reduce(
              decider.evolve,
              decider.initialState
            ) as Conducted
            assert.deepStrictEqual(asAmended, asRecorded)
          }
        }
      )
    )
  })

  it("any sequence of visit commands never takes a conducted visit back to scheduled", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 25 }), (commands) => {
        const { states } = run(commands)
        const first = states.findIndex((s) => s._tag === "Conducted")
        if (first === -1) return true
        return states.slice(first).every((s) => s._tag === "Conducted" || s._tag === "Voided")
      })
    )
  })

  it("any sequence keeps one conducted record at most, and nothing follows a void", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 25 }), (commands) => {
        const { events } = run(commands)
        const void_ = events.findIndex((e) => e._tag === "VisitVoided")
        return (
          events.filter((e) => e._tag === "VisitConducted").length <= 1 && (void_ === -1 || void_ === events.length - 1)
        )
      })
    )
  })

  it("a command that was accepted, sent again, records nothing (already done)", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 15 }), anyCommand, (before, again) => {
        const { state } = run(before)
        const first = decider.decide(again, state, context)
        if (Result.isFailure(first)) return true
        const after = first.success.reduce(decider.evolve, state)
        const second = decider.decide(again, after, context)
        return Result.isSuccess(second) && second.success.length === 0
      })
    )
  })

  /**
   * Any time around today, the household on file, archived, unknown or not loaded, and the worker on post at
   * the visit's station, at another, at none, or not loaded.
   */
  const anyContext: fc.Arbitrary<VisitContext> = fc
    .tuple(
      fc.integer({ min: Date.parse("2024-06-01T00:00:00+08:00"), max: Date.parse("2025-06-01T00:00:00+08:00") }),
      fc.constantFrom(
        onFile,
        Decider.fold(Registry.decider, [registered, archived]),
        Registry.State.initial,
        undefined
      ),
      fc.constantFrom(onPost("huangpen"), onPost("yangcheng"), new Map<WorkerId, StationId>(), undefined)
    )
    .map(([at, household, where]) => {
      const { household: _, onPost: __, ...rest } = context
      return {
        ...rest,
        now: at,
        ...(household === undefined ? {} : { household }),
        ...(where === undefined ? {} : { onPost: where })
      }
    })

  it("obeys the decider laws on any sequence of commands", () => {
    DeciderLaws.check({ decider, command: anyCommand, context: anyContext })
  })

  it("obeys the decider laws on commands of any shape the Schemas allow", () => {
    DeciderLaws.check({ decider, command: Arbitrary.make(Commands.Command), context: anyContext, numRuns: 50 })
  })
})
