import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import { RiskLevel } from "../shared/RecipientCategory.ts"
import {
  AssessmentRecorded,
  CaseClosed,
  CaseReopened,
  CaseType,
  EvaluationRecorded,
  FollowUpRecorded,
  PlanRecorded,
  ReferralAccepted,
  ReferralMade,
  ReferralRejected,
  ServiceDelivered,
  Transfer
} from "./Events.ts"

// Every command but OpenCase is recorded as given: it takes its event's fields (Events.ts), defined once there.

/** Opens a case for a recipient; its id is `caseIdOf(person, caseType)` (Stream.ts). */
export class OpenCase extends Schema.TaggedClass<OpenCase>()("OpenCase", {
  person: PersonId,
  household: HouseholdId,
  station: StationId,
  worker: WorkerId,
  caseType: CaseType,
  riskLevel: RiskLevel,
  openedOn: Scalars.LocalDate
}) {}

export class RecordAssessment extends Schema.TaggedClass<RecordAssessment>()(
  "RecordAssessment",
  asGiven(AssessmentRecorded.fields)
) {}

export class RecordPlan extends Schema.TaggedClass<RecordPlan>()("RecordPlan", asGiven(PlanRecorded.fields)) {}

export class DeliverService extends Schema.TaggedClass<DeliverService>()(
  "DeliverService",
  asGiven(ServiceDelivered.fields)
) {}

export class MakeReferral extends Schema.TaggedClass<MakeReferral>()("MakeReferral", asGiven(ReferralMade.fields)) {}

export class AcceptReferral extends Schema.TaggedClass<AcceptReferral>()(
  "AcceptReferral",
  asGiven(ReferralAccepted.fields)
) {}

export class RejectReferral extends Schema.TaggedClass<RejectReferral>()(
  "RejectReferral",
  asGiven(ReferralRejected.fields)
) {}

export class RecordFollowUp extends Schema.TaggedClass<RecordFollowUp>()(
  "RecordFollowUp",
  asGiven(FollowUpRecorded.fields)
) {}

export class RecordEvaluation extends Schema.TaggedClass<RecordEvaluation>()(
  "RecordEvaluation",
  asGiven(EvaluationRecorded.fields)
) {}

export class CloseCase extends Schema.TaggedClass<CloseCase>()("CloseCase", asGiven(CaseClosed.fields)) {}

export class ReopenCase extends Schema.TaggedClass<ReopenCase>()("ReopenCase", asGiven(CaseReopened.fields)) {}

export class TransferCase extends Schema.TaggedClass<TransferCase>()("TransferCase", Transfer) {}

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
