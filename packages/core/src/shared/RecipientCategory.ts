import { Schema } from "effect"
import type { Labels } from "./Labels.ts"

/**
 * The civil-affairs categories a registered person can carry (民政服务对象). A person may carry several;
 * each assignment records who verified it and when (registry context).
 */
export const RecipientCategory = Schema.Literals([
  "MinimumSubsistence", // 低保
  "ExtremePoverty", // 特困人员
  "ChildInDifficulty", // 困境儿童
  "LeftBehindChild", // 留守儿童
  "ElderlyLivingAlone", // 独居老人
  "LeftBehindElderly", // 留守老人
  "Disabled", // 残疾人
  "PersonInDifficulty", // 困难群众
  "SpecialGroup" // 特殊群体
])
export type RecipientCategory = typeof RecipientCategory.Type

export const recipientCategoryLabels: Labels<RecipientCategory> = {
  MinimumSubsistence: { "zh-CN": "低保户", en: "minimum-subsistence household" },
  ExtremePoverty: { "zh-CN": "特困人员", en: "person in extreme poverty" },
  ChildInDifficulty: { "zh-CN": "困境儿童", en: "child in difficulty" },
  LeftBehindChild: { "zh-CN": "留守儿童", en: "left-behind child" },
  ElderlyLivingAlone: { "zh-CN": "独居老人", en: "elderly person living alone" },
  LeftBehindElderly: { "zh-CN": "留守老人", en: "left-behind elderly person" },
  Disabled: { "zh-CN": "残疾人", en: "person with disability" },
  PersonInDifficulty: { "zh-CN": "困难群众", en: "person in difficulty" },
  SpecialGroup: { "zh-CN": "特殊群体", en: "special group" }
}

/** Risk as a worker assesses it; drives the visit cadence. */
export const RiskLevel = Schema.Literals(["Low", "Medium", "High"])
export type RiskLevel = typeof RiskLevel.Type

export const riskLevelLabels: Labels<RiskLevel> = {
  Low: { "zh-CN": "低风险", en: "low risk" },
  Medium: { "zh-CN": "中风险", en: "medium risk" },
  High: { "zh-CN": "高风险", en: "high risk" }
}
