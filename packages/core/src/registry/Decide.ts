import { Decider, Rule, type RuleViolation, Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import type { AfterWithdrawalOf } from "../shared/Consent.ts"
import { ageOn, notInFuture } from "../shared/Dates.ts"
import type { HouseholdId, PersonId } from "../shared/Ids.ts"
import type { RecipientCategory } from "../shared/RecipientCategory.ts"
import type * as Commands from "./Commands.ts"
import {
  CategoryAssigned,
  CategoryRevoked,
  ConsentRecorded,
  type ConsentScope,
  ConsentWithdrawn,
  type Event,
  HouseholdArchived,
  HouseholdRegistered,
  MemberAdded,
  MemberRemoved,
  RiskAssessed
} from "./Events.ts"
import {
  evolve,
  type Household,
  initial,
  type Member,
  memberOf,
  type State,
  type Withdrawal,
  withdrawalOf
} from "./State.ts"

/** Under this age a person cannot consent to the processing of their data themselves (PIPL art. 31). */
export const ageOfConsent = 14
export const ageOfMajority = 18
/** The oldest age a person on file may have: an older birth date is a mistyped year (1800 for 1980). */
export const maxAge = 130

// Rules, named as the facts that refuse a command.

export const HouseholdAlreadyRegistered = Rule.define<{ household: HouseholdId }>("HouseholdAlreadyRegistered", {
  en: (f) => `household ${f.household} is already registered, with other details`,
  zh: (f) => `户 ${f.household} 已建档，且登记信息不同`
})
export const HouseholdNotRegistered = Rule.define<{ household: HouseholdId }>("HouseholdNotRegistered", {
  en: (f) => `household ${f.household} is not registered`,
  zh: (f) => `户 ${f.household} 尚未建档`
})
export const HouseholdIsArchived = Rule.define<{ household: HouseholdId; archivedOn: Scalars.LocalDate }>(
  "HouseholdIsArchived",
  {
    en: (f) => `household ${f.household} was archived on ${f.archivedOn}: nothing more may be recorded`,
    zh: (f) => `户 ${f.household} 已于 ${f.archivedOn} 归档，不能再登记`
  }
)
export const PersonAlreadyMember = Rule.define<{ household: HouseholdId; person: PersonId }>("PersonAlreadyMember", {
  en: (f) => `${f.person} is already a member of household ${f.household}, with other details`,
  zh: (f) => `${f.person} 已是户 ${f.household} 的成员，且登记信息不同`
})
export const PersonNotMember = Rule.define<{ household: HouseholdId; person: PersonId }>("PersonNotMember", {
  en: (f) => `${f.person} is not a member of household ${f.household}`,
  zh: (f) => `${f.person} 不是户 ${f.household} 的成员`
})
export const HeadCannotBeRemoved = Rule.define<{ household: HouseholdId; person: PersonId }>("HeadCannotBeRemoved", {
  en: (f) => `${f.person} is the head of household ${f.household} and cannot be removed`,
  zh: (f) => `${f.person} 是户 ${f.household} 的户主，不能移除`
})
export const GuardianNotMember = Rule.define<{ household: HouseholdId; person: PersonId; guardian: PersonId }>(
  "GuardianNotMember",
  {
    en: (f) => `the guardian ${f.guardian} of ${f.person} is not another member of household ${f.household}`,
    zh: (f) => `${f.person} 的监护人 ${f.guardian} 不是户 ${f.household} 的其他成员`
  }
)
export const CategoryNotAssigned = Rule.define<{ person: PersonId; category: RecipientCategory }>(
  "CategoryNotAssigned",
  {
    en: (f) => `${f.person} does not carry the category ${f.category}`,
    zh: (f) => `${f.person} 没有 ${f.category} 类别`
  }
)
export const ConsentNotFromGuardian = Rule.define<{ person: PersonId; by: PersonId; on: Scalars.LocalDate }>(
  "ConsentNotFromGuardian",
  {
    en: (f) => `${f.person} is under 14 on ${f.on}: only their guardian on file may consent for them, not ${f.by}`,
    zh: (f) => `${f.person} 于 ${f.on} 未满14周岁，须由登记的监护人表示同意，${f.by} 不能`
  }
)
export const ConsentNotFromPerson = Rule.define<{ person: PersonId; by: PersonId }>("ConsentNotFromPerson", {
  en: (f) => `only ${f.person} or their guardian may consent for ${f.person}, not ${f.by}`,
  zh: (f) => `只有 ${f.person} 本人或其监护人可以表示同意，${f.by} 不能`
})
export const GuardianNotAdultMember = Rule.define<{ person: PersonId; guardian: PersonId; on: Scalars.LocalDate }>(
  "GuardianNotAdultMember",
  {
    en: (f) => `the guardian ${f.guardian} of ${f.person} must be an adult member of the household on ${f.on}`,
    zh: (f) => `${f.person} 的监护人 ${f.guardian} 于 ${f.on} 须为本户成年成员`
  }
)
export const ConsentNotGiven = Rule.define<{ person: PersonId; scope: ConsentScope }>("ConsentNotGiven", {
  en: (f) => `${f.person} has no consent in force for ${f.scope}`,
  zh: (f) => `${f.person} 没有有效的 ${f.scope} 同意`
})

export const ProcessingConsentWithdrawn = Rule.define<{ person: PersonId; withdrawnOn: Scalars.LocalDate }>(
  "ProcessingConsentWithdrawn",
  {
    en: (f) =>
      `${f.person} withdrew consent to the processing of their data on ${f.withdrawnOn}: nothing new may be recorded about them until they consent again (RecordConsent)`,
    zh: (f) => `${f.person} 已于 ${f.withdrawnOn} 撤回个人信息处理同意：重新同意（登记知情同意）前不能再登记其新的信息`
  }
)
export const NotesAboutWithdrawnPerson = Rule.define<{
  person: PersonId
  field: string
  withdrawnOn: Scalars.LocalDate
}>("NotesAboutWithdrawnPerson", {
  en: (f) =>
    `${f.field} is free text about ${f.person}, who withdrew consent to the processing of their data on ${f.withdrawnOn}: leave it empty`,
  zh: (f) => `${f.field} 是关于 ${f.person} 的文字记录，其已于 ${f.withdrawnOn} 撤回个人信息处理同意，请留空`
})

export const BirthDateTooEarly = Rule.define<{ person: PersonId; birthDate: Scalars.LocalDate; on: Scalars.LocalDate }>(
  "BirthDateTooEarly",
  {
    en: (f) => `${f.person} born on ${f.birthDate} would be over ${maxAge} on ${f.on}: check the year`,
    zh: (f) => `${f.person} 出生于 ${f.birthDate}，至 ${f.on} 已超过 ${maxAge} 岁，请核对年份`
  }
)
export const HeadBornAfterRegistration = Rule.define<{
  household: HouseholdId
  person: PersonId
  birthDate: Scalars.LocalDate
  registeredOn: Scalars.LocalDate
}>("HeadBornAfterRegistration", {
  en: (f) =>
    `the head ${f.person} of household ${f.household}, born on ${f.birthDate}, was not born when it was registered on ${f.registeredOn}`,
  zh: (f) => `户 ${f.household} 的户主 ${f.person} 出生于 ${f.birthDate}，晚于建档日期 ${f.registeredOn}`
})

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

/** A birth date no more than `maxAge` years before `on`, the day the person is put on file. */
const plausibleBirthDate = (
  person: PersonId,
  birthDate: Scalars.LocalDate,
  on: Scalars.LocalDate
): Result.Result<void, RuleViolation> =>
  ageOn(birthDate, on) > maxAge ? Result.fail(BirthDateTooEarly({ person, birthDate, on })) : Result.succeed(undefined)

/** The household's file, if it is open: not registered and archived files refuse every command. */
const openFile = (household: HouseholdId, state: State): Result.Result<Household, RuleViolation> => {
  switch (state._tag) {
    case "NotRegistered":
      return Result.fail(HouseholdNotRegistered({ household }))
    case "Archived":
      return Result.fail(HouseholdIsArchived({ household, archivedOn: state.archivedOn }))
    case "Registered":
      return Result.succeed(state.household)
  }
}

/**
 * A household on file, for the deciders of other contexts (visits, casework): `file` is what their handler
 * read from the household's stream; absent (not read) or another household's file counts as not registered.
 */
export const householdOnFile = (
  household: HouseholdId,
  file: State | undefined
): Result.Result<Household, RuleViolation> =>
  file === undefined || (file._tag !== "NotRegistered" && file.household.id !== household)
    ? Result.fail(HouseholdNotRegistered({ household }))
    : openFile(household, file)

/** A current member of the household; other contexts' deciders use it too (casework: the recipient of a case). */
export const memberOnFile = (household: Household, person: PersonId): Result.Result<Member, RuleViolation> => {
  const found = memberOf(household, person)
  return found === undefined ? Result.fail(PersonNotMember({ household: household.id, person })) : Result.succeed(found)
}

/** The person's withdrawal of consent to processing in `file`, as another context's handler read it. */
const processingWithdrawn = (file: State | undefined, person: PersonId): Withdrawal | undefined =>
  file === undefined || file._tag === "NotRegistered" ? undefined : withdrawalOf(file.household, person)

/**
 * Refuses new data about a person whose consent to processing (DataProcessing) is withdrawn in `file`, their
 * household's registry file as another context's handler read it (registered or archived). Absent (not
 * read) or not registered, no withdrawal is known. A withdrawal is enforced, a consent never recorded is not:
 * a station may process under another legal basis than consent (docs/domain.md, "Withdrawn consent").
 */
export const consentToProcess = (file: State | undefined, person: PersonId): Result.Result<void, RuleViolation> => {
  const withdrawal = processingWithdrawn(file, person)
  return withdrawal === undefined
    ? Result.succeed(undefined)
    : Result.fail(ProcessingConsentWithdrawn({ person, withdrawnOn: withdrawal.withdrawnOn }))
}

/** Refuses a non-empty free-text `field` about a person whose consent to processing is withdrawn in `file`. */
export const noNotesAbout = (
  file: State | undefined,
  person: PersonId,
  field: string,
  text: string
): Result.Result<void, RuleViolation> => {
  const withdrawal = text.trim() === "" ? undefined : processingWithdrawn(file, person)
  return withdrawal === undefined
    ? Result.succeed(undefined)
    : Result.fail(NotesAboutWithdrawnPerson({ person, field, withdrawnOn: withdrawal.withdrawnOn }))
}

/**
 * Who may give or withdraw a person's consent on a day: under 14, only their guardian on file, who must be an
 * adult member of the household; from 14, the person or their guardian.
 */
const mayConsentFor = (
  household: Household,
  person: Member,
  by: PersonId,
  on: Scalars.LocalDate
): Result.Result<void, RuleViolation> => {
  const byGuardian = person.guardian !== undefined && by === person.guardian
  if (ageOn(person.birthDate, on) < ageOfConsent && !byGuardian) {
    return Result.fail(ConsentNotFromGuardian({ person: person.person, by, on }))
  }
  if (!byGuardian && by !== person.person) return Result.fail(ConsentNotFromPerson({ person: person.person, by }))
  if (byGuardian) {
    const guardian = memberOf(household, by)
    if (guardian === undefined || ageOn(guardian.birthDate, on) < ageOfMajority) {
      return Result.fail(GuardianNotAdultMember({ person: person.person, guardian: by, on }))
    }
  }
  return Result.succeed(undefined)
}

export const registerHousehold = (
  cmd: Commands.RegisterHousehold,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotRegistered") {
      const h = state.household
      const head = memberOf(h, h.head)
      const same =
        h.station === cmd.station &&
        h.township === cmd.township &&
        h.village === cmd.village &&
        h.address === cmd.address &&
        h.registeredOn === cmd.registeredOn &&
        h.head === cmd.head.person &&
        head?.name === cmd.head.name &&
        head?.birthDate === cmd.head.birthDate
      if (same) return []
      return yield* Result.fail(HouseholdAlreadyRegistered({ household: cmd.household }))
    }
    yield* notInFuture("registeredOn", cmd.registeredOn, context.now)
    yield* notInFuture("head.birthDate", cmd.head.birthDate, context.now)
    if (cmd.head.birthDate > cmd.registeredOn) {
      return yield* Result.fail(
        HeadBornAfterRegistration({
          household: cmd.household,
          person: cmd.head.person,
          birthDate: cmd.head.birthDate,
          registeredOn: cmd.registeredOn
        })
      )
    }
    yield* plausibleBirthDate(cmd.head.person, cmd.head.birthDate, cmd.registeredOn)
    return [
      new HouseholdRegistered({
        household: cmd.household,
        station: cmd.station,
        township: cmd.township,
        village: cmd.village,
        address: cmd.address,
        head: cmd.head,
        registeredOn: cmd.registeredOn
      })
    ]
  })

