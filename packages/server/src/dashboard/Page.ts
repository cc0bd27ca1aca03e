// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Activities, Casework, type Domain, Reports, type Shared } from "@shuangbai/core"
import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import * as Charts from "./Charts.ts"
import { type Html, html } from "./Html.ts"
import { css } from "./Style.ts"
import { cards, columnLabels, stationColumns, words } from "./Words.ts"

const { CountyDashboard, Period, Render, StationDashboard } = Reports
type Figure = Reports.Figures.Figure
type Measure = Reports.Figures.Measure

/** A calendar month of the trend, `yyyy-mm`, and the days of it the report covers. */
export interface Month {
  readonly month: string
  readonly period: Reports.Period.Period
}

/** The `count` consecutive months ending with `asOf`'s; the last one ends on `asOf`. */
export const months = (asOf: Scalars.LocalDate, count = 12): ReadonlyArray<Month> => {
  const year = Number(asOf.slice(0, 4))
  const month = Number(asOf.slice(5, 7))
  const first = (index: number) =>
    `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`
  const last = year * 12 + (month - 1)
  return Array.from({ length: count }, (_, i) => {
    const index = last - (count - 1 - i)
    const end = Period.addDays(first(index + 1), -1)
    return { month: first(index).slice(0, 7), period: Period.make(first(index), Period.min(end, asOf)) }
  })
}

/** The county dashboard's periods narrowed to one month: each figure counts what happened in it. */
const monthPeriods = ({ period }: Month): Reports.CountyDashboard.Periods =>
  CountyDashboard.periods(period.to, {
    coverage: period,
    campaigns: period,
    yearToDate: period,
    firstHalf: period,
    exchangeVisits: period,
    training: period,
    publicity: period
  })

/**
 * The events a month's case and activity figures (F11, F14, F15) read. A month's dashboard is fed only
 * these: the rest of its parts (every visit, household, campaign …) would repeat the `now` state's work
 * twelve times over. F9 per month is read from the `now` state, whose visits are kept by day.
 */
const monthlyTypes = [...Casework.codec.types, ...Activities.codec.types]

/** `now` (the dashboard on asOf) and one narrowed county dashboard per month (`month:yyyy-mm`), in one pass. */
export type State = Readonly<Record<string, Reports.CountyDashboard.State>>

export const projection = (
  asOf: Scalars.LocalDate,
  options: { readonly months?: number } = {}
): Projection.Projection<Domain.Event, State> => {
  const parts: Record<string, Projection.Projection<Domain.Event, Reports.CountyDashboard.State>> = {
    now: CountyDashboard.projection(CountyDashboard.periods(asOf))
  }
  for (const m of months(asOf, options.months))
    parts[`month:${m.month}`] = Projection.reading(monthlyTypes, CountyDashboard.projection(monthPeriods(m)))
  return Projection.combine(parts)
}

/** The measures of the monthly trends. */
export const trendMeasures = ["F9.households", "F11.personTimes", "F14.cases", "F15.cases"] as const

/** What the page shows, as data: the reports' own figures, nothing recomputed. */
export interface Page {
  readonly county: string | undefined
  readonly asOf: Scalars.LocalDate
  readonly figures: ReadonlyArray<Figure>
  readonly stations: ReadonlyArray<Reports.StationDashboard.StationFigures>
  /** Per month, the figures of `trendMeasures`. */
  readonly months: ReadonlyArray<{ readonly month: string; readonly figures: ReadonlyArray<Figure> }>
}

export const view = (state: State): Page => {
  const now = state.now!
  const county = CountyDashboard.view(now)
  return {
    county: county.county,
    asOf: county.asOf,
    figures: county.figures,
    stations: StationDashboard.view(now).stations,
    months: Object.keys(state)
      .filter((k) => k.startsWith("month:"))
      .sort()
      .map((k) => {
        const month = state[k]!
        const { yearToDate } = month.config.periods
        const figures = CountyDashboard.view(month).figures.filter(
          (f) => f.measure !== "F9.households" && trendMeasures.includes(f.measure as never)
        )
        return {
          month: k.slice("month:".length),
          figures: [
            Reports.Figures.figure("F9.households", CountyDashboard.homeVisits(now, yearToDate).county, yearToDate),
            ...figures
          ]
        }
      })
  }
}

/** The figure of a measure that has no scope (not per campaign, drive or exchange visit). */
const countyFigure = (figures: ReadonlyArray<Figure>, measure: Measure) =>
  figures.find((f) => f.measure === measure && f.scope === undefined)

/** The days a figure covers, each date kept on one line (a phone would otherwise break it at a hyphen). */
const coversOf = (f: Figure, language: Shared.Language): Html =>
  html`${Render.formatCovers(f.covers, language)
    .split(/(\d{4}-\d{2}-\d{2})/)
    .map((part, i) => (i % 2 === 1 ? html`<span class="date">${part}</span>` : part))}`

