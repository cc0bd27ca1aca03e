import { EventCodec, Personal, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import { RecipientCategory, RiskLevel } from "../shared/RecipientCategory.ts"

/** How a member is related to the head of the household. */
export const Relation = Schema.Literals([
  "Head",
  "Spouse",
  "Child",
  "Parent",
  "Grandparent",
  "Grandchild",
  "Sibling",
  "OtherRelative",
  "Other"
])
export type Relation = typeof Relation.Type

/** A relation a member added after registration may have: the head is recorded with the household. */
export const MemberRelation = Schema.Literals([
  "Spouse",
  "Child",
  "Parent",
  "Grandparent",
  "Grandchild",
  "Sibling",
  "OtherRelative",
  "Other"
])

/** What a person agrees to (PIPL): processing their personal data, a referral, use in publicity. */
export const ConsentScope = Schema.Literals(["DataProcessing", "Referral", "Publicity"])
export type ConsentScope = typeof ConsentScope.Type

/**
 * A birth date is personal data; once its person is erased it reads as 1900-01-01, a day no rule of this
 * library counts by (`Recorded.erased` says which fields are erased).
 */
const BirthDate = Personal.field(Scalars.LocalDate, { erased: "1900-01-01" })

/** The head of the household, recorded with the file: they are its first member. */
export const Head = Schema.Struct({
  person: PersonId,
  name: Personal.field(Scalars.NonEmptyText),
  birthDate: BirthDate
})
export type Head = typeof Head.Type

/** 建档: a household file opened at a station. */
export class HouseholdRegistered extends Schema.TaggedClass<HouseholdRegistered>()("HouseholdRegistered", {
  household: HouseholdId,
  station: StationId,
  township: TownshipId,
  village: VillageId,
  address: Personal.field(Scalars.NonEmptyText, { about: "household" }),
  head: Head,
  registeredOn: Scalars.LocalDate
}) {}

export class MemberAdded extends Schema.TaggedClass<MemberAdded>()("MemberAdded", {
  household: HouseholdId,
  person: PersonId,
  name: Personal.field(Scalars.NonEmptyText),
  birthDate: BirthDate,
  relation: Relation,
  /** The member who is this person's legal guardian (a child's parent or grandparent). */
  guardian: Schema.optionalKey(PersonId)
}) {}

export class MemberRemoved extends Schema.TaggedClass<MemberRemoved>()("MemberRemoved", {
  household: HouseholdId,
  person: PersonId,
  reason: Scalars.NonEmptyText
}) {}

/** A civil-affairs category, with who verified it and on which day. */
export class CategoryAssigned extends Schema.TaggedClass<CategoryAssigned>()("CategoryAssigned", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Scalars.Id,
  verifiedOn: Scalars.LocalDate
}) {}

export class CategoryRevoked extends Schema.TaggedClass<CategoryRevoked>()("CategoryRevoked", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Scalars.Id,
  verifiedOn: Scalars.LocalDate,
  reason: Scalars.NonEmptyText
}) {}

/** Consent to a scope, given by the person or, under 14, by their guardian (PIPL art. 31). */
export class ConsentRecorded extends Schema.TaggedClass<ConsentRecorded>()("ConsentRecorded", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  givenBy: PersonId,
  givenOn: Scalars.LocalDate
}) {}

export class ConsentWithdrawn extends Schema.TaggedClass<ConsentWithdrawn>()("ConsentWithdrawn", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  withdrawnBy: PersonId,
  withdrawnOn: Scalars.LocalDate
}) {}

/** A risk assessment of one member or, without `person`, of the household as a whole. */
export class RiskAssessed extends Schema.TaggedClass<RiskAssessed>()("RiskAssessed", {
  household: HouseholdId,
  person: Schema.optionalKey(PersonId),
  level: RiskLevel,
  assessedOn: Scalars.LocalDate,
  assessedBy: WorkerId
}) {}

/** The file is closed (moved away, no longer eligible, deceased): nothing may be recorded after it. */
export class HouseholdArchived extends Schema.TaggedClass<HouseholdArchived>()("HouseholdArchived", {
  household: HouseholdId,
  archivedOn: Scalars.LocalDate,
  reason: Scalars.NonEmptyText
}) {}

export const codec = EventCodec.make(
  {
    HouseholdRegistered,
    MemberAdded,
    MemberRemoved,
    CategoryAssigned,
    CategoryRevoked,
    ConsentRecorded,
    ConsentWithdrawn,
    RiskAssessed,
    HouseholdArchived
  },
  // Version 2 stores the personal fields sealed (Personal.ts); version-1 rows are read as they were stored.
  { HouseholdRegistered: Personal.versioning(HouseholdRegistered), MemberAdded: Personal.versioning(MemberAdded) }
)

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day: the day the form says it happened; members are added and removed as of now (none). */
export const dateOf = (event: Event): Scalars.LocalDate | undefined => {
  switch (event._tag) {
    case "HouseholdRegistered":
      return event.registeredOn
    case "CategoryAssigned":
    case "CategoryRevoked":
      return event.verifiedOn
    case "ConsentRecorded":
      return event.givenOn
    case "ConsentWithdrawn":
      return event.withdrawnOn
    case "RiskAssessed":
      return event.assessedOn
    case "HouseholdArchived":
      return event.archivedOn
    case "MemberAdded":
    case "MemberRemoved":
      return undefined
  }
}
