import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { Event, RejectionReason, Stage } from "./Events.ts"

export const stageLabels: Labels<Stage> = {
  Received: { "zh-CN": "已报名", en: "received" },
  Shortlisted: { "zh-CN": "入围", en: "shortlisted" },
  Rejected: { "zh-CN": "未录用", en: "rejected" },
  Offered: { "zh-CN": "拟录用", en: "offered" },
  Accepted: { "zh-CN": "接受录用", en: "offer accepted" },
  Declined: { "zh-CN": "放弃录用", en: "offer declined" },
  Hired: { "zh-CN": "已聘用", en: "hired" }
}

export const rejectionReasonLabels: Labels<RejectionReason> = {
  NotEligible: { "zh-CN": "资格审查不通过", en: "not eligible" },
  FailedExam: { "zh-CN": "笔试未通过", en: "failed the written exam" },
  FailedInterview: { "zh-CN": "面试未通过", en: "failed the interview" },
  Withdrawn: { "zh-CN": "本人放弃", en: "withdrawn" },
  Other: { "zh-CN": "其他原因", en: "other reason" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  DriveOpened: { "zh-CN": "发布招聘公告", en: "drive opened" },
  ApplicationReceived: { "zh-CN": "收到报名", en: "application received" },
  ApplicantShortlisted: { "zh-CN": "报名人入围", en: "applicant shortlisted" },
  ApplicantRejected: { "zh-CN": "报名人未录用", en: "applicant rejected" },
  OfferMade: { "zh-CN": "发出拟录用通知", en: "offer made" },
  OfferAccepted: { "zh-CN": "接受录用", en: "offer accepted" },
  OfferDeclined: { "zh-CN": "放弃录用", en: "offer declined" },
  ApplicantHired: { "zh-CN": "报名人聘用", en: "applicant hired" },
  DriveClosed: { "zh-CN": "招聘结束", en: "drive closed" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  OpenDrive: { "zh-CN": "发布招聘", en: "open drive" },
  ReceiveApplication: { "zh-CN": "登记报名", en: "receive application" },
  ShortlistApplicant: { "zh-CN": "确定入围", en: "shortlist applicant" },
  RejectApplicant: { "zh-CN": "登记未录用", en: "reject applicant" },
  MakeOffer: { "zh-CN": "发出拟录用", en: "make offer" },
  AcceptOffer: { "zh-CN": "登记接受录用", en: "accept offer" },
  DeclineOffer: { "zh-CN": "登记放弃录用", en: "decline offer" },
  HireApplicant: { "zh-CN": "登记聘用", en: "hire applicant" },
  CloseDrive: { "zh-CN": "结束招聘", en: "close drive" }
}
