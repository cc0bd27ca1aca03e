import { Text } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CaseId, HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import { RiskLevel } from "../shared/RecipientCategory.ts"
import { CaseType, CloseReason, EvaluationOutcome, ReferralId, ServiceType } from "./Events.ts"

const Lines = Schema.NonEmptyArray(Text.NonEmptyText).check(Schema.isMaxLength(100))

/** Opens a case for a recipient; its id is `caseIdOf(person, caseType)` (Stream.ts). */
export class OpenCase extends Schema.TaggedClass<OpenCase>()("OpenCase", {
  person: PersonId,
  household: HouseholdId,
  station: StationId,
  worker: WorkerId,
  caseType: CaseType,
  riskLevel: RiskLevel,
  openedOn: Text.LocalDate
}) {}

export class RecordAssessment extends Schema.TaggedClass<RecordAssessment>()("RecordAssessment", {
  case: CaseId,
  needs: Lines,
  riskLevel: RiskLevel,
  assessedOn: Text.LocalDate
}) {}

export class RecordPlan extends Schema.TaggedClass<RecordPlan>()("RecordPlan", {
  case: CaseId,
  goals: Lines,
  services: Schema.NonEmptyArray(ServiceType).check(Schema.isUnique()),
  plannedOn: Text.LocalDate
}) {}

export class DeliverService extends Schema.TaggedClass<DeliverService>()("DeliverService", {
  case: CaseId,
  service: ServiceType,
  deliveredOn: Text.LocalDate,
  notes: Text.Text
}) {}

export class MakeReferral extends Schema.TaggedClass<MakeReferral>()("MakeReferral", {
  case: CaseId,
  referral: ReferralId,
  organisation: Text.NonEmptyText,
  reason: Text.NonEmptyText,
  referredOn: Text.LocalDate
}) {}

export class AcceptReferral extends Schema.TaggedClass<AcceptReferral>()("AcceptReferral", {
  case: CaseId,
  referral: ReferralId,
  acceptedOn: Text.LocalDate
}) {}

export class RejectReferral extends Schema.TaggedClass<RejectReferral>()("RejectReferral", {
  case: CaseId,
  referral: ReferralId,
  rejectedOn: Text.LocalDate,
  reason: Text.NonEmptyText
}) {}

export class RecordFollowUp extends Schema.TaggedClass<RecordFollowUp>()("RecordFollowUp", {
  case: CaseId,
  followedUpOn: Text.LocalDate,
  notes: Text.Text
}) {}

export class RecordEvaluation extends Schema.TaggedClass<RecordEvaluation>()("RecordEvaluation", {
  case: CaseId,
  outcome: EvaluationOutcome,
  evaluatedOn: Text.LocalDate,
  notes: Text.Text
}) {}

export class CloseCase extends Schema.TaggedClass<CloseCase>()("CloseCase", {
  case: CaseId,
  reason: CloseReason,
  closedOn: Text.LocalDate,
  notes: Text.Text
}) {}

export class ReopenCase extends Schema.TaggedClass<ReopenCase>()("ReopenCase", {
  case: CaseId,
  reason: Text.NonEmptyText,
  reopenedOn: Text.LocalDate
}) {}

export class TransferCase extends Schema.TaggedClass<TransferCase>()(
  "TransferCase",
  Schema.Struct({
    case: CaseId,
    worker: Schema.optionalKey(WorkerId),
    station: Schema.optionalKey(StationId),
    transferredOn: Text.LocalDate
  }).check(
    Schema.makeFilter((t) => t.worker !== undefined || t.station !== undefined || "names a worker, a station or both", {
      expected: "a transfer to a worker and/or a station"
    })
  )
) {}

export const Command = Schema.Union([
  OpenCase,
  RecordAssessment,
  RecordPlan,
  DeliverService,
  MakeReferral,
  AcceptReferral,
  RejectReferral,
  RecordFollowUp,
  RecordEvaluation,
  CloseCase,
  ReopenCase,
  TransferCase
])
export type Command = typeof Command.Type
