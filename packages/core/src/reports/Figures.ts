import type { Scalars } from "@shuangbai/eventsourcing"
import type { Label, Labels } from "../shared/Labels.ts"

/** The article's figures (docs/figures.md). */
export type FigureId =
  | "F1"
  | "F2"
  | "F3"
  | "F4"
  | "F5"
  | "F6"
  | "F7"
  | "F8"
  | "F9"
  | "F10"
  | "F11"
  | "F12"
  | "F13"
  | "F14"
  | "F15"
  | "F16"
  | "F17"
  | "F18"
  | "F19"
  | "F20"
  | "F21"
  | "F22"
  | "F23"

export type Unit = "ratio" | "count"

interface MeasureDefinition {
  readonly figure: FigureId
  readonly unit: Unit
  readonly label: Label
}

/**
 * Every measure the dashboards report, by a stable key (`F20.workers`): the figure it belongs to, its unit
 * and its labels. A figure with two numbers (F20: stations and workers) has two measures; F1 and F2 also give
 * the counts their ratio is made of.
 */
export const measures = {
  "F1.coverage": {
    figure: "F1",
    unit: "ratio",
    label: { "zh-CN": "社工站乡镇覆盖率", en: "station coverage of townships" }
  },
  "F1.townships": { figure: "F1", unit: "count", label: { "zh-CN": "乡镇数", en: "townships" } },
  "F1.covered": {
    figure: "F1",
    unit: "count",
    label: { "zh-CN": "设有社工站的乡镇数", en: "townships with an open station" }
  },
  "F2.coverage": {
    figure: "F2",
    unit: "ratio",
    label: {
      "zh-CN": "困难群众和特殊群体社会工作服务覆盖率",
      en: "social-work service coverage of people in difficulty and special groups"
    }
  },
  "F2.recipients": {
    figure: "F2",
    unit: "count",
    label: { "zh-CN": "在册民政服务对象人数", en: "registered recipients carrying a category" }
  },
  "F2.reached": {
    figure: "F2",
    unit: "count",
    label: { "zh-CN": "已获社工服务的服务对象人数", en: "recipients reached by social work" }
  },
  "F3.villages": { figure: "F3", unit: "count", label: { "zh-CN": "走访村居数", en: "villages visited" } },
  "F4.recipients": { figure: "F4", unit: "count", label: { "zh-CN": "走访服务对象人数", en: "recipients visited" } },
  "F5.winterClothing": {
    figure: "F5",
    unit: "count",
    label: { "zh-CN": "送出防寒衣物（件）", en: "winter garments handed out" }
  },
  "F6.quilts": { figure: "F6", unit: "count", label: { "zh-CN": "送出棉被（张）", en: "quilts handed out" } },
  "F7.recipients": {
    figure: "F7",
    unit: "count",
    label: { "zh-CN": "走访困难群众人数", en: "people in difficulty visited" }
  },
  "F8.relocated": {
    figure: "F8",
    unit: "count",
    label: { "zh-CN": "协助转移受灾群众人数", en: "people helped to relocate" }
  },
  "F9.households": {
    figure: "F9",
    unit: "count",
    label: { "zh-CN": "累计入户探访户数", en: "households visited at home" }
  },
  "F10.activities": { figure: "F10", unit: "count", label: { "zh-CN": "开展活动场次", en: "activities held" } },
  "F11.personTimes": {
    figure: "F11",
    unit: "count",
    label: { "zh-CN": "活动惠及群众人次", en: "people benefited by activities (person-times)" }
  },
  "F12.households": {
    figure: "F12",
    unit: "count",
    label: { "zh-CN": "入户探访在册民政服务对象户数", en: "registered households visited at home" }
  },
  "F13.households": { figure: "F13", unit: "count", label: { "zh-CN": "建档户数", en: "households on file" } },
  "F14.cases": { figure: "F14", unit: "count", label: { "zh-CN": "新增服务个案数", en: "new cases opened" } },
  "F15.cases": {
    figure: "F15",
    unit: "count",
    label: { "zh-CN": "正在跟进服务个案数", en: "cases in follow-up (ongoing)" }
  },
  "F16.posts": { figure: "F16", unit: "count", label: { "zh-CN": "社工岗位需求数", en: "social-worker posts" } },
  "F17.onPost": { figure: "F17", unit: "count", label: { "zh-CN": "在岗人数", en: "workers on post" } },
  "F18.toRecruit": { figure: "F18", unit: "count", label: { "zh-CN": "需招聘人数", en: "posts to recruit" } },
  "F19.applicants": { figure: "F19", unit: "count", label: { "zh-CN": "累计报考人数", en: "applicants" } },
  "F20.stations": {
    figure: "F20",
    unit: "count",
    label: { "zh-CN": "参加互访交流的社工站数", en: "stations taking part in the exchange visit" }
  },
  "F20.workers": {
    figure: "F20",
    unit: "count",
    label: { "zh-CN": "参加互访交流的社工人数", en: "workers taking part in the exchange visit" }
  },
  "F21.visits": { figure: "F21", unit: "count", label: { "zh-CN": "互访交流累计场次", en: "exchange visits held" } },
  "F21.stations": {
    figure: "F21",
    unit: "count",
    label: { "zh-CN": "参与过互访交流的社工站数", en: "stations that took part in exchange visits" }
  },
  "F22.courses": {
    figure: "F22",
    unit: "count",
    label: { "zh-CN": "专业能力提升培训班场数", en: "capacity-training courses" }
  },
  "F22.personTimes": {
    figure: "F22",
    unit: "count",
    label: { "zh-CN": "参加培训人次", en: "training attendance (person-times)" }
  },
  "F23.copies": { figure: "F23", unit: "count", label: { "zh-CN": "印发宣传手册（份）", en: "brochures printed" } }
} as const satisfies Record<string, MeasureDefinition>

export type Measure = keyof typeof measures

/** The days a figure covers: a period, or (without `from`) the state on one day. */
export interface Covers {
  readonly from?: Scalars.LocalDate
  readonly to: Scalars.LocalDate
}

/** What one row is about, when a figure is reported per campaign, drive or exchange visit. */
export interface Scope {
  readonly kind: "campaign" | "drive" | "exchangeVisit"
  readonly id: string
  /** The campaign's or drive's title, the exchange visit's host station. */
  readonly title: string
}

export const scopeLabels: Labels<Scope["kind"]> = {
  campaign: { "zh-CN": "救助行动", en: "campaign" },
  drive: { "zh-CN": "招聘", en: "recruitment drive" },
  exchangeVisit: { "zh-CN": "互访交流（东道站）", en: "exchange visit (host)" }
}

/** One figure as a report gives it. */
export interface Figure {
  readonly id: FigureId
  readonly measure: Measure
  readonly label: Label
  readonly unit: Unit
  /** Undefined when it cannot be computed (a ratio over nothing, a county not configured). */
  readonly value: number | undefined
  readonly covers: Covers
  readonly scope?: Scope
}

export const figure = (measure: Measure, value: number | undefined, covers: Covers, scope?: Scope): Figure => {
  const { figure: id, unit, label } = measures[measure]
  return scope === undefined
    ? { id, measure, label, unit, value, covers }
    : { id, measure, label, unit, value, covers, scope }
}

/** `a ÷ b`, undefined when there is nothing to divide by. */
export const ratio = (a: number, b: number): number | undefined => (b === 0 ? undefined : a / b)