export const addMember = (cmd: Commands.AddMember, state: State, context: Decider.DecisionContext): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const existing = memberOf(household, cmd.person)
    if (existing !== undefined) {
      const same =
        existing.name === cmd.name &&
        existing.birthDate === cmd.birthDate &&
        existing.relation === cmd.relation &&
        existing.guardian === cmd.guardian
      if (same) return []
      return yield* Result.fail(PersonAlreadyMember({ household: household.id, person: cmd.person }))
    }
    // A person removed from the file who had withdrawn consent to processing is not put back on it.
    yield* consentToProcess(state, cmd.person)
    // A member added later may be born after the registration (a newborn), never after the day they are added.
    yield* notInFuture("birthDate", cmd.birthDate, context.now)
    yield* plausibleBirthDate(cmd.person, cmd.birthDate, Scalars.chinaDateOf(context.now))
    if (cmd.guardian !== undefined && (cmd.guardian === cmd.person || !memberOf(household, cmd.guardian))) {
      return yield* Result.fail(
        GuardianNotMember({ household: household.id, person: cmd.person, guardian: cmd.guardian })
      )
    }
    return [
      new MemberAdded({
        household: cmd.household,
        person: cmd.person,
        name: cmd.name,
        birthDate: cmd.birthDate,
        relation: cmd.relation,
        ...(cmd.guardian === undefined ? {} : { guardian: cmd.guardian })
      })
    ]
  })

