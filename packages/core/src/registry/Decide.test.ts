import { assert, describe, it } from "@effect/vitest"
import { Decider } from "@shuangbai/eventsourcing"
import { Arbitrary, DeciderLaws, DeciderSpec } from "@shuangbai/testing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { ageOn, DateIsInFuture } from "../shared/Dates.ts"
import * as Commands from "./Commands.ts"
import {
  BirthDateTooEarly,
  CategoryNotAssigned,
  ConsentNotFromGuardian,
  ConsentNotFromPerson,
  ConsentNotGiven,
  consentToProcess,
  decider,
  GuardianNotAdultMember,
  GuardianNotMember,
  HeadBornAfterRegistration,
  HeadCannotBeRemoved,
  HouseholdAlreadyRegistered,
  HouseholdIsArchived,
  HouseholdNotRegistered,
  NotesAboutWithdrawnPerson,
  noNotesAbout,
  PersonAlreadyMember,
  PersonNotMember,
  ProcessingConsentWithdrawn
} from "./Decide.ts"
import * as Events from "./Events.ts"
import * as State from "./State.ts"

// Commands and events are written as a host app sends them and decoded by their Schemas.
const command = Schema.decodeUnknownSync(Commands.Command)
const event = Schema.decodeUnknownSync(Events.Event)

const today = "2025-07-01"
const now = Date.parse(`${today}T10:00:00+08:00`)
const context = { tenant: "yangshan", actor: { id: "w1", role: "worker" }, now }

/** Given/when/then from the testing kit; commands and events are written as plain data and decoded. */
const spec = DeciderSpec.make(decider, context)
const events = (plain: ReadonlyArray<unknown>): ReadonlyArray<Events.Event> => plain.map((e) => event(e))

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
    spec
      .given(events([]))
      .when(command(register))
      .then(events([registered]))
    const state = Decider.fold(decider, [event(registered)])
    assert.strictEqual(state._tag, "Registered")
    const members = state._tag === "Registered" ? state.household.members : []
    assert.deepStrictEqual(
      members.map((m): ReadonlyArray<string> => [m.person, m.relation]),
      [["grandma", "Head"]]
    )
  })
  it("records nothing when the same registration comes again", () => {
    spec
      .given(events([registered]))
      .when(command(register))
      .thenNothing()
  })
  it("refuses a second registration with other details", () => {
    spec
      .given(events([registered]))
      .when(command({ ...register, address: "别处" }))
      .thenFails(HouseholdAlreadyRegistered.code)
  })
  it("refuses a registration dated tomorrow", () => {
    const violation = spec
      .given(events([]))
      .when(command({ ...register, registeredOn: "2025-07-02" }))
      .thenFails(DateIsInFuture.code)
    assert.deepStrictEqual(violation.fields, { field: "registeredOn", date: "2025-07-02", today })
  })
  it("refuses a head born after the registration, or over 130 years before it", () => {
    const after = spec
      .given(events([]))
      .when(command({ ...register, head: { ...register.head, birthDate: "2025-01-11" } }))
      .thenFails(HeadBornAfterRegistration.code)
    assert.deepStrictEqual(after.fields, {
      household: H,
      person: "grandma",
      birthDate: "2025-01-11",
      registeredOn: "2025-01-10"
    })
    const early = spec
      .given(events([]))
      .when(command({ ...register, head: { ...register.head, birthDate: "1800-01-01" } }))
      .thenFails(BirthDateTooEarly.code)
    assert.deepStrictEqual(early.fields, { person: "grandma", birthDate: "1800-01-01", on: "2025-01-10" })
    // Born on the day of registration, or 130 years before it: on file.
    for (const birthDate of ["2025-01-10", "1895-01-10"]) {
      spec
        .given(events([]))
        .when(command({ ...register, head: { ...register.head, birthDate } }))
        .then([{ ...registered, head: { ...register.head, birthDate } }].map((e) => event(e)))
    }
  })
  it("refuses every other command before registration", () => {
    spec.given(events([])).when(command(addChild)).thenFails(HouseholdNotRegistered.code)
  })
})

