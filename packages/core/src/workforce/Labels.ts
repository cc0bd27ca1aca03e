import type { Labels } from "../shared/Labels.ts"
import type { QuotaCommand, WorkerCommand } from "./Commands.ts"
import type { Event, LeavingReason } from "./Events.ts"

export const leavingReasonLabels: Labels<LeavingReason> = {
  Resigned: { "zh-CN": "辞职", en: "resigned" },
  ContractEnded: { "zh-CN": "合同期满", en: "contract ended" },
  Dismissed: { "zh-CN": "解聘", en: "dismissed" },
  Retired: { "zh-CN": "退休", en: "retired" },
  Deceased: { "zh-CN": "去世", en: "deceased" },
  Other: { "zh-CN": "其他原因", en: "other reason" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  PostsAllotted: { "zh-CN": "核定岗位数", en: "posts allotted" },
  PostFilled: { "zh-CN": "岗位占用", en: "post filled" },
  PostVacated: { "zh-CN": "岗位空出", en: "post vacated" },
  WorkerHired: { "zh-CN": "社工入职", en: "worker hired" },
  WorkerTransferred: { "zh-CN": "社工调动", en: "worker transferred" },
  WorkerLeft: { "zh-CN": "社工离岗", en: "worker left" }
}

export const commandLabels: Labels<QuotaCommand["_tag"] | WorkerCommand["_tag"]> = {
  AllotPosts: { "zh-CN": "核定岗位数", en: "allot posts" },
  FillPost: { "zh-CN": "占用岗位", en: "fill post" },
  VacatePost: { "zh-CN": "空出岗位", en: "vacate post" },
  HireWorker: { "zh-CN": "社工入职", en: "hire worker" },
  TransferWorker: { "zh-CN": "社工调动", en: "transfer worker" },
  EndEmployment: { "zh-CN": "社工离岗", en: "end employment" }
}
