import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { CaseType, CloseReason, EvaluationOutcome, Event, ServiceType } from "./Events.ts"
import type { Referral, Stage, State } from "./State.ts"

export const caseTypeLabels: Labels<CaseType> = {
  ChildWelfare: { "zh-CN": "儿童福利与保护", en: "child welfare and protection" },
  ElderlyCare: { "zh-CN": "老年人服务", en: "elderly care" },
  Disability: { "zh-CN": "残疾人服务", en: "disability" },
  SocialAssistance: { "zh-CN": "社会救助", en: "social assistance" },
  FamilyRelations: { "zh-CN": "家庭关系", en: "family relations" },
  MentalHealth: { "zh-CN": "心理健康", en: "mental health" },
  Other: { "zh-CN": "其他", en: "other" }
}

export const serviceTypeLabels: Labels<ServiceType> = {
  PolicyGuidance: { "zh-CN": "社会福利政策指导", en: "social welfare policy guidance" },
  ResourceLinking: { "zh-CN": "社会资源链接", en: "social resource linking" },
  PsychosocialSupport: { "zh-CN": "社会心理支持", en: "psychosocial support" },
  SocialRehabilitation: { "zh-CN": "社会康复", en: "social rehabilitation" },
  CapacityBuilding: { "zh-CN": "能力建设", en: "capacity building" },
  CrisisIntervention: { "zh-CN": "危机干预", en: "crisis intervention" }
}

export const evaluationOutcomeLabels: Labels<EvaluationOutcome> = {
  GoalsAchieved: { "zh-CN": "目标达成", en: "goals achieved" },
  PartlyAchieved: { "zh-CN": "部分达成", en: "partly achieved" },
  NotAchieved: { "zh-CN": "未达成", en: "not achieved" }
}

/** Every close reason; the last four (ExcusingCloseReason) excuse the evaluation. */
export const closeReasonLabels: Labels<CloseReason> = {
  GoalsAchieved: { "zh-CN": "服务目标达成", en: "goals achieved" },
  ReferredOut: { "zh-CN": "已转介其他机构", en: "referred to another organisation" },
  Other: { "zh-CN": "其他", en: "other" },
  RecipientDeceased: { "zh-CN": "服务对象离世", en: "recipient deceased" },
  RecipientMovedAway: { "zh-CN": "服务对象迁离", en: "recipient moved away" },
  ServiceRefused: { "zh-CN": "服务对象拒绝服务", en: "recipient refused service" },
  LostContact: { "zh-CN": "失去联系", en: "contact lost" }
}

export const stageLabels: Labels<Stage> = {
  Intake: { "zh-CN": "接案", en: "intake" },
  Assessed: { "zh-CN": "预估", en: "assessed" },
  Planned: { "zh-CN": "计划", en: "planned" },
  Intervening: { "zh-CN": "介入", en: "intervening" },
  Evaluated: { "zh-CN": "评估", en: "evaluated" }
}

export const caseStatusLabels: Labels<State["_tag"]> = {
  NoCase: { "zh-CN": "未接案", en: "no case" },
  Open: { "zh-CN": "跟进中", en: "open" },
  Closed: { "zh-CN": "已结案", en: "closed" }
}

export const referralStatusLabels: Labels<Referral["status"]> = {
  Pending: { "zh-CN": "待答复", en: "pending" },
  Accepted: { "zh-CN": "已接收", en: "accepted" },
  Rejected: { "zh-CN": "已拒绝", en: "rejected" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  CaseOpened: { "zh-CN": "接案", en: "case opened" },
  AssessmentRecorded: { "zh-CN": "预估", en: "assessment recorded" },
  PlanRecorded: { "zh-CN": "制定服务计划", en: "plan recorded" },
  ServiceDelivered: { "zh-CN": "介入服务", en: "service delivered" },
  ReferralMade: { "zh-CN": "转介", en: "referral made" },
  ReferralAccepted: { "zh-CN": "转介已接收", en: "referral accepted" },
  ReferralRejected: { "zh-CN": "转介被拒绝", en: "referral rejected" },
  FollowUpRecorded: { "zh-CN": "跟进回访", en: "follow-up recorded" },
  EvaluationRecorded: { "zh-CN": "评估", en: "evaluation recorded" },
  CaseClosed: { "zh-CN": "结案", en: "case closed" },
  CaseReopened: { "zh-CN": "重新开案", en: "case reopened" },
  CaseTransferred: { "zh-CN": "个案转移", en: "case transferred" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  OpenCase: { "zh-CN": "接案", en: "open case" },
  RecordAssessment: { "zh-CN": "登记预估", en: "record assessment" },
  RecordPlan: { "zh-CN": "登记服务计划", en: "record plan" },
  DeliverService: { "zh-CN": "登记介入服务", en: "deliver service" },
  MakeReferral: { "zh-CN": "转介", en: "make referral" },
  AcceptReferral: { "zh-CN": "登记转介接收", en: "accept referral" },
  RejectReferral: { "zh-CN": "登记转介拒绝", en: "reject referral" },
  RecordFollowUp: { "zh-CN": "登记跟进回访", en: "record follow-up" },
  RecordEvaluation: { "zh-CN": "登记评估", en: "record evaluation" },
  CloseCase: { "zh-CN": "结案", en: "close case" },
  ReopenCase: { "zh-CN": "重新开案", en: "reopen case" },
  TransferCase: { "zh-CN": "转移个案", en: "transfer case" }
}