describe("registry: members", () => {
  it("adds a member with their guardian", () => {
    spec
      .given(events([registered]))
      .when(command(addChild))
      .then(events([childAdded]))
  })
  it("records nothing when the same member is added again, and refuses the same person with other details", () => {
    spec
      .given(events([registered, childAdded]))
      .when(command(addChild))
      .thenNothing()
    spec
      .given(events([registered, childAdded]))
      .when(command({ ...addChild, name: "小刚" }))
      .thenFails(PersonAlreadyMember.code)
  })
  it("adds no second head: the head comes with the registration", () => {
    assert.throws(() => command({ ...addChild, relation: "Head" }), /relation/)
  })
  it("refuses a guardian who is not another member", () => {
    spec
      .given(events([registered]))
      .when(command({ ...addChild, guardian: "stranger" }))
      .thenFails(GuardianNotMember.code)
    spec
      .given(events([registered]))
      .when(command({ ...addChild, guardian: "child" }))
      .thenFails(GuardianNotMember.code)
  })
  it("refuses a birth date in the future", () => {
    spec
      .given(events([registered]))
      .when(command({ ...addChild, birthDate: "2025-07-02" }))
      .thenFails(DateIsInFuture.code)
  })
  it("refuses a birth date over 130 years ago, and adds a newborn born after the registration", () => {
    spec
      .given(events([registered]))
      .when(command({ ...addChild, birthDate: "1800-01-01" }))
      .thenFails(BirthDateTooEarly.code)
    spec
      .given(events([registered]))
      .when(command({ ...addChild, birthDate: "2025-06-30" }))
      .then(events([{ ...childAdded, birthDate: "2025-06-30" }]))
  })
  it("removes a member, but never the head, and only a member", () => {
    const remove = { _tag: "RemoveMember", household: H, reason: "外出务工" }
    spec
      .given(events([registered, childAdded]))
      .when(command({ ...remove, person: "child" }))
      .then(events([{ ...remove, _tag: "MemberRemoved", person: "child" }]))
    spec
      .given(events([registered]))
      .when(command({ ...remove, person: "grandma" }))
      .thenFails(HeadCannotBeRemoved.code)
    spec
      .given(events([registered]))
      .when(command({ ...remove, person: "nobody" }))
      .thenFails(PersonNotMember.code)
  })
})

describe("registry: categories carry who verified them and when", () => {
  it("assigns a category to a member, with the verification", () => {
    spec
      .given(events([registered, childAdded]))
      .when(command(assign))
      .then(events([assigned]))
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
    spec
      .given(events([registered, childAdded, assigned]))
      .when(command(assign))
      .thenNothing()
    spec
      .given(events([registered, childAdded, assigned]))
      .when(command({ ...assign, verifiedOn: "2025-06-01" }))
      .then(events([{ ...assigned, verifiedOn: "2025-06-01" }]))
  })
  it("assigns only to a member", () => {
    spec
      .given(events([registered]))
      .when(command({ ...assign, person: "nobody" }))
      .thenFails(PersonNotMember.code)
  })
  it("refuses a verification dated in the future", () => {
    spec
      .given(events([registered, childAdded]))
      .when(command({ ...assign, verifiedOn: "2025-07-02" }))
      .thenFails(DateIsInFuture.code)
  })
  it("revokes only a category the person carries", () => {
    const revoke = { ...assign, _tag: "RevokeCategory", verifiedOn: "2025-06-30", reason: "父母返乡" }
    spec
      .given(events([registered, childAdded, assigned]))
      .when(command(revoke))
      .then(events([{ ...revoke, _tag: "CategoryRevoked" }]))
    spec
      .given(events([registered, childAdded]))
      .when(command(revoke))
      .thenFails(CategoryNotAssigned.code)
    spec
      .given(events([registered, childAdded, assigned, { ...revoke, _tag: "CategoryRevoked" }]))
      .when(command(revoke))
      .thenFails(CategoryNotAssigned.code)
  })
})

