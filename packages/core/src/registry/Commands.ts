import { Text } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { HouseholdId, PersonId, StationId, TownshipId, VillageId, WorkerId } from "../shared/Ids.ts"
import { RecipientCategory, RiskLevel } from "../shared/RecipientCategory.ts"
import { ConsentScope, Head, MemberRelation } from "./Events.ts"

export class RegisterHousehold extends Schema.TaggedClass<RegisterHousehold>()("RegisterHousehold", {
  household: HouseholdId,
  station: StationId,
  township: TownshipId,
  village: VillageId,
  address: Text.NonEmptyText,
  head: Head,
  registeredOn: Text.LocalDate
}) {}

export class AddMember extends Schema.TaggedClass<AddMember>()("AddMember", {
  household: HouseholdId,
  person: PersonId,
  name: Text.NonEmptyText,
  birthDate: Text.LocalDate,
  relation: MemberRelation,
  guardian: Schema.optionalKey(PersonId)
}) {}

export class RemoveMember extends Schema.TaggedClass<RemoveMember>()("RemoveMember", {
  household: HouseholdId,
  person: PersonId,
  reason: Text.NonEmptyText
}) {}

export class AssignCategory extends Schema.TaggedClass<AssignCategory>()("AssignCategory", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Text.Id,
  verifiedOn: Text.LocalDate
}) {}

export class RevokeCategory extends Schema.TaggedClass<RevokeCategory>()("RevokeCategory", {
  household: HouseholdId,
  person: PersonId,
  category: RecipientCategory,
  verifiedBy: Text.Id,
  verifiedOn: Text.LocalDate,
  reason: Text.NonEmptyText
}) {}

export class RecordConsent extends Schema.TaggedClass<RecordConsent>()("RecordConsent", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  givenBy: PersonId,
  givenOn: Text.LocalDate
}) {}

export class WithdrawConsent extends Schema.TaggedClass<WithdrawConsent>()("WithdrawConsent", {
  household: HouseholdId,
  person: PersonId,
  scope: ConsentScope,
  withdrawnBy: PersonId,
  withdrawnOn: Text.LocalDate
}) {}

export class AssessRisk extends Schema.TaggedClass<AssessRisk>()("AssessRisk", {
  household: HouseholdId,
  person: Schema.optionalKey(PersonId),
  level: RiskLevel,
  assessedOn: Text.LocalDate,
  assessedBy: WorkerId
}) {}

export class ArchiveHousehold extends Schema.TaggedClass<ArchiveHousehold>()("ArchiveHousehold", {
  household: HouseholdId,
  archivedOn: Text.LocalDate,
  reason: Text.NonEmptyText
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
