import { EventCodec, Personal, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CaseId, HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import { RiskLevel } from "../shared/RecipientCategory.ts"

/** What a case is about. A recipient has at most one open case of each type. */
export const CaseType = Schema.Literals([
  "ChildWelfare", // 儿童福利与保护
  "ElderlyCare", // 老年人服务
  "Disability", // 残疾人服务
  "SocialAssistance", // 社会救助（低保、特困）
  "FamilyRelations", // 家庭关系
  "MentalHealth", // 心理健康
  "Other"
])
export type CaseType = typeof CaseType.Type

/** 介入: the six services the article names. */
export const ServiceType = Schema.Literals([
  "PolicyGuidance", // 社会福利政策指导
  "ResourceLinking", // 社会资源链接
  "PsychosocialSupport", // 社会心理支持
  "SocialRehabilitation", // 社会康复
  "CapacityBuilding", // 能力建设
  "CrisisIntervention" // 危机干预
])
export type ServiceType = typeof ServiceType.Type

/** 评估: how far the plan's goals were reached. */
export const EvaluationOutcome = Schema.Literals(["GoalsAchieved", "PartlyAchieved", "NotAchieved"])
export type EvaluationOutcome = typeof EvaluationOutcome.Type

/** Reasons to close that need an evaluation first (结案评估). */
export const EvaluatedCloseReason = Schema.Literals(["GoalsAchieved", "ReferredOut", "Other"])
export type EvaluatedCloseReason = typeof EvaluatedCloseReason.Type

/** Reasons to close that excuse the evaluation: the recipient can no longer take part in one. */
export const ExcusingCloseReason = Schema.Literals([
  "RecipientDeceased", // 服务对象离世
  "RecipientMovedAway", // 服务对象迁离
  "ServiceRefused", // 服务对象拒绝服务
  "LostContact" // 失去联系
])
export type ExcusingCloseReason = typeof ExcusingCloseReason.Type

/** 结案原因. */
export const CloseReason = Schema.Literals([...EvaluatedCloseReason.literals, ...ExcusingCloseReason.literals])
export type CloseReason = typeof CloseReason.Type

export const isExcusing = (reason: CloseReason): reason is ExcusingCloseReason =>
  (ExcusingCloseReason.literals as ReadonlyArray<string>).includes(reason)

/** A referral is named by the host app so that its answer can be recorded against it. */
export const ReferralId = Scalars.Id.pipe(Schema.brand("ReferralId"))
export type ReferralId = typeof ReferralId.Type

const Lines = Schema.NonEmptyArray(Scalars.NonEmptyText).check(Schema.isMaxLength(100))

// Needs, goals and notes are free text about the recipient: personal fields of the case's person (the last
// subject the handler lists), erased as one line or one text.
const PersonalLines = Personal.field(Lines, { erased: [Personal.erasedText] })
const Notes = Personal.field(Scalars.Text)

// Every event names its case (the stream's id, `caseIdOf(person, caseType)`), as the other contexts do.

/** 接案: a case opened for a recipient, at a station, in a worker's charge. */
export class CaseOpened extends Schema.TaggedClass<CaseOpened>()("CaseOpened", {
  case: CaseId,
  person: PersonId,
  household: HouseholdId,
  station: StationId,
  worker: WorkerId,
  caseType: CaseType,
  riskLevel: RiskLevel,
  openedOn: Scalars.LocalDate
}) {}

/** 预估: the recipient's needs and risk. A case may be assessed again as it goes on. */
export class AssessmentRecorded extends Schema.TaggedClass<AssessmentRecorded>()("AssessmentRecorded", {
  case: CaseId,
  needs: PersonalLines,
  riskLevel: RiskLevel,
  assessedOn: Scalars.LocalDate
}) {}

/** 计划: the goals and the services planned to reach them. */
export class PlanRecorded extends Schema.TaggedClass<PlanRecorded>()("PlanRecorded", {
  case: CaseId,
  goals: PersonalLines,
  services: Schema.NonEmptyArray(ServiceType).check(Schema.isUnique()),
  plannedOn: Scalars.LocalDate
}) {}

/** 介入: one service given on one day. A crisis intervention calls for a follow-up within a deadline. */
export class ServiceDelivered extends Schema.TaggedClass<ServiceDelivered>()("ServiceDelivered", {
  case: CaseId,
  service: ServiceType,
  deliveredOn: Scalars.LocalDate,
  notes: Notes
}) {}

/** 转介: the case referred to another organisation or agency, with the recipient's consent. */
export class ReferralMade extends Schema.TaggedClass<ReferralMade>()("ReferralMade", {
  case: CaseId,
  referral: ReferralId,
  organisation: Scalars.NonEmptyText,
  reason: Scalars.NonEmptyText,
  referredOn: Scalars.LocalDate
}) {}

export class ReferralAccepted extends Schema.TaggedClass<ReferralAccepted>()("ReferralAccepted", {
  case: CaseId,
  referral: ReferralId,
  acceptedOn: Scalars.LocalDate
}) {}

export class ReferralRejected extends Schema.TaggedClass<ReferralRejected>()("ReferralRejected", {
  case: CaseId,
  referral: ReferralId,
  rejectedOn: Scalars.LocalDate,
  reason: Scalars.NonEmptyText
}) {}

/** 跟进: a call on the recipient after a service; answers every crisis intervention on or before its day. */
export class FollowUpRecorded extends Schema.TaggedClass<FollowUpRecorded>()("FollowUpRecorded", {
  case: CaseId,
  followedUpOn: Scalars.LocalDate,
  notes: Notes
}) {}

/** 评估: how the case went. */
export class EvaluationRecorded extends Schema.TaggedClass<EvaluationRecorded>()("EvaluationRecorded", {
  case: CaseId,
  outcome: EvaluationOutcome,
  evaluatedOn: Scalars.LocalDate,
  notes: Notes
}) {}

/** 结案. */
export class CaseClosed extends Schema.TaggedClass<CaseClosed>()("CaseClosed", {
  case: CaseId,
  reason: CloseReason,
  closedOn: Scalars.LocalDate,
  notes: Notes
}) {}

/** The same case taken up again: it keeps its history and the stage it had reached. */
export class CaseReopened extends Schema.TaggedClass<CaseReopened>()("CaseReopened", {
  case: CaseId,
  reason: Scalars.NonEmptyText,
  reopenedOn: Scalars.LocalDate
}) {}

/** A case's new holder: another worker, another station, or both (CaseTransferred, TransferCase). */
export const Transfer = Schema.Struct({
  case: CaseId,
  worker: Schema.optionalKey(WorkerId),
  station: Schema.optionalKey(StationId),
  transferredOn: Scalars.LocalDate
}).check(
  Schema.makeFilter((t) => t.worker !== undefined || t.station !== undefined || "names a worker, a station or both", {
    expected: "a transfer to a worker and/or a station"
  })
)

/** The case handed to another worker, another station, or both. */
export class CaseTransferred extends Schema.TaggedClass<CaseTransferred>()("CaseTransferred", Transfer) {}

export const codec = EventCodec.make(
  {
    CaseOpened,
    AssessmentRecorded,
    PlanRecorded,
    ServiceDelivered,
    ReferralMade,
    ReferralAccepted,
    ReferralRejected,
    FollowUpRecorded,
    EvaluationRecorded,
    CaseClosed,
    CaseReopened,
    CaseTransferred
  },
  {
    AssessmentRecorded: Personal.versioning(AssessmentRecorded),
    PlanRecorded: Personal.versioning(PlanRecorded),
    ServiceDelivered: Personal.versioning(ServiceDelivered),
    FollowUpRecorded: Personal.versioning(FollowUpRecorded),
    EvaluationRecorded: Personal.versioning(EvaluationRecorded),
    CaseClosed: Personal.versioning(CaseClosed)
  }
)

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day an event is dated. */
export const dateOf = (event: Event): Scalars.LocalDate => {
  switch (event._tag) {
    case "CaseOpened":
      return event.openedOn
    case "AssessmentRecorded":
      return event.assessedOn
    case "PlanRecorded":
      return event.plannedOn
    case "ServiceDelivered":
      return event.deliveredOn
    case "ReferralMade":
      return event.referredOn
    case "ReferralAccepted":
      return event.acceptedOn
    case "ReferralRejected":
      return event.rejectedOn
    case "FollowUpRecorded":
      return event.followedUpOn
    case "EvaluationRecorded":
      return event.evaluatedOn
    case "CaseClosed":
      return event.closedOn
    case "CaseReopened":
      return event.reopenedOn
    case "CaseTransferred":
      return event.transferredOn
  }
}
