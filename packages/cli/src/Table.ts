import { Reports, type Shared } from "@shuangbai/core"

// Reports that are not dashboards print as titled tables: text for a person (East Asian wide characters
// take two columns), CSV for a spreadsheet (RFC 4180, as Render.toCsv).

export interface Column {
  readonly label: Shared.Label
  readonly numeric?: boolean
}

/** A number prints with digit groups in text and as it is in CSV. */
export type Cell = string | number

export interface Table {
  readonly title: Shared.Label
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
}

const pad = (text: string, width: number, right: boolean) => {
  const fill = " ".repeat(Math.max(0, width - Reports.Render.displayWidth(text)))
  return right ? fill + text : text + fill
}

export const text = (table: Table, language: Shared.Language): string => {
  const all = [
    table.columns.map((c) => c.label[language]),
    ...table.rows.map((row) => row.map((cell) => (typeof cell === "number" ? count(cell) : cell)))
  ]
  const widths = table.columns.map((_, c) => Math.max(...all.map((row) => Reports.Render.displayWidth(row[c] ?? ""))))
  const lines = all.map((row) =>
    row
      .map((cell, c) => pad(cell, widths[c]!, table.columns[c]?.numeric === true))
      .join("  ")
      .trimEnd()
  )
  return `${table.title[language]}\n${lines.join("\n")}\n`
}

export const csv = (table: Table, language: Shared.Language): string =>
  `${[table.columns.map((c) => c.label[language]), ...table.rows]
    .map((row) => row.map((cell) => Reports.Render.csvField(String(cell))).join(","))
    .join("\r\n")}\r\n`

const count = (n: number): string => n.toLocaleString("en-US")

export const ratio = (n: number | undefined): Cell => (n === undefined ? "—" : Math.round(n * 100) / 100)

export const label = (zh: string, en: string): Shared.Label => ({ "zh-CN": zh, en })
