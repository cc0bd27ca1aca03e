import { Schema } from "effect"

/**
 * The policy said no. `code` names the rule (stable, safe to branch on: a server maps it to 403); the
 * messages say why, for people; `what` is the command tag or the read refused.
 */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()("AccessDenied", {
  code: Schema.String,
  messages: Schema.Struct({ "zh-CN": Schema.String, en: Schema.String }),
  principal: Schema.String,
  what: Schema.String
}) {
  readonly isRetryable = false
  override get message() {
    return this.messages.en
  }
}

/** One refusal rule: its code and how it reads, given the details of the case. */
export interface Refusal<Details> {
  readonly code: string
  readonly en: (details: Details) => string
  readonly zh: (details: Details) => string
}

const refusal = <Details = {}>(code: string, messages: Omit<Refusal<Details>, "code">): Refusal<Details> => ({
  code,
  ...messages
})

/** Every rule the policy refuses by, in the order it checks them. */
export const Refusals = {
  OtherTenant: refusal<{ tenant: string; own: string }>("OtherTenant", {
    en: (d) => `tenant ${d.tenant} is not yours (${d.own}): nothing of another tenant is shown or changed`,
    zh: (d) => `${d.tenant} 不是您所属的单位（${d.own}），不能查看或更改其他单位的数据`
  }),
  NoPolicy: refusal("NoPolicy", {
    en: () => "no access rule covers this: it is refused until the policy names who may",
    zh: () => "访问策略未涵盖此项，在策略明确授权前一律拒绝"
  }),
  RoleNotPermitted: refusal<{ allowed: string }>("RoleNotPermitted", {
    en: (d) => `none of your roles may do this (allowed: ${d.allowed})`,
    zh: (d) => `您的角色无权进行此操作（有权的角色：${d.allowed}）`
  }),
  NoStationAssigned: refusal<{ role: string }>("NoStationAssigned", {
    en: (d) => `as ${d.role} you act for a station, and none is assigned to you`,
    zh: (d) => `以${d.role}身份操作需要所属站点，但您未被分配站点`
  }),
  NotOnPost: refusal<{ station: string; onPost: string | undefined }>("NotOnPost", {
    en: (d) =>
      d.onPost === undefined
        ? `you are not on post today: a worker acts for station ${d.station} only while on post there`
        : `you are on post at ${d.onPost} today, not at ${d.station}`,
    zh: (d) =>
      d.onPost === undefined
        ? `您今天不在岗：社工只有在岗期间才能为站点 ${d.station} 办理业务`
        : `您今天在 ${d.onPost} 在岗，而不是 ${d.station}`
  }),
  StationNotNamed: refusal<{ station: string }>("StationNotNamed", {
    en: (d) => `station staff read their own station's figures, not the county's: name station ${d.station}`,
    zh: (d) => `站点人员只能查看本站数据，不能查看全县数据：请指定站点 ${d.station}`
  }),
  OtherStation: refusal<{ subject: string; station: string; own: string }>("OtherStation", {
    en: (d) => `${d.subject} belongs to station ${d.station}, not yours (${d.own})`,
    zh: (d) => `${d.subject} 属于站点 ${d.station}，不是您的站点（${d.own}）`
  }),
  OtherWorkersWork: refusal<{ worker: string }>("OtherWorkersWork", {
    en: (d) => `a worker records their own work, not ${d.worker}'s: a station lead records for the station's workers`,
    zh: (d) => `社工只能登记本人的工作，不能代 ${d.worker} 登记；站长可为本站社工登记`
  }),
  FactsNotLoaded: refusal<{ subject: string }>("FactsNotLoaded", {
    en: (d) => `which station ${d.subject} belongs to was not loaded: use Access.handle or Access.authorizeRead`,
    zh: (d) => `未加载 ${d.subject} 所属站点：请使用 Access.handle 或 Access.authorizeRead`
  })
} as const

export const deny = <Details>(
  rule: Refusal<Details>,
  details: Details,
  principal: string,
  what: string
): AccessDenied =>
  new AccessDenied({
    code: rule.code,
    messages: { "zh-CN": rule.zh(details), en: rule.en(details) },
    principal,
    what
  })
