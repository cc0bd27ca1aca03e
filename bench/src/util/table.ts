/** Prints rows as an aligned Markdown table (numbers right-aligned), so the output pastes into docs. */
export const printTable = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): void => {
  const width = (s: string) => [...s].reduce((n, c) => n + (/[\u2E80-\uFFEF]/.test(c) ? 2 : 1), 0)
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))))
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.,×—-]*\s*[✓✗]?$/.test(r[i] ?? "")))
  const cell = (s: string, i: number) => {
    const pad = " ".repeat(widths[i]! - width(s))
    return numeric[i] ? pad + s : s + pad
  }
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map(cell).join(" | ")} |`
  console.log(line(headers))
  console.log(`|${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`)
  for (const row of rows) console.log(line(row))
}

/** An events/s figure, rounded to three significant digits and grouped by thousands. */
export const perSecond = (value: number): string =>
  Number.isFinite(value) ? Math.round(Number(value.toPrecision(3))).toLocaleString("en-US") : "—"

/** A ratio such as 0.87×. */
export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "—")