export const removeMember = (cmd: Commands.RemoveMember, state: State): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    yield* memberOnFile(household, cmd.person)
    if (household.head === cmd.person) {
      return yield* Result.fail(HeadCannotBeRemoved({ household: household.id, person: cmd.person }))
    }
    return [new MemberRemoved({ household: cmd.household, person: cmd.person, reason: cmd.reason })]
  })

export const assignCategory = (
  cmd: Commands.AssignCategory,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const person = yield* memberOnFile(household, cmd.person)
    yield* notInFuture("verifiedOn", cmd.verifiedOn, context.now)
    const same = person.categories.some(
      (c) => c.category === cmd.category && c.verifiedBy === cmd.verifiedBy && c.verifiedOn === cmd.verifiedOn
    )
    // A new verification of a category already carried is recorded: it says who checked it again, and when.
    return same
      ? []
      : [
          new CategoryAssigned({
            household: cmd.household,
            person: cmd.person,
            category: cmd.category,
            verifiedBy: cmd.verifiedBy,
            verifiedOn: cmd.verifiedOn
          })
        ]
  })

export const revokeCategory = (
  cmd: Commands.RevokeCategory,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const person = yield* memberOnFile(household, cmd.person)
    if (!person.categories.some((c) => c.category === cmd.category)) {
      return yield* Result.fail(CategoryNotAssigned({ person: cmd.person, category: cmd.category }))
    }
    yield* notInFuture("verifiedOn", cmd.verifiedOn, context.now)
    return [
      new CategoryRevoked({
        household: cmd.household,
        person: cmd.person,
        category: cmd.category,
        verifiedBy: cmd.verifiedBy,
        verifiedOn: cmd.verifiedOn,
        reason: cmd.reason
      })
    ]
  })