describe("registry: consent (PIPL art. 31)", () => {
  it("a child under 14 cannot consent for themselves", () => {
    const violation = spec
      .given(events([registered, childAdded]))
      .when(command(consent("child", "child")))
      .thenFails(ConsentNotFromGuardian.code)
    assert.include(violation.messageZh, "未满14周岁")
  })
  it("the child's guardian, an adult member, consents for them", () => {
    spec
      .given(events([registered, childAdded]))
      .when(command(consent("child", "grandma")))
      .then(events([consented("child", "grandma")]))
  })
  it("only the guardian on file consents for a child, not another adult", () => {
    const uncle = { ...teenAdded, person: "uncle", name: "李叔", birthDate: "1980-01-01", relation: "OtherRelative" }
    spec
      .given(events([registered, childAdded, uncle]))
      .when(command(consent("child", "uncle")))
      .thenFails(ConsentNotFromGuardian.code)
  })
  it("a guardian who is not an adult member cannot consent", () => {
    const youngGuardian = { ...teenAdded, person: "sister", birthDate: "2010-01-01" }
    const child = { ...childAdded, guardian: "sister" }
    spec
      .given(events([registered, youngGuardian, child]))
      .when(command(consent("child", "sister")))
      .thenFails(GuardianNotAdultMember.code)
    const gone = { _tag: "MemberRemoved", household: H, person: "grandma", reason: "x" }
    const grandpa = { ...teenAdded, person: "grandpa", birthDate: "1948-01-01", relation: "Grandparent" }
    const childOfGrandpa = { ...childAdded, guardian: "grandpa" }
    const grandpaGone = { ...gone, person: "grandpa" }
    spec
      .given(events([registered, grandpa, childOfGrandpa, grandpaGone]))
      .when(command(consent("child", "grandpa")))
      .thenFails(GuardianNotAdultMember.code)
  })
  it("from the 14th birthday a person consents for themselves, and no one else does without being their guardian", () => {
    spec
      .given(events([registered, teenAdded]))
      .when(command(consent("teen", "teen", "2025-06-30")))
      .thenFails(ConsentNotFromGuardian.code)
    spec
      .given(events([registered, teenAdded]))
      .when(command(consent("teen", "teen", "2025-07-01")))
      .then(events([consented("teen", "teen", "2025-07-01")]))
    spec
      .given(events([registered, teenAdded]))
      .when(command(consent("teen", "grandma")))
      .thenFails(ConsentNotFromPerson.code)
  })
  it("records nothing when the consent is already in force", () => {
    spec
      .given(events([registered, childAdded, consented("child", "grandma")]))
      .when(command(consent("child", "grandma")))
      .thenNothing()
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
    spec
      .given(events([registered, childAdded, consented("child", "grandma")]))
      .when(command(withdraw))
      .then(events([{ ...withdraw, _tag: "ConsentWithdrawn" }]))
    spec
      .given(events([registered, childAdded]))
      .when(command(withdraw))
      .thenFails(ConsentNotGiven.code)
    spec
      .given(events([registered, childAdded, consented("child", "grandma")]))
      .when(command({ ...withdraw, withdrawnBy: "child" }))
      .thenFails(ConsentNotFromGuardian.code)
  })
})

describe("registry: withdrawn consent to processing", () => {
  const withdrawn = (person: string, by: string, on = "2025-06-01", scope = "DataProcessing") => ({
    _tag: "ConsentWithdrawn",
    household: H,
    person,
    scope,
    withdrawnBy: by,
    withdrawnOn: on
  })
  const teen = "teen" as never
  const fileOf = (plain: ReadonlyArray<unknown>) => Decider.fold(decider, events(plain))
  const withdrawnFile = [registered, teenAdded, consented("teen", "teen", today), withdrawn("teen", "teen", today)]

  it("the file keeps the withdrawal, and refuses new data about the person with its day", () => {
    const refusal = consentToProcess(fileOf(withdrawnFile), teen)
    assert.isTrue(Result.isFailure(refusal) && ProcessingConsentWithdrawn.is(refusal.failure))
    assert.deepStrictEqual(Result.isFailure(refusal) && refusal.failure.fields, { person: "teen", withdrawnOn: today })
  })
  it("consent given again lifts it; another scope's withdrawal does not refuse processing", () => {
    assert.isTrue(
      Result.isSuccess(consentToProcess(fileOf([...withdrawnFile, consented("teen", "teen", today)]), teen))
    )
    const referral = { ...consented("teen", "teen", today), scope: "Referral" }
    const other = [registered, teenAdded, referral, withdrawn("teen", "teen", today, "Referral")]
    assert.isTrue(Result.isSuccess(consentToProcess(fileOf(other), teen)))
  })
  it("a consent never recorded is not a withdrawal; a file not read or not registered knows none", () => {
    assert.isTrue(Result.isSuccess(consentToProcess(fileOf([registered, teenAdded]), teen)))
    assert.isTrue(Result.isSuccess(consentToProcess(undefined, teen)))
    assert.isTrue(Result.isSuccess(consentToProcess(State.initial, teen)))
  })
  it("the withdrawal outlives the person's removal and the file's archiving", () => {
    const removed = { _tag: "MemberRemoved", household: H, person: "teen", reason: "迁出" }
    const archived = { _tag: "HouseholdArchived", household: H, archivedOn: today, reason: "迁出" }
    assert.isTrue(Result.isFailure(consentToProcess(fileOf([...withdrawnFile, removed]), teen)))
    assert.isTrue(Result.isFailure(consentToProcess(fileOf([...withdrawnFile, archived]), teen)))
    spec
      .given(events([...withdrawnFile, removed]))
      .when(command({ ...teenAdded, _tag: "AddMember" }))
      .thenFails(ProcessingConsentWithdrawn.code)
  })
  it("free text about the person is refused, empty text is not", () => {
    const file = fileOf(withdrawnFile)
    const refusal = noNotesAbout(file, teen, "notes", "本人要求停止")
    assert.isTrue(Result.isFailure(refusal) && NotesAboutWithdrawnPerson.is(refusal.failure))
    assert.isTrue(Result.isSuccess(noNotesAbout(file, teen, "notes", "  ")))
    assert.isTrue(Result.isSuccess(noNotesAbout(fileOf([registered, teenAdded]), teen, "notes", "本人要求停止")))
  })
  it("a risk rating of the person is refused; of the household, while one member has not withdrawn", () => {
    const assess = { _tag: "AssessRisk", household: H, level: "High", assessedOn: today, assessedBy: "w1" }
    spec
      .given(events(withdrawnFile))
      .when(command({ ...assess, person: "teen" }))
      .thenFails(ProcessingConsentWithdrawn.code)
    spec
      .given(events(withdrawnFile))
      .when(command(assess))
      .then(events([{ ...assess, _tag: "RiskAssessed" }]))
    const everyone = [...withdrawnFile, consented("grandma", "grandma", today), withdrawn("grandma", "grandma", today)]
    spec.given(events(everyone)).when(command(assess)).thenFails(ProcessingConsentWithdrawn.code)
  })
})

