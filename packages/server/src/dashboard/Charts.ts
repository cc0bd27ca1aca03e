import { coordinate as c, type Html, html } from "./Html.ts"

// Small inline SVG charts, drawn in a fixed viewBox and scaled to the width of their box (phone or
// desktop). Values are printed on the chart, so it reads without hovering.

export interface Series {
  readonly label: string
  readonly kind: "bar" | "line"
  /** One per category; undefined leaves a gap. */
  readonly values: ReadonlyArray<number | undefined>
}

const width = 400
const height = 210
const margin = { top: 22, right: 8, bottom: 24, left: 8 }
const colors = ["#0f766e", "#c2410c", "#6d28d9", "#0369a1"] as const

const short = (n: number): string =>
  n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1_000 ? `${(n / 1000).toFixed(1)}k` : String(n)

/** A key under the chart: one swatch per series. */
const legend = (series: ReadonlyArray<Series>): Html =>
  html`<ul class="legend">${series.map(
    (s, i) => html`<li><span class="swatch ${s.kind}" style="--c:${colors[i % colors.length]!}"></span>${s.label}</li>`
  )}</ul>`

/**
 * Columns per category (months), bar series side by side, line series over them; every value printed.
 * `id` names the chart for the page's tests and anchors.
 */
export const columns = (options: {
  readonly id: string
  readonly title: string
  readonly categories: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
}): Html => {
  const { categories, series } = options
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined))
  const max = Math.max(1, ...all)
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const slot = plotWidth / Math.max(1, categories.length)
  const bars = series.filter((s) => s.kind === "bar")
  const barWidth = (slot * 0.7) / Math.max(1, bars.length)
  const y = (v: number) => margin.top + plotHeight - (v / max) * plotHeight
  const x = (i: number) => margin.left + slot * i + slot / 2
  const baseline = margin.top + plotHeight

  const barMarks = bars.map((s) => {
    const color = colors[series.indexOf(s) % colors.length]!
    const offset = -((bars.length * barWidth) / 2) + bars.indexOf(s) * barWidth
    return s.values.map((v, i) =>
      v === undefined
        ? ""
        : html`<g class="mark"><rect x="${c(x(i) + offset + 1)}" y="${c(y(v))}" width="${c(Math.max(1, barWidth - 2))}" height="${c(baseline - y(v))}" rx="2" fill="${color}"><title>${categories[i]!}: ${String(v)}</title></rect><text x="${c(x(i) + offset + barWidth / 2)}" y="${c(y(v) - 3)}" class="value">${short(v)}</text></g>`
    )
  })
  const lineMarks = series
    .filter((s) => s.kind === "line")
    .map((s) => {
      const color = colors[series.indexOf(s) % colors.length]!
      const points = s.values.flatMap((v, i) => (v === undefined ? [] : [[x(i), y(v), v] as const]))
      return html`<polyline points="${points.map(([px, py]) => `${c(px)},${c(py)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>${points.map(
        ([px, py, v]) =>
          html`<circle cx="${c(px)}" cy="${c(py)}" r="3" fill="#fff" stroke="${color}" stroke-width="2"><title>${s.label}: ${String(v)}</title></circle>${
            // A zero sits on the baseline, where the bars print their own values.
            v === 0
              ? ""
              : html`<text x="${c(px)}" y="${c(py - 7)}" class="value line" fill="${color}">${short(v)}</text>`
          }`
      )}`
    })
  const ticks = categories.map(
    (label, i) => html`<text x="${c(x(i))}" y="${c(height - 8)}" class="tick">${label}</text>`
  )
  return html`<figure class="chart" id="${options.id}"><figcaption>${options.title}</figcaption><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.title}"><title>${options.title}</title><line x1="${margin.left}" x2="${width - margin.right}" y1="${c(baseline)}" y2="${c(baseline)}" class="axis"/>${barMarks}${lineMarks}${ticks}</svg>${legend(series)}</figure>`
}

export interface BarRow {
  readonly label: string
  readonly value: number
}

export interface BarGroup {
  readonly title: string
  readonly rows: ReadonlyArray<BarRow>
}

/** Horizontal bars in groups (one per campaign), each row labelled above its bar, its value at the end. */
export const bars = (options: {
  readonly id: string
  readonly title: string
  readonly groups: ReadonlyArray<BarGroup>
  readonly empty: string
}): Html => {
  const rowHeight = 34
  const groupGap = 24
  const max = Math.max(1, ...options.groups.flatMap((g) => g.rows.map((r) => r.value)))
  const plotWidth = width - 60
  let top = 4
  const marks = options.groups.map((group, gi) => {
    const heading = html`<text x="0" y="${c(top + 12)}" class="group">${group.title}</text>`
    top += 20
    const rows = group.rows.map((row) => {
      const w = Math.max(2, (row.value / max) * plotWidth)
      const mark = html`<g class="mark"><text x="0" y="${c(top + 11)}" class="row-label">${row.label}</text><rect x="0" y="${c(top + 16)}" width="${c(w)}" height="12" rx="2" fill="${colors[gi % colors.length]!}"><title>${row.label}: ${String(row.value)}</title></rect><text x="${c(w + 4)}" y="${c(top + 26)}" class="value end">${row.value.toLocaleString("en-US")}</text></g>`
      top += rowHeight
      return mark
    })
    top += groupGap - 10
    return [heading, rows]
  })
  const body =
    options.groups.length === 0
      ? html`<p class="empty">${options.empty}</p>`
      : html`<svg viewBox="0 0 ${width} ${c(top)}" role="img" aria-label="${options.title}"><title>${options.title}</title>${marks}</svg>`
  return html`<figure class="chart" id="${options.id}"><figcaption>${options.title}</figcaption>${body}</figure>`
}
