import type { Scalars } from "@shuangbai/eventsourcing"
import type { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import type { RecipientCategory, RiskLevel } from "../shared/RecipientCategory.ts"
import type { ConsentScope, Event, Relation } from "./Events.ts"

export interface Verification {
  readonly category: RecipientCategory
  readonly verifiedBy: Scalars.Id
  readonly verifiedOn: Scalars.LocalDate
}

export interface Consent {
  readonly scope: ConsentScope
  readonly givenBy: PersonId
  readonly givenOn: Scalars.LocalDate
}

/**
 * A consent withdrawn and not given again. Kept on the household, not the member, so a person removed from
 * the file and added again is still known to have withdrawn.
 */
export interface Withdrawal {
  readonly person: PersonId
  readonly scope: ConsentScope
  readonly withdrawnOn: Scalars.LocalDate
}

export interface Assessment {
  readonly level: RiskLevel
  readonly assessedOn: Scalars.LocalDate
  readonly assessedBy: WorkerId
}

export interface Member {
  readonly person: PersonId
  readonly name: Scalars.NonEmptyText
  readonly birthDate: Scalars.LocalDate
  readonly relation: Relation
  readonly guardian?: PersonId
  /** Categories the person carries now. */
  readonly categories: ReadonlyArray<Verification>
  /** Consents in force now, one per scope. */
  readonly consents: ReadonlyArray<Consent>
  /** The latest assessment of this person. */
  readonly risk?: Assessment
}

export interface Household {
  readonly id: HouseholdId
  readonly station: StationId
  readonly township: TownshipId
  readonly village: VillageId
  readonly address: Scalars.NonEmptyText
  readonly head: PersonId
  readonly registeredOn: Scalars.LocalDate
  /** Current members, the head first. */
  readonly members: ReadonlyArray<Member>
  /** The latest assessment of the household as a whole. */
  readonly risk?: Assessment
  /** Consents withdrawn and not given again, one per person and scope. */
  readonly withdrawals: ReadonlyArray<Withdrawal>
}

export type State =
  | { readonly _tag: "NotRegistered" }
  | { readonly _tag: "Registered"; readonly household: Household }
  | {
      readonly _tag: "Archived"
      readonly household: Household
      readonly archivedOn: Scalars.LocalDate
      readonly reason: Scalars.NonEmptyText
    }

export const initial: State = { _tag: "NotRegistered" }

export const memberOf = (household: Household, person: PersonId): Member | undefined =>
  household.members.find((m) => m.person === person)

/** The person's consent of `scope` withdrawn and not given again, if it is. */
export const withdrawalOf = (
  household: Household,
  person: PersonId,
  scope: ConsentScope = "DataProcessing"
): Withdrawal | undefined => household.withdrawals.find((w) => w.person === person && w.scope === scope)

const withoutWithdrawal = (household: Household, person: PersonId, scope: ConsentScope) =>
  household.withdrawals.filter((w) => w.person !== person || w.scope !== scope)

const updateMember = (household: Household, person: PersonId, update: (member: Member) => Member): Household => ({
  ...household,
  members: household.members.map((m) => (m.person === person ? update(m) : m))
})

const evolveRegistered = (household: Household, event: Event): State => {
  switch (event._tag) {
    case "HouseholdRegistered":
      return { _tag: "Registered", household }
    case "MemberAdded": {
      const member: Member = {
        person: event.person,
        name: event.name,
        birthDate: event.birthDate,
        relation: event.relation,
        ...(event.guardian === undefined ? {} : { guardian: event.guardian }),
        categories: [],
        consents: []
      }
      const others = household.members.filter((m) => m.person !== event.person)
      return { _tag: "Registered", household: { ...household, members: [...others, member] } }
    }
    case "MemberRemoved":
      return {
        _tag: "Registered",
        household: { ...household, members: household.members.filter((m) => m.person !== event.person) }
      }
    case "CategoryAssigned": {
      const verification: Verification = {
        category: event.category,
        verifiedBy: event.verifiedBy,
        verifiedOn: event.verifiedOn
      }
      return {
        _tag: "Registered",
        household: updateMember(household, event.person, (m) => ({
          ...m,
          categories: [...m.categories.filter((c) => c.category !== event.category), verification]
        }))
      }
    }
    case "CategoryRevoked":
      return {
        _tag: "Registered",
        household: updateMember(household, event.person, (m) => ({
          ...m,
          categories: m.categories.filter((c) => c.category !== event.category)
        }))
      }
    case "ConsentRecorded": {
      const consent: Consent = { scope: event.scope, givenBy: event.givenBy, givenOn: event.givenOn }
      const given = updateMember(household, event.person, (m) => ({
        ...m,
        consents: [...m.consents.filter((c) => c.scope !== event.scope), consent]
      }))
      return {
        _tag: "Registered",
        household: { ...given, withdrawals: withoutWithdrawal(given, event.person, event.scope) }
      }
    }
    case "ConsentWithdrawn": {
      const withdrawn = updateMember(household, event.person, (m) => ({
        ...m,
        consents: m.consents.filter((c) => c.scope !== event.scope)
      }))
      const withdrawal: Withdrawal = { person: event.person, scope: event.scope, withdrawnOn: event.withdrawnOn }
      return {
        _tag: "Registered",
        household: {
          ...withdrawn,
          withdrawals: [...withoutWithdrawal(withdrawn, event.person, event.scope), withdrawal]
        }
      }
    }
    case "RiskAssessed": {
      const risk: Assessment = { level: event.level, assessedOn: event.assessedOn, assessedBy: event.assessedBy }
      return {
        _tag: "Registered",
        household:
          event.person === undefined
            ? { ...household, risk }
            : updateMember(household, event.person, (m) => ({ ...m, risk }))
      }
    }
    case "HouseholdArchived":
      return { _tag: "Archived", household, archivedOn: event.archivedOn, reason: event.reason }
  }
}

/** Pure and total: an event that does not fit the stage (none should be stored) leaves the state as it is. */
export const evolve = (state: State, event: Event): State => {
  switch (state._tag) {
    case "NotRegistered":
      return event._tag === "HouseholdRegistered"
        ? {
            _tag: "Registered",
            household: {
              id: event.household,
              station: event.station,
              township: event.township,
              village: event.village,
              address: event.address,
              head: event.head.person,
              registeredOn: event.registeredOn,
              withdrawals: [],
              members: [
                {
                  person: event.head.person,
                  name: event.head.name,
                  birthDate: event.head.birthDate,
                  relation: "Head",
                  categories: [],
                  consents: []
                }
              ]
            }
          }
        : state
    case "Registered":
      return event._tag === "HouseholdRegistered" ? state : evolveRegistered(state.household, event)
    case "Archived":
      return state
  }
}