describe("registry: risk and archive", () => {
  const assess = { _tag: "AssessRisk", household: H, level: "High", assessedOn: today, assessedBy: "w1" }
  it("assesses the household or one member", () => {
    spec
      .given(events([registered]))
      .when(command(assess))
      .then(events([{ ...assess, _tag: "RiskAssessed" }]))
    spec
      .given(events([registered, childAdded]))
      .when(command({ ...assess, person: "child" }))
      .then(events([{ ...assess, person: "child", _tag: "RiskAssessed" }]))
    spec
      .given(events([registered]))
      .when(command({ ...assess, person: "nobody" }))
      .thenFails(PersonNotMember.code)
    spec
      .given(events([registered, { ...assess, _tag: "RiskAssessed" }]))
      .when(command(assess))
      .thenNothing()
  })
  it("archives once; then nothing more is recorded", () => {
    const archive = { ...archived, _tag: "ArchiveHousehold" }
    spec
      .given(events([registered]))
      .when(command(archive))
      .then(events([archived]))
    spec
      .given(events([registered, archived]))
      .when(command(archive))
      .thenNothing()
    const violation = spec
      .given(events([registered, archived]))
      .when(command(addChild))
      .thenFails(HouseholdIsArchived.code)
    assert.deepStrictEqual(violation.fields, { household: H, archivedOn: "2025-06-01" })
    spec
      .given(events([registered, archived]))
      .when(command(register))
      .thenNothing()
  })
})

// Properties

const day = (offset: number, from = today) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
const history = [registered, childAdded].map((e) => event(e))

/** Every dated command, with its date replaced, and the history it is decided on. */
const dated = (date: string): ReadonlyArray<readonly [ReadonlyArray<Events.Event>, unknown]> => [
  [[], { ...register, registeredOn: date }],
  [[], { ...register, registeredOn: today, head: { ...register.head, birthDate: date } }],
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

  const anyTime = fc
    .integer({ min: Date.parse("2024-01-01T00:00:00+08:00"), max: Date.parse("2026-01-01T00:00:00+08:00") })
    .map((at) => ({ ...context, now: at }))

  it("obeys the decider laws on any sequence of commands", () => {
    DeciderLaws.check({ decider, command: anyCommand.map((input) => command(input)), context: anyTime })
  })

  it("obeys the decider laws on commands of any shape the Schemas allow", () => {
    DeciderLaws.check({ decider, command: Arbitrary.make(Commands.Command), context: anyTime, numRuns: 50 })
  })
})
