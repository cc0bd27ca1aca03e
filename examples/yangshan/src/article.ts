// F1…F23 are the article's figures, each defined in docs/figures.md.
// What the article reports (docs/figures.md), and how a figure of the dashboard is held against it.
import type { Reports, Shared } from "@shuangbai/core"
import { ids } from "./county.ts"

type Figure = Reports.Figures.Figure
type Measure = Reports.Figures.Measure

export interface Expectation {
  readonly measure: Measure
  /** The campaign, drive or exchange visit the figure is about, for figures reported per scope. */
  readonly scope?: string
  /** The article's words for the value. */
  readonly article: Shared.Label
  readonly matches: (value: number) => boolean
  /** How an approximate value is matched. */
  readonly rule?: Shared.Label
}

const exactly = (value: number, text?: string): Pick<Expectation, "article" | "matches"> => {
  const shown = text ?? value.toLocaleString("en-US")
  return { article: { "zh-CN": shown, en: shown }, matches: (v) => v === value }
}

/**
 * The article's figures. Two are rounded in the article, and matched as a reader would read them:
 * F12 "1.2万户" — any count that rounds to 1.2万 (11,500 ≤ n < 12,500); F13 "近2.3万户" (nearly 23,000) —
 * a count that rounds to 2.3万 and stays below it (22,500 ≤ n < 23,000). F19 "超过600人" is more than 600.
 */
export const expectations: ReadonlyArray<Expectation> = [
  { measure: "F1.coverage", ...exactly(1, "100%") },
  { measure: "F1.townships", ...exactly(13) },
  { measure: "F1.covered", ...exactly(13) },
  { measure: "F2.coverage", ...exactly(1, "100%") },
  { measure: "F3.villages", scope: ids.coldSnap, ...exactly(46) },
  { measure: "F4.recipients", scope: ids.coldSnap, ...exactly(387) },
  { measure: "F5.winterClothing", scope: ids.coldSnap, ...exactly(36) },
  { measure: "F6.quilts", scope: ids.coldSnap, ...exactly(1) },
  { measure: "F7.recipients", scope: ids.flood, ...exactly(808) },
  { measure: "F8.relocated", scope: ids.flood, ...exactly(222) },
  { measure: "F9.households", ...exactly(12_282) },
  { measure: "F10.activities", ...exactly(422) },
  { measure: "F11.personTimes", ...exactly(8_969) },
  {
    measure: "F12.households",
    article: { "zh-CN": "1.2万", en: "~12,000" },
    matches: (v) => v >= 11_500 && v < 12_500,
    rule: { "zh-CN": "四舍五入为1.2万", en: "rounds to 12 thousand" }
  },
  {
    measure: "F13.households",
    article: { "zh-CN": "近2.3万", en: "nearly 23,000" },
    matches: (v) => v >= 22_500 && v < 23_000,
    rule: { "zh-CN": "四舍五入为2.3万且不足2.3万", en: "rounds to 23 thousand, below it" }
  },
  { measure: "F14.cases", ...exactly(68) },
  { measure: "F15.cases", ...exactly(118) },
  { measure: "F16.posts", ...exactly(196) },
  { measure: "F17.onPost", ...exactly(142) },
  { measure: "F18.toRecruit", ...exactly(54) },
  {
    measure: "F19.applicants",
    scope: ids.drive,
    article: { "zh-CN": "超过600", en: "more than 600" },
    matches: (v) => v > 600,
    rule: { "zh-CN": "大于600", en: "> 600" }
  },
  { measure: "F20.stations", scope: ids.exchangeVisitHuangpen, ...exactly(6) },
  { measure: "F20.workers", scope: ids.exchangeVisitHuangpen, ...exactly(25) },
  { measure: "F21.visits", ...exactly(4) },
  { measure: "F21.stations", ...exactly(13) },
  { measure: "F22.courses", ...exactly(2) },
  { measure: "F22.personTimes", ...exactly(74) },
  { measure: "F23.copies", ...exactly(10_000) }
]

export interface Row {
  readonly figure: Figure | undefined
  readonly expectation: Expectation | undefined
  /** Undefined when the article gives no value for the figure. */
  readonly ok: boolean | undefined
}

const sameFigure = (f: Figure, e: Expectation) =>
  f.measure === e.measure && (e.scope === undefined || f.scope?.id === e.scope)

/**
 * Every figure of the dashboard beside the article's value, in the dashboard's order; an expected figure the
 * dashboard lacks is a failed row of its own.
 */
export const compare = (figures: ReadonlyArray<Figure>): ReadonlyArray<Row> => {
  const rows: Array<Row> = figures.map((figure) => {
    const expectation = expectations.find((e) => sameFigure(figure, e))
    return {
      figure,
      expectation,
      ok: expectation === undefined ? undefined : figure.value !== undefined && expectation.matches(figure.value)
    }
  })
  for (const expectation of expectations) {
    if (!figures.some((f) => sameFigure(f, expectation))) rows.push({ figure: undefined, expectation, ok: false })
  }
  return rows
}
