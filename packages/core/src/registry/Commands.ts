import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import { RecipientCategory, RiskLevel } from "../shared/RecipientCategory.ts"
import { ConsentScope, Head, MemberRelation } from "./Events.ts"

export class RegisterHousehold extends Schema.TaggedClass<RegisterHousehold>()("RegisterHousehold", {
  household: HouseholdId,
  station: StationId,
  township: TownshipId,
  village: VillageId,
  address: Scalars.NonEmptyText,
  head: Head,
  registeredOn: Scalars.LocalDate
}) {}

export class AddMember extends Schema.TaggedClass<AddMember>()("AddMember", {
  household: HouseholdId,
  person: PersonId,
  name: Scalars.NonEmptyText,
  birthDate: Scalars.LocalDate,
  relation: MemberRelation,
  guardian: Schema.optionalKey(PersonId)
}) {}

export class RemoveMember extends Schema.TaggedClass<RemoveMember>()("RemoveMember", {
  household: HouseholdId,
  person: PersonId,
  reason: Scalars.NonEmptyText
}) {}

export class AssignCategory extends Schema.TaggedClass<AssignCategory>()("AssignCategory", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Scalars.Id,
  verifiedOn: Scalars.LocalDate
}) {}

export class RevokeCategory extends Schema.TaggedClass<RevokeCategory>()("RevokeCategory", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Scalars.Id,
  verifiedOn: Scalars.LocalDate,
  reason: Scalars.NonEmptyText
}) {}

export class RecordConsent extends Schema.TaggedClass<RecordConsent>()("RecordConsent", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  givenBy: PersonId,
  givenOn: Scalars.LocalDate
}) {}

export class WithdrawConsent extends Schema.TaggedClass<WithdrawConsent>()("WithdrawConsent", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  withdrawnBy: PersonId,
  withdrawnOn: Scalars.LocalDate
}) {}

export class AssessRisk extends Schema.TaggedClass<AssessRisk>()("AssessRisk", {
  household: HouseholdId,
  person: Schema.optionalKey(PersonId),
  level: RiskLevel,
  assessedOn: Scalars.LocalDate,
  assessedBy: WorkerId
}) {}

export class ArchiveHousehold extends Schema.TaggedClass<ArchiveHousehold>()("ArchiveHousehold", {
  household: HouseholdId,
  archivedOn: Scalars.LocalDate,
  reason: Scalars.NonEmptyText
}) {}

export const Command = Schema.Union([
  RegisterHousehold,
  AddMember,
  RemoveMember,
  AssignCategory,
  RevokeCategory,
  RecordConsent,
  WithdrawConsent,
  AssessRisk,
  ArchiveHousehold
])
export type Command = typeof Command.Type
