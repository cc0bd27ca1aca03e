import { assert, describe, it } from "@effect/vitest"
import { Decider, type RuleViolation } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { HouseholdIsArchived, HouseholdNotRegistered } from "../registry/Decide.ts"
import * as Registry from "../registry/index.ts"
import { DateIsInFuture } from "../shared/Dates.ts"
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
const context: VisitContext = { tenant: "yangshan", actor: { id: "w1", role: "worker" }, now, household: onFile }

const given = (history: ReadonlyArray<unknown>, ctx: Partial<VisitContext> = {}) => ({
  when: (input: unknown) => {
    const decided = decider.decide(
      command(input),
      Decider.fold(
        decider,
        history.map((e) => event(e))
      ),
      {
        ...context,
        ...ctx
      }
    )
    return {
      records: (expected: ReadonlyArray<unknown>) => {
        assert.isTrue(Result.isSuccess(decided), Result.isFailure(decided) ? decided.failure.message : "")
        assert.deepStrictEqual(
          Result.getOrThrow(decided),
          expected.map((e) => event(e))
        )
      },
      recordsNothing: () => assert.deepStrictEqual(Result.getOrThrow(decided), []),
      fails: (code: string): RuleViolation => {
        if (Result.isSuccess(decided)) return assert.fail(`expected ${code}, got ${decided.success.length} events`)
        assert.strictEqual(decided.failure.code, code)
        return decided.failure
      }
    }
  }
})

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
    given([]).when(schedule).records([scheduled])
  })
  it("records nothing for the same schedule, and refuses another one for the same visit", () => {
    given([scheduled]).when(schedule).recordsNothing()
    given([scheduled])
      .when({ ...schedule, dueOn: "2025-02-03" })
      .fails(VisitAlreadyScheduled.code)
  })
  it("refuses a household that is not on file, naming it", () => {
    const violation = given([], { household: Registry.State.initial }).when(schedule).fails(HouseholdNotRegistered.code)
    assert.deepStrictEqual(violation.fields, { household: H })
    assert.include(violation.message, H)
    given([])
      .when({ ...schedule, household: "h2" })
      .fails(HouseholdNotRegistered.code)
    const { household: _, ...notLoaded } = context
    assert.isTrue(Result.isFailure(decider.decide(command(schedule), decider.initialState, notLoaded)))
  })
  it("refuses an archived household", () => {
    given([], { household: Decider.fold(Registry.decider, [registered, archived]) })
      .when(schedule)
      .fails(HouseholdIsArchived.code)
  })
  it("never takes a conducted visit back to scheduled", () => {
    given([conducted]).when(schedule).fails(VisitAlreadyConducted.code)
    given([scheduled, conducted]).when(schedule).fails(VisitAlreadyConducted.code)
  })
})

describe("visits: recording", () => {
  it("records a visit that was never scheduled", () => {
    given([]).when(record).records([conducted])
  })
  it("records a scheduled visit as conducted", () => {
    given([scheduled]).when(record).records([conducted])
  })
  it("refuses a visit dated in the future", () => {
    const violation = given([])
      .when({ ...record, visitedOn: "2025-01-29" })
      .fails(DateIsInFuture.code)
    assert.deepStrictEqual(violation.fields, { field: "visitedOn", date: "2025-01-29", today })
  })
  it("refuses a household other than the one scheduled", () => {
    given([scheduled])
      .when({ ...record, household: "h2" })
      .fails(VisitIsForAnotherHousehold.code)
  })
  it("refuses a household that is not on file", () => {
    given([], { household: Registry.State.initial }).when(record).fails(HouseholdNotRegistered.code)
  })
  it("records nothing for the same record; corrections go through amendments", () => {
    given([conducted]).when(record).recordsNothing()
    given([conducted])
      .when({ ...record, findings: "另一说法" })
      .fails(VisitAlreadyConducted.code)
  })
  it("refuses a skipped or void visit", () => {
    given([scheduled, skipped]).when(record).fails(VisitWasSkipped.code)
    given([conducted, voided]).when(record).fails(VisitIsVoided.code)
  })
})

describe("visits: skipping", () => {
  it("skips a scheduled visit, once", () => {
    given([scheduled]).when({ _tag: "SkipVisit", visit: "v-1", reason: "户主外出" }).records([skipped])
    given([scheduled, skipped]).when({ _tag: "SkipVisit", visit: "v-1", reason: "户主外出" }).recordsNothing()
  })
  it("skips only a scheduled visit", () => {
    given([]).when({ _tag: "SkipVisit", visit: "v-1", reason: "x" }).fails(VisitNotScheduled.code)
    given([conducted]).when({ _tag: "SkipVisit", visit: "v-1", reason: "x" }).fails(VisitAlreadyConducted.code)
  })
})

describe("visits: amending", () => {
  it("records only the fields that change, with the reason", () => {
    given([conducted])
      .when({ ...amend, visitedOn: "2025-01-26", modality: "HomeVisit", findings: conducted.findings })
      .records([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, visitedOn: "2025-01-26" }])
  })
  it("records nothing when nothing changes", () => {
    given([conducted]).when(amend).recordsNothing()
    given([conducted])
      .when({ ...amend, personsSeen: ["grandpa"], itemsGiven: record.itemsGiven })
      .recordsNothing()
  })
  it("takes a visit out of a campaign with campaign: null", () => {
    given([conducted])
      .when({ ...amend, campaign: null })
      .records([{ _tag: "VisitAmended", visit: "v-1", household: H, reason: amend.reason, campaign: null }])
    const state = Decider.fold(decider, [
      event(conducted),
      event({ _tag: "VisitAmended", visit: "v-1", household: H, reason: "x", campaign: null })
    ])
    assert.isTrue(state._tag === "Conducted" && state.campaign === undefined && state.amendments === 1)
  })
  it("amends only a conducted visit", () => {
    given([])
      .when({ ...amend, findings: "x" })
      .fails(VisitNotConducted.code)
    given([scheduled])
      .when({ ...amend, findings: "x" })
      .fails(VisitNotConducted.code)
    given([conducted, voided])
      .when({ ...amend, findings: "x" })
      .fails(VisitIsVoided.code)
  })
  it("refuses a corrected date in the future", () => {
    given([conducted])
      .when({ ...amend, visitedOn: "2025-02-01" })
      .fails(DateIsInFuture.code)
  })
})

describe("visits: voiding", () => {
  it("voids a visit once; nothing follows", () => {
    given([conducted]).when({ _tag: "VoidVisit", visit: "v-1", reason: "重复登记" }).records([voided])
    given([scheduled]).when({ _tag: "VoidVisit", visit: "v-1", reason: "重复登记" }).records([voided])
    given([conducted, voided]).when({ _tag: "VoidVisit", visit: "v-1", reason: "x" }).recordsNothing()
    given([conducted, voided]).when(schedule).fails(VisitIsVoided.code)
    given([]).when({ _tag: "VoidVisit", visit: "v-1", reason: "x" }).fails(VisitNotRecorded.code)
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
})
