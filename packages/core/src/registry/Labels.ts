import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { ConsentScope, Event, Relation } from "./Events.ts"

export const relationLabels: Labels<Relation> = {
  Head: { "zh-CN": "户主", en: "head of household" },
  Spouse: { "zh-CN": "配偶", en: "spouse" },
  Child: { "zh-CN": "子女", en: "child" },
  Parent: { "zh-CN": "父母", en: "parent" },
  Grandparent: { "zh-CN": "祖父母/外祖父母", en: "grandparent" },
  Grandchild: { "zh-CN": "孙子女/外孙子女", en: "grandchild" },
  Sibling: { "zh-CN": "兄弟姐妹", en: "sibling" },
  OtherRelative: { "zh-CN": "其他亲属", en: "other relative" },
  Other: { "zh-CN": "其他", en: "other" }
}

export const consentScopeLabels: Labels<ConsentScope> = {
  DataProcessing: { "zh-CN": "个人信息处理", en: "processing of personal data" },
  Referral: { "zh-CN": "转介", en: "referral" },
  Publicity: { "zh-CN": "宣传使用", en: "use in publicity" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  HouseholdRegistered: { "zh-CN": "建档", en: "household registered" },
  MemberAdded: { "zh-CN": "新增家庭成员", en: "member added" },
  MemberRemoved: { "zh-CN": "移除家庭成员", en: "member removed" },
  CategoryAssigned: { "zh-CN": "认定对象类别", en: "category assigned" },
  CategoryRevoked: { "zh-CN": "撤销对象类别", en: "category revoked" },
  ConsentRecorded: { "zh-CN": "登记知情同意", en: "consent recorded" },
  ConsentWithdrawn: { "zh-CN": "撤回同意", en: "consent withdrawn" },
  RiskAssessed: { "zh-CN": "风险评估", en: "risk assessed" },
  HouseholdArchived: { "zh-CN": "档案归档", en: "household archived" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  RegisterHousehold: { "zh-CN": "建档", en: "register household" },
  AddMember: { "zh-CN": "新增家庭成员", en: "add member" },
  RemoveMember: { "zh-CN": "移除家庭成员", en: "remove member" },
  AssignCategory: { "zh-CN": "认定对象类别", en: "assign category" },
  RevokeCategory: { "zh-CN": "撤销对象类别", en: "revoke category" },
  RecordConsent: { "zh-CN": "登记知情同意", en: "record consent" },
  WithdrawConsent: { "zh-CN": "撤回同意", en: "withdraw consent" },
  AssessRisk: { "zh-CN": "风险评估", en: "assess risk" },
  ArchiveHousehold: { "zh-CN": "档案归档", en: "archive household" }
}