export const recordConsent = (cmd: Commands.RecordConsent, state: State, context: Decider.DecisionContext): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const person = yield* memberOnFile(household, cmd.person)
    yield* notInFuture("givenOn", cmd.givenOn, context.now)
    yield* mayConsentFor(household, person, cmd.givenBy, cmd.givenOn)
    if (person.consents.some((c) => c.scope === cmd.scope)) return []
    return [
      new ConsentRecorded({
        household: cmd.household,
        person: cmd.person,
        scope: cmd.scope,
        givenBy: cmd.givenBy,
        givenOn: cmd.givenOn
      })
    ]
  })

export const withdrawConsent = (
  cmd: Commands.WithdrawConsent,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const person = yield* memberOnFile(household, cmd.person)
    if (!person.consents.some((c) => c.scope === cmd.scope)) {
      return yield* Result.fail(ConsentNotGiven({ person: cmd.person, scope: cmd.scope }))
    }
    yield* notInFuture("withdrawnOn", cmd.withdrawnOn, context.now)
    yield* mayConsentFor(household, person, cmd.withdrawnBy, cmd.withdrawnOn)
    return [
      new ConsentWithdrawn({
        household: cmd.household,
        person: cmd.person,
        scope: cmd.scope,
        withdrawnBy: cmd.withdrawnBy,
        withdrawnOn: cmd.withdrawnOn
      })
    ]
  })