const card = (f: Figure | undefined, language: Shared.Language): Html | undefined =>
  f === undefined
    ? undefined
    : html`<div class="card" data-measure="${f.measure}"><div class="value">${Render.formatValue(f)}</div><div class="label">${f.label[language]}</div><div class="covers">${coversOf(f, language)}</div></div>`

const trendCharts = (page: Page, language: Shared.Language): ReadonlyArray<Html> => {
  const w = words[language]
  const categories = page.months.map((m) => w.month(m.month))
  // The measure labels speak of a period as a whole ("累计…"); a month's series says what one bar is.
  const series = (measure: Measure, kind: Charts.Series["kind"], label: string): Charts.Series => ({
    label,
    kind,
    values: page.months.map((m) => countyFigure(m.figures, measure)?.value)
  })
  const campaigns = new Map<string, Charts.BarGroup & { rows: Array<Charts.BarRow> }>()
  for (const f of page.figures) {
    if (f.scope?.kind !== "campaign" || f.value === undefined) continue
    const group = campaigns.get(f.scope.id) ?? { title: f.scope.title, rows: [] }
    group.rows.push({ label: f.label[language], value: f.value })
    campaigns.set(f.scope.id, group)
  }
  return [
    Charts.columns({
      id: "chart-visits",
      title: w.visitsChart,
      categories,
      series: [series("F9.households", "bar", w.series.visited)]
    }),
    Charts.columns({
      id: "chart-cases",
      title: w.casesChart,
      categories,
      series: [series("F14.cases", "bar", w.series.opened), series("F15.cases", "line", w.series.ongoing)]
    }),
    Charts.columns({
      id: "chart-activities",
      title: w.activitiesChart,
      categories,
      series: [series("F11.personTimes", "bar", w.series.personTimes)]
    }),
    Charts.bars({ id: "chart-relief", title: w.reliefChart, groups: [...campaigns.values()], empty: w.noCampaigns })
  ]
}

const stationTable = (page: Page, language: Shared.Language): Html => {
  const w = words[language]
  if (page.stations.length === 0) return html`<p>${w.noStations}</p>`
  const cell = (f: Figure | undefined) =>
    html`<td class="n" data-measure="${f?.measure ?? ""}">${f === undefined ? "—" : Render.formatValue(f)}</td>`
  const head = html`<tr><th>${w.station}</th>${stationColumns.map((m) => html`<th class="n">${columnLabels[m][language]}</th>`)}</tr>`
  const rows = page.stations.map(
    (s) =>
      html`<tr data-station="${s.station}"><td>${s.name}</td>${stationColumns.map((m) => cell(countyFigure(s.figures, m)))}</tr>`
  )
  const total = html`<tr class="total" data-station=""><td>${w.total}</td>${stationColumns.map((m) => cell(countyFigure(page.figures, m)))}</tr>`
  return html`<div class="scroll"><table class="stations"><thead>${head}</thead><tbody>${rows}${total}</tbody></table></div>`
}

const figureTable = (page: Page, language: Shared.Language): Html => {
  const h = words[language].header
  const rows = page.figures.map(
    (f) =>
      html`<tr data-measure="${f.measure}"${f.scope === undefined ? "" : html` data-scope="${f.scope.id}"`}><td class="id">${f.id}</td><td>${f.label[language]}<small>${f.scope === undefined ? "" : html`${Render.formatScope(f.scope, language)} · `}${coversOf(f, language)}</small></td><td class="n value">${Render.formatValue(f)}</td></tr>`
  )
  return html`<div class="scroll"><table class="figures"><thead><tr><th>${h.id}</th><th>${h.figure} · ${h.period}</th><th class="n">${h.value}</th></tr></thead><tbody>${rows}</tbody></table></div>`
}

/** The page as a whole HTML document in one language. Every string from the log is escaped. */
export const renderPage = (page: Page, language: Shared.Language): string => {
  const w = words[language]
  const other: Shared.Language = language === "zh-CN" ? "en" : "zh-CN"
  const title = w.title(page.county ?? w.unnamedCounty)
  const document = html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${css}</style></head>
<body><header><div class="bar"><div><h1>${title}</h1><p>${w.asOf(page.asOf)}</p></div><a href="?lang=${other}&amp;period=${page.asOf}" hreflang="${other}" lang="${other}">${w.other}</a></div></header>
<main>
<section><h2>${w.headline}</h2><div class="cards">${cards.map((m) => card(countyFigure(page.figures, m), language))}</div></section>
<section><h2>${w.trends}</h2><div class="charts">${trendCharts(page, language)}</div></section>
<section><h2>${w.stations}</h2>${stationTable(page, language)}</section>
<section><h2>${w.figures}</h2>${figureTable(page, language)}</section>
</main>
<footer>${w.footer}</footer></body></html>
`
  return document.text
}

/** The dashboard page of a folded `projection(asOf)` in zh-CN or en. */
export const render = (state: State, language: Shared.Language): string => renderPage(view(state), language)
