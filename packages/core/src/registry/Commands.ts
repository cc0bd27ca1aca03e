import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { HouseholdId, PersonId } from "../shared/Ids.ts"
import {
  CategoryAssigned,
  CategoryRevoked,
  ConsentRecorded,
  ConsentWithdrawn,
  HouseholdArchived,
  HouseholdRegistered,
  MemberRelation,
  MemberRemoved,
  RiskAssessed
} from "./Events.ts"

export class RegisterHousehold extends Schema.TaggedClass<RegisterHousehold>()(
  "RegisterHousehold",
  asGiven(HouseholdRegistered.fields)
) {}

export class AddMember extends Schema.TaggedClass<AddMember>()("AddMember", {
  household: HouseholdId,
  person: PersonId,
  name: Scalars.NonEmptyText,
  birthDate: Scalars.LocalDate,
  relation: MemberRelation,
  guardian: Schema.optionalKey(PersonId)
}) {}

export class RemoveMember extends Schema.TaggedClass<RemoveMember>()("RemoveMember", asGiven(MemberRemoved.fields)) {}

export class AssignCategory extends Schema.TaggedClass<AssignCategory>()(
  "AssignCategory",
  asGiven(CategoryAssigned.fields)
) {}

export class RevokeCategory extends Schema.TaggedClass<RevokeCategory>()(
  "RevokeCategory",
  asGiven(CategoryRevoked.fields)
) {}

export class RecordConsent extends Schema.TaggedClass<RecordConsent>()(
  "RecordConsent",
  asGiven(ConsentRecorded.fields)
) {}

export class WithdrawConsent extends Schema.TaggedClass<WithdrawConsent>()(
  "WithdrawConsent",
  asGiven(ConsentWithdrawn.fields)
) {}

export class AssessRisk extends Schema.TaggedClass<AssessRisk>()("AssessRisk", asGiven(RiskAssessed.fields)) {}

export class ArchiveHousehold extends Schema.TaggedClass<ArchiveHousehold>()(
  "ArchiveHousehold",
  asGiven(HouseholdArchived.fields)
) {}

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
