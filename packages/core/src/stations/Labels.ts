import type { Labels } from "../shared/Labels.ts"
import type { Command, CountyCommand } from "./Commands.ts"
import type { ClosureReason, Event } from "./Events.ts"

export const closureReasonLabels: Labels<ClosureReason> = {
  TownshipMerged: { "zh-CN": "乡镇合并", en: "township merged" },
  ContractEnded: { "zh-CN": "服务项目终止", en: "service contract ended" },
  Relocated: { "zh-CN": "站点迁移", en: "relocated" },
  Other: { "zh-CN": "其他原因", en: "other reason" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  StationEstablished: { "zh-CN": "社工站设立", en: "station established" },
  ServicePointOpened: { "zh-CN": "社工点设立", en: "service point opened" },
  ServicePointClosed: { "zh-CN": "社工点撤销", en: "service point closed" },
  StationClosed: { "zh-CN": "社工站撤销", en: "station closed" },
  CountyConfigured: { "zh-CN": "县域乡镇设置", en: "county configured" }
}

export const commandLabels: Labels<Command["_tag"] | CountyCommand["_tag"]> = {
  EstablishStation: { "zh-CN": "设立社工站", en: "establish station" },
  OpenServicePoint: { "zh-CN": "设立社工点", en: "open service point" },
  CloseServicePoint: { "zh-CN": "撤销社工点", en: "close service point" },
  CloseStation: { "zh-CN": "撤销社工站", en: "close station" },
  ConfigureCounty: { "zh-CN": "设置县域乡镇", en: "configure county" }
}
