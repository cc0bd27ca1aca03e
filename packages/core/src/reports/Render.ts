import type { Language } from "../shared/Labels.ts"
import type * as CountyDashboard from "./CountyDashboard.ts"
import { type Covers, type Figure, type Scope, scopeLabels } from "./Figures.ts"
import type * as StationDashboard from "./StationDashboard.ts"

// Dashboards as text (a table per language), JSON and CSV. Numbers are not localised beyond grouping
// digits: a bureau's spreadsheet reads the CSV, a person reads `print`.

export type Dashboard = CountyDashboard.Dashboard | StationDashboard.Dashboard

const words = {
  "zh-CN": {
    county: "县级指标",
    stations: "各社工站指标",
    asOf: (d: string) => `截至 ${d}`,
    span: (from: string, to: string) => (from === to ? from : `${from} 至 ${to}`),
    header: ["编号", "指标", "数值", "统计期间", "范围"],
    none: "—"
  },
  en: {
    county: "County figures",
    stations: "Figures per station",
    asOf: (d: string) => `as of ${d}`,
    span: (from: string, to: string) => (from === to ? from : `${from} to ${to}`),
    header: ["id", "figure", "value", "period", "scope"],
    none: "—"
  }
} as const

/** A figure's value for people: a ratio as a percentage (one decimal at most), a count with digit groups. */
export const formatValue = (figure: Pick<Figure, "unit" | "value">): string => {
  if (figure.value === undefined) return "—"
  if (figure.unit === "ratio") {
    const percent = Math.round(figure.value * 1000) / 10
    return `${percent}%`
  }
  return figure.value.toLocaleString("en-US")
}

export const formatCovers = (covers: Covers, language: Language): string =>
  covers.from === undefined ? words[language].asOf(covers.to) : words[language].span(covers.from, covers.to)

export const formatScope = (scope: Scope | undefined, language: Language): string =>
  scope === undefined ? "" : `${scopeLabels[scope.kind][language]}: ${scope.title}`

// Terminal columns: East Asian wide characters take two.
const isWide = (code: number): boolean =>
  (code >= 0x1100 && code <= 0x115f) ||
  (code >= 0x2e80 && code <= 0xa4cf) ||
  (code >= 0xac00 && code <= 0xd7a3) ||
  (code >= 0xf900 && code <= 0xfaff) ||
  (code >= 0xfe30 && code <= 0xfe4f) ||
  (code >= 0xff00 && code <= 0xff60) ||
  (code >= 0xffe0 && code <= 0xffe6) ||
  (code >= 0x20000 && code <= 0x3fffd)

export const displayWidth = (text: string): number => {
  let width = 0
  for (const char of text) width += isWide(char.codePointAt(0)!) ? 2 : 1
  return width
}

const pad = (text: string, width: number, right = false): string => {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)))
  return right ? fill + text : text + fill
}

const table = (rows: ReadonlyArray<ReadonlyArray<string>>, numeric: ReadonlySet<number>): string => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => displayWidth(row[c]!))))
  return rows
    .map((row) =>
      row
        .map((cell, c) => pad(cell, widths[c]!, numeric.has(c)))
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

const figureTable = (figures: ReadonlyArray<Figure>, language: Language): string =>
  table(
    [
      [...words[language].header],
      ...figures.map((f) => [
        f.id,
        f.label[language],
        formatValue(f),
        formatCovers(f.covers, language),
        formatScope(f.scope, language)
      ])
    ],
    new Set([2])
  )

/** A dashboard as a text table in zh-CN or en. */
export const print = (dashboard: Dashboard, language: Language): string => {
  const w = words[language]
  const county = dashboard.county === undefined ? "" : `${dashboard.county} `
  const open = language === "en" ? " (" : "（"
  const close = language === "en" ? ")" : "）"
  if ("figures" in dashboard) {
    return `${county}${w.county}${open}${w.asOf(dashboard.asOf)}${close}\n\n${figureTable(dashboard.figures, language)}\n`
  }
  const sections = dashboard.stations.map(
    (s) => `${s.name}${open}${s.station}${close}\n${figureTable(s.figures, language)}`
  )
  return `${county}${w.stations}${open}${w.asOf(dashboard.asOf)}${close}\n\n${sections.join("\n\n")}\n`
}

const jsonFigure = (f: Figure) => ({
  id: f.id,
  measure: f.measure,
  label: f.label,
  unit: f.unit,
  value: f.value ?? null,
  covers: { from: f.covers.from ?? null, to: f.covers.to },
  scope: f.scope ?? null
})

/** A dashboard as JSON: both labels, `null` for a value that cannot be computed. */
export const toJson = (dashboard: Dashboard): string =>
  JSON.stringify(
    "figures" in dashboard
      ? { county: dashboard.county ?? null, asOf: dashboard.asOf, figures: dashboard.figures.map(jsonFigure) }
      : {
          county: dashboard.county ?? null,
          asOf: dashboard.asOf,
          stations: dashboard.stations.map((s) => ({
            station: s.station,
            name: s.name,
            township: s.township ?? null,
            figures: s.figures.map(jsonFigure)
          }))
        },
    null,
    2
  )

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

const csvColumns = ["id", "measure", "label", "value", "unit", "from", "to", "scope_kind", "scope_id", "scope_title"]

const csvCells = (f: Figure, language: Language): ReadonlyArray<string> => [
  f.id,
  f.measure,
  f.label[language],
  f.value === undefined ? "" : String(f.value),
  f.unit,
  f.covers.from ?? "",
  f.covers.to,
  f.scope?.kind ?? "",
  f.scope?.id ?? "",
  f.scope?.title ?? ""
]

/** A dashboard as CSV, labels in one language, ratios as decimals (1 = 100%), CRLF line ends. */
export const toCsv = (dashboard: Dashboard, language: Language): string => {
  const rows: Array<ReadonlyArray<string>> =
    "figures" in dashboard
      ? [csvColumns, ...dashboard.figures.map((f) => csvCells(f, language))]
      : [
          ["station", "station_name", ...csvColumns],
          ...dashboard.stations.flatMap((s) => s.figures.map((f) => [s.station, s.name, ...csvCells(f, language)]))
        ]
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`
}
