import { assert, describe, it } from "@effect/vitest"
import { Decider, type RuleViolation } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { ageOn, DateIsInFuture } from "../shared/Dates.ts"
import * as Commands from "./Commands.ts"
import {
  CategoryNotAssigned,
  ConsentNotFromGuardian,
  ConsentNotFromPerson,
  ConsentNotGiven,
  decider,
  GuardianNotAdultMember,
  GuardianNotMember,
  HeadCannotBeRemoved,
  HouseholdAlreadyRegistered,
  HouseholdIsArchived,
  HouseholdNotRegistered,
  PersonAlreadyMember,
  PersonNotMember
} from "./Decide.ts"
import * as Events from "./Events.ts"
import * as State from "./State.ts"

// Commands and events are written as a host app sends them and decoded by their Schemas.
const command = Schema.decodeUnknownSync(Commands.Command)
const event = Schema.decodeUnknownSync(Events.Event)

const today = "2025-07-01"
const now = Date.parse(`${today}T10:00:00+08:00`)
const context = { tenant: "yangshan", actor: { id: "w1", role: "worker" }, now }

/** Given these events, when this command: the events it records, or the rule that refuses it. */
const given = (history: ReadonlyArray<unknown>) => ({
  when: (input: unknown, at = now) => {
    const decided = decider.decide(
      command(input),
      Decider.fold(
        decider,
        history.map((e) => event(e))
      ),
      {
        ...context,
        now: at
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

const H = "h1"
const register = {
  _tag: "RegisterHousehold",
  household: H,
  station: "huangpen",
  township: "huangpen-town",
  village: "v1",
  address: "黄盆镇某村 12 号",
  head: { person: "grandma", name: "李婆婆", birthDate: "1950-03-02" },
  registeredOn: "2025-01-10"
} as const
const registered = { ...register, _tag: "HouseholdRegistered" }
const addChild = {
  _tag: "AddMember",
  household: H,
  person: "child",
  name: "小明",
  birthDate: "2015-09-01",
  relation: "Grandchild",
  guardian: "grandma"
} as const
const childAdded = { ...addChild, _tag: "MemberAdded" }
const teenAdded = {
  _tag: "MemberAdded",
  household: H,
  person: "teen",
  name: "小红",
  birthDate: "2011-07-01",
  relation: "Grandchild"
}
const assign = {
  _tag: "AssignCategory",
  household: H,
  person: "child",
  category: "LeftBehindChild",
  verifiedBy: "official-1",
  verifiedOn: "2025-02-01"
} as const
const assigned = { ...assign, _tag: "CategoryAssigned" }
const archived = { _tag: "HouseholdArchived", household: H, archivedOn: "2025-06-01", reason: "迁出本县" }
const consent = (person: string, by: string, on = today) => ({
  _tag: "RecordConsent",
  household: H,
  person,
  scope: "DataProcessing",
  givenBy: by,
  givenOn: on
})
const consented = (person: string, by: string, on = today) => ({ ...consent(person, by, on), _tag: "ConsentRecorded" })

describe("registry: registering a household", () => {
  it("registers it, its head the first member", () => {
    given([]).when(register).records([registered])
    const state = Decider.fold(decider, [event(registered)])
    assert.strictEqual(state._tag, "Registered")
    const members = state._tag === "Registered" ? state.household.members : []
    assert.deepStrictEqual(
      members.map((m): ReadonlyArray<string> => [m.person, m.relation]),
      [["grandma", "Head"]]
    )
  })
  it("records nothing when the same registration comes again", () => {
    given([registered]).when(register).recordsNothing()
  })
  it("refuses a second registration with other details", () => {
    given([registered])
      .when({ ...register, address: "别处" })
      .fails(HouseholdAlreadyRegistered.code)
  })
  it("refuses a registration dated tomorrow", () => {
    const violation = given([])
      .when({ ...register, registeredOn: "2025-07-02" })
      .fails(DateIsInFuture.code)
    assert.deepStrictEqual(violation.fields, { field: "registeredOn", date: "2025-07-02", today })
  })
  it("refuses every other command before registration", () => {
    given([]).when(addChild).fails(HouseholdNotRegistered.code)
  })
})

describe("registry: members", () => {
  it("adds a member with their guardian", () => {
    given([registered]).when(addChild).records([childAdded])
  })
  it("records nothing when the same member is added again, and refuses the same person with other details", () => {
    given([registered, childAdded]).when(addChild).recordsNothing()
    given([registered, childAdded])
      .when({ ...addChild, name: "小刚" })
      .fails(PersonAlreadyMember.code)
  })
  it("adds no second head: the head comes with the registration", () => {
    assert.throws(() => command({ ...addChild, relation: "Head" }), /relation/)
  })
  it("refuses a guardian who is not another member", () => {
    given([registered])
      .when({ ...addChild, guardian: "stranger" })
      .fails(GuardianNotMember.code)
    given([registered])
      .when({ ...addChild, guardian: "child" })
      .fails(GuardianNotMember.code)
  })
  it("refuses a birth date in the future", () => {
    given([registered])
      .when({ ...addChild, birthDate: "2025-07-02" })
      .fails(DateIsInFuture.code)
  })
  it("removes a member, but never the head, and only a member", () => {
    const remove = { _tag: "RemoveMember", household: H, reason: "外出务工" }
    given([registered, childAdded])
      .when({ ...remove, person: "child" })
      .records([{ ...remove, _tag: "MemberRemoved", person: "child" }])
    given([registered])
      .when({ ...remove, person: "grandma" })
      .fails(HeadCannotBeRemoved.code)
    given([registered])
      .when({ ...remove, person: "nobody" })
      .fails(PersonNotMember.code)
  })
})

describe("registry: categories carry who verified them and when", () => {
  it("assigns a category to a member, with the verification", () => {
    given([registered, childAdded]).when(assign).records([assigned])
    const state = Decider.fold(
      decider,
      [registered, childAdded, assigned].map((e) => event(e))
    )
    assert.deepStrictEqual(
      state._tag === "Registered" ? State.memberOf(state.household, addChild.person as never)?.categories : [],
      [{ category: "LeftBehindChild", verifiedBy: "official-1", verifiedOn: "2025-02-01" }]
    )
  })
  it("records nothing for the same verification, but a new verification of the same category", () => {
    given([registered, childAdded, assigned]).when(assign).recordsNothing()
    given([registered, childAdded, assigned])
      .when({ ...assign, verifiedOn: "2025-06-01" })
      .records([{ ...assigned, verifiedOn: "2025-06-01" }])
  })
  it("assigns only to a member", () => {
    given([registered])
      .when({ ...assign, person: "nobody" })
      .fails(PersonNotMember.code)
  })
  it("refuses a verification dated in the future", () => {
    given([registered, childAdded])
      .when({ ...assign, verifiedOn: "2025-07-02" })
      .fails(DateIsInFuture.code)
  })
  it("revokes only a category the person carries", () => {
    const revoke = { ...assign, _tag: "RevokeCategory", verifiedOn: "2025-06-30", reason: "父母返乡" }
    given([registered, childAdded, assigned])
      .when(revoke)
      .records([{ ...revoke, _tag: "CategoryRevoked" }])
    given([registered, childAdded]).when(revoke).fails(CategoryNotAssigned.code)
    given([registered, childAdded, assigned, { ...revoke, _tag: "CategoryRevoked" }])
      .when(revoke)
      .fails(CategoryNotAssigned.code)
  })
})

describe("registry: consent (PIPL art. 31)", () => {
  it("a child under 14 cannot consent for themselves", () => {
    const violation = given([registered, childAdded]).when(consent("child", "child")).fails(ConsentNotFromGuardian.code)
    assert.include(violation.messageZh, "未满14周岁")
  })
  it("the child's guardian, an adult member, consents for them", () => {
    given([registered, childAdded])
      .when(consent("child", "grandma"))
      .records([consented("child", "grandma")])
  })
  it("only the guardian on file consents for a child, not another adult", () => {
    const uncle = { ...teenAdded, person: "uncle", name: "李叔", birthDate: "1980-01-01", relation: "OtherRelative" }
    given([registered, childAdded, uncle]).when(consent("child", "uncle")).fails(ConsentNotFromGuardian.code)
  })
  it("a guardian who is not an adult member cannot consent", () => {
    const youngGuardian = { ...teenAdded, person: "sister", birthDate: "2010-01-01" }
    const child = { ...childAdded, guardian: "sister" }
    given([registered, youngGuardian, child]).when(consent("child", "sister")).fails(GuardianNotAdultMember.code)
    const gone = { _tag: "MemberRemoved", household: H, person: "grandma", reason: "x" }
    const grandpa = { ...teenAdded, person: "grandpa", birthDate: "1948-01-01", relation: "Grandparent" }
    const childOfGrandpa = { ...childAdded, guardian: "grandpa" }
    const grandpaGone = { ...gone, person: "grandpa" }
    given([registered, grandpa, childOfGrandpa, grandpaGone])
      .when(consent("child", "grandpa"))
      .fails(GuardianNotAdultMember.code)
  })
  it("from the 14th birthday a person consents for themselves, and no one else does without being their guardian", () => {
    given([registered, teenAdded])
      .when(consent("teen", "teen", "2025-06-30"))
      .fails(ConsentNotFromGuardian.code)
    given([registered, teenAdded])
      .when(consent("teen", "teen", "2025-07-01"))
      .records([consented("teen", "teen", "2025-07-01")])
    given([registered, teenAdded]).when(consent("teen", "grandma")).fails(ConsentNotFromPerson.code)
  })
  it("records nothing when the consent is already in force", () => {
    given([registered, childAdded, consented("child", "grandma")])
      .when(consent("child", "grandma"))
      .recordsNothing()
  })
  it("withdraws only a consent in force, by the same authority", () => {
    const withdraw = {
      _tag: "WithdrawConsent",
      household: H,
      person: "child",
      scope: "DataProcessing",
      withdrawnBy: "grandma",
      withdrawnOn: today
    }
    given([registered, childAdded, consented("child", "grandma")])
      .when(withdraw)
      .records([{ ...withdraw, _tag: "ConsentWithdrawn" }])
    given([registered, childAdded]).when(withdraw).fails(ConsentNotGiven.code)
    given([registered, childAdded, consented("child", "grandma")])
      .when({ ...withdraw, withdrawnBy: "child" })
      .fails(ConsentNotFromGuardian.code)
  })
})

describe("registry: risk and archive", () => {
  const assess = { _tag: "AssessRisk", household: H, level: "High", assessedOn: today, assessedBy: "w1" }
  it("assesses the household or one member", () => {
    given([registered])
      .when(assess)
      .records([{ ...assess, _tag: "RiskAssessed" }])
    given([registered, childAdded])
      .when({ ...assess, person: "child" })
      .records([{ ...assess, person: "child", _tag: "RiskAssessed" }])
    given([registered])
      .when({ ...assess, person: "nobody" })
      .fails(PersonNotMember.code)
    given([registered, { ...assess, _tag: "RiskAssessed" }])
      .when(assess)
      .recordsNothing()
  })
  it("archives once; then nothing more is recorded", () => {
    const archive = { ...archived, _tag: "ArchiveHousehold" }
    given([registered]).when(archive).records([archived])
    given([registered, archived]).when(archive).recordsNothing()
    const violation = given([registered, archived]).when(addChild).fails(HouseholdIsArchived.code)
    assert.deepStrictEqual(violation.fields, { household: H, archivedOn: "2025-06-01" })
    given([registered, archived]).when(register).recordsNothing()
  })
})

// Properties

const day = (offset: number, from = today) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
const history = [registered, childAdded].map((e) => event(e))

/** Every dated command, with its date replaced, and the history it is decided on. */
const dated = (date: string): ReadonlyArray<readonly [ReadonlyArray<Events.Event>, unknown]> => [
  [[], { ...register, registeredOn: date }],
  [[], { ...register, head: { ...register.head, birthDate: date } }],
  [history, { ...addChild, person: "baby", birthDate: date }],
  [history, { ...assign, verifiedOn: date }],
  [history, consent("grandma", "grandma", date)],
  [history, { _tag: "AssessRisk", household: H, level: "Low", assessedOn: date, assessedBy: "w1" }],
  [history, { ...archived, _tag: "ArchiveHousehold", archivedOn: date }]
]
const decideDated = (date: string, which: number, at = now) => {
  const [events, input] = dated(date)[which]!
  return decider.decide(command(input), Decider.fold(decider, events), { ...context, now: at })
}

describe("registry: properties", () => {
  it("refuses any date after today, in every dated command, whatever the time of day", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.nat({ max: 6 }),
        (ahead, msOfDay, which) => {
          const at = Date.parse(`${today}T00:00:00+08:00`) + msOfDay
          const decided = decideDated(day(ahead), which, at)
          return Result.isFailure(decided) && decided.failure.code === DateIsInFuture.code
        }
      )
    )
  })

  it("accepts any date up to today in every dated command, whatever the time of day", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.nat({ max: 6 }),
        (back, msOfDay, which) => {
          const decided = decideDated(day(-back), which, Date.parse(`${today}T00:00:00+08:00`) + msOfDay)
          return Result.isSuccess(decided) && decided.success.length === 1
        }
      )
    )
  })

  it("a person under 14 on the consent date never consents for themselves; from 14 they always can", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 20 * 366 }), (bornAgo, after) => {
        const birthDate = day(-bornAgo - after, "2025-01-01")
        const on = day(Math.min(after, 180), "2025-01-01")
        const added = event({ ...teenAdded, birthDate })
        const decided = decider.decide(
          command(consent("teen", "teen", on)),
          Decider.fold(decider, [event(registered), added]),
          context
        )
        return ageOn(birthDate, on) < 14
          ? Result.isFailure(decided) && decided.failure.code === ConsentNotFromGuardian.code
          : Result.isSuccess(decided) && decided.success.length === 1
      })
    )
  })

  it("age in full years agrees with the calendar", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 120 }),
        (born, years) => {
          const birthDate = born.toISOString().slice(0, 10)
          const y = Number(birthDate.slice(0, 4)) + years
          const anniversary = `${String(y).padStart(4, "0")}${birthDate.slice(4)}`
          const valid =
            !Number.isNaN(Date.parse(`${anniversary}T00:00:00Z`)) &&
            new Date(`${anniversary}T00:00:00Z`).toISOString().startsWith(anniversary)
          // On the anniversary (or 1 March for a 29 February birthday) the person turns `years`; the day before, not yet.
          const birthday = valid ? anniversary : `${String(y).padStart(4, "0")}-03-01`
          return (
            ageOn(birthDate, birthday) === years && (years === 0 || ageOn(birthDate, day(-1, birthday)) === years - 1)
          )
        }
      )
    )
  })

  const anyCommand: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(register),
    fc.constantFrom("child", "grandma", "teen").map((person) => ({ ...addChild, person, guardian: "grandma" })),
    fc
      .constantFrom("child", "teen", "grandma")
      .map((person) => ({ _tag: "RemoveMember", household: H, person, reason: "r" })),
    fc.constantFrom("child", "teen").map((person) => ({ ...assign, person })),
    fc.constantFrom("child", "teen").map((person) => ({ ...assign, person, _tag: "RevokeCategory", reason: "r" })),
    fc
      .tuple(fc.constantFrom("child", "teen"), fc.constantFrom("child", "teen", "grandma"))
      .map(([p, by]) => consent(p, by)),
    fc.constant({ ...archived, _tag: "ArchiveHousehold" })
  )

  it("any sequence of commands keeps members unique, and nothing follows an archive", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 30 }), (inputs) => {
        let state = decider.initialState
        const recorded: Array<Events.Event> = []
        for (const input of inputs) {
          const decided = decider.decide(command(input), state, context)
          if (Result.isFailure(decided)) continue
          if (state._tag === "Archived") assert.deepStrictEqual(decided.success, [])
          for (const e of decided.success) {
            recorded.push(e)
            state = decider.evolve(state, e)
          }
          if (state._tag !== "NotRegistered") {
            const ids = state.household.members.map((m) => m.person)
            assert.strictEqual(new Set(ids).size, ids.length)
            assert.isTrue(ids.includes(state.household.head))
          }
        }
        assert.deepStrictEqual(Decider.fold(decider, recorded), state)
      })
    )
  })
})