export const assessRisk = (cmd: Commands.AssessRisk, state: State, context: Decider.DecisionContext): Decision =>
  Result.gen(function* () {
    const household = yield* openFile(cmd.household, state)
    const latest = cmd.person === undefined ? household.risk : (yield* memberOnFile(household, cmd.person)).risk
    yield* notInFuture("assessedOn", cmd.assessedOn, context.now)
    const same =
      latest !== undefined &&
      latest.level === cmd.level &&
      latest.assessedOn === cmd.assessedOn &&
      latest.assessedBy === cmd.assessedBy
    if (same) return []
    // The household as a whole is its members: rated while one of them has not withdrawn.
    const everyoneWithdrew = household.members.every((m) => withdrawalOf(household, m.person) !== undefined)
    if (cmd.person !== undefined) yield* consentToProcess(state, cmd.person)
    else if (everyoneWithdrew) yield* consentToProcess(state, household.head)
    return [
      new RiskAssessed({
        household: cmd.household,
        ...(cmd.person === undefined ? {} : { person: cmd.person }),
        level: cmd.level,
        assessedOn: cmd.assessedOn,
        assessedBy: cmd.assessedBy
      })
    ]
  })

export const archiveHousehold = (
  cmd: Commands.ArchiveHousehold,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    if (state._tag === "Archived") return []
    yield* openFile(cmd.household, state)
    yield* notInFuture("archivedOn", cmd.archivedOn, context.now)
    return [new HouseholdArchived({ household: cmd.household, archivedOn: cmd.archivedOn, reason: cmd.reason })]
  })

/** What each registry command does for a person who withdrew consent to processing (shared/Consent.ts). */
export const afterWithdrawal: AfterWithdrawalOf<Commands.Command["_tag"]> = {
  RegisterHousehold: { _tag: "Runs", why: "a new file: no one on it has withdrawn yet" },
  AddMember: {
    _tag: "Refused",
    why: "puts the person's name and birth date on file again after they were removed (a new member runs)"
  },
  RemoveMember: { _tag: "Runs", why: "takes the person off the file: less processing, not more" },
  AssignCategory: {
    _tag: "Runs",
    why: "the civil-affairs bureau's verification (verifiedBy), which the law requires and assistance follows: art. 13(3), a legal duty"
  },
  RevokeCategory: { _tag: "Runs", why: "ends a category: less processing, and the bureau's legal duty" },
  RecordConsent: { _tag: "Runs", why: "giving consent again lifts the withdrawal" },
  WithdrawConsent: { _tag: "Runs", why: "withdrawing another scope (Referral, Publicity) is always possible" },
  AssessRisk: {
    _tag: "Refused",
    why: "a risk rating is new data about the person; the household as a whole is rated while one member has not withdrawn"
  },
  ArchiveHousehold: { _tag: "Runs", why: "closes the file: a consequence of the withdrawal the station may record" }
}

export const decide = (command: Commands.Command, state: State, context: Decider.DecisionContext): Decision => {
  switch (command._tag) {
    case "RegisterHousehold":
      return registerHousehold(command, state, context)
    case "AddMember":
      return addMember(command, state, context)
    case "RemoveMember":
      return removeMember(command, state)
    case "AssignCategory":
      return assignCategory(command, state, context)
    case "RevokeCategory":
      return revokeCategory(command, state, context)
    case "RecordConsent":
      return recordConsent(command, state, context)
    case "WithdrawConsent":
      return withdrawConsent(command, state, context)
    case "AssessRisk":
      return assessRisk(command, state, context)
    case "ArchiveHousehold":
      return archiveHousehold(command, state, context)
  }
}

export const decider = Decider.make<Commands.Command, Event, State>({ initialState: initial, evolve, decide })
