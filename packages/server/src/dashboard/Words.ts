// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Reports, Shared } from "@shuangbai/core"

// The page's own words in both languages; figure names come from core's measure labels.

/** The station table's columns: a measure each, in this order. */
export const stationColumns = [
  "F13.households",
  "F9.households",
  "F14.cases",
  "F15.cases",
  "F10.activities",
  "F11.personTimes",
  "F17.onPost",
  "F16.posts",
  "F2.coverage"
] as const satisfies ReadonlyArray<Reports.Figures.Measure>

export type StationColumn = (typeof stationColumns)[number]

/** Short column heads: the measure labels are sentences, too long for a table on a phone. */
export const columnLabels: Shared.Labels<StationColumn> = {
  "F13.households": { "zh-CN": "建档户数", en: "households on file" },
  "F9.households": { "zh-CN": "入户探访户数", en: "households visited" },
  "F14.cases": { "zh-CN": "新增个案", en: "cases opened" },
  "F15.cases": { "zh-CN": "在跟进个案", en: "cases ongoing" },
  "F10.activities": { "zh-CN": "活动场次", en: "activities" },
  "F11.personTimes": { "zh-CN": "活动人次", en: "person-times" },
  "F17.onPost": { "zh-CN": "在岗社工", en: "on post" },
  "F16.posts": { "zh-CN": "岗位数", en: "posts" },
  "F2.coverage": { "zh-CN": "服务覆盖率", en: "service coverage" }
}

/** The headline cards, in this order. */
export const cards = [
  "F1.coverage",
  "F2.coverage",
  "F13.households",
  "F9.households",
  "F11.personTimes",
  "F15.cases",
  "F17.onPost",
  "F18.toRecruit"
] as const satisfies ReadonlyArray<Reports.Figures.Measure>

export const words = {
  "zh-CN": {
    title: (county: string) => `${county}双百社工站数据看板`,
    unnamedCounty: "本县",
    asOf: (d: string) => `截至 ${d}`,
    other: "English",
    headline: "主要指标",
    trends: "月度趋势",
    visitsChart: "每月入户探访户数",
    casesChart: "每月新增个案与月末在跟进个案",
    activitiesChart: "每月活动惠及人次",
    reliefChart: "救助行动：走访与物资",
    series: { visited: "入户探访户数", opened: "新增个案", ongoing: "月末在跟进个案", personTimes: "活动人次" },
    noCampaigns: "统计期间内没有救助行动。",
    figures: "全部县级指标",
    stations: "各社工站",
    station: "社工站",
    total: "全县",
    noStations: "尚无社工站。",
    header: { id: "编号", figure: "指标", value: "数值", period: "统计期间", scope: "范围" },
    month: (m: string) => `${Number(m.slice(5, 7))}月`,
    footer: "数据来自事件日志，按业务日期统计。"
  },
  en: {
    title: (county: string) => `${county} social-work stations dashboard`,
    unnamedCounty: "County",
    asOf: (d: string) => `as of ${d}`,
    other: "中文",
    headline: "Headline figures",
    trends: "Monthly trends",
    visitsChart: "Households visited at home, by month",
    casesChart: "Cases opened per month and ongoing at month end",
    activitiesChart: "People reached by activities (person-times), by month",
    reliefChart: "Relief campaigns: visits and supplies",
    series: {
      visited: "households visited at home",
      opened: "cases opened",
      ongoing: "cases ongoing at month end",
      personTimes: "person-times"
    },
    noCampaigns: "No relief campaign in the period.",
    figures: "All county figures",
    stations: "Stations",
    station: "station",
    total: "county",
    noStations: "No station yet.",
    header: { id: "id", figure: "figure", value: "value", period: "period", scope: "scope" },
    month: (m: string) =>
      ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m.slice(5, 7)) - 1]!,
    footer: "From the event log, by business date."
  }
} as const satisfies Record<Shared.Language, unknown>
