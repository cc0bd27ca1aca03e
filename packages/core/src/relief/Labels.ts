import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { CampaignKind, CampaignScopeTag, Event, ReliefItem } from "./Events.ts"

export const campaignKindLabels: Labels<CampaignKind> = {
  ColdSnap: { "zh-CN": "寒冬送温暖", en: "cold-snap relief" },
  Flood: { "zh-CN": "灾后恢复及入户慰问", en: "post-flood relief" },
  Other: { "zh-CN": "其他救助行动", en: "other relief" }
}

export const reliefItemLabels: Labels<ReliefItem> = {
  Quilt: { "zh-CN": "棉被", en: "quilts" },
  WinterClothing: { "zh-CN": "防寒衣物", en: "winter garments" },
  DrinkingWater: { "zh-CN": "饮用水", en: "drinking water" },
  Food: { "zh-CN": "食品", en: "food" },
  Disinfectant: { "zh-CN": "消毒用品", en: "disinfectant" },
  CleaningSupplies: { "zh-CN": "清洁用品", en: "cleaning supplies" },
  Other: { "zh-CN": "其他物资", en: "other supplies" }
}

export const campaignScopeLabels: Labels<CampaignScopeTag> = {
  CountyWide: { "zh-CN": "全县", en: "county-wide" },
  Stations: { "zh-CN": "指定社工站", en: "selected stations" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  CampaignLaunched: { "zh-CN": "救助行动启动", en: "campaign launched" },
  SuppliesReceived: { "zh-CN": "物资入库", en: "supplies received" },
  SuppliesDistributed: { "zh-CN": "物资发放", en: "supplies distributed" },
  RecipientVisited: { "zh-CN": "入户走访慰问", en: "recipient visited" },
  RelocationAssisted: { "zh-CN": "协助转移", en: "relocation assisted" },
  CampaignClosed: { "zh-CN": "救助行动结束", en: "campaign closed" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  LaunchCampaign: { "zh-CN": "启动救助行动", en: "launch campaign" },
  ReceiveSupplies: { "zh-CN": "登记物资入库", en: "receive supplies" },
  DistributeSupplies: { "zh-CN": "登记物资发放", en: "distribute supplies" },
  VisitRecipient: { "zh-CN": "登记入户走访", en: "visit recipient" },
  AssistRelocation: { "zh-CN": "登记协助转移", en: "assist relocation" },
  CloseCampaign: { "zh-CN": "结束救助行动", en: "close campaign" }
}
