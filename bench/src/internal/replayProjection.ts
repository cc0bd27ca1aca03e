// F1…F23 are the article's figures, each defined in docs/figures.md.
// What the replay folds the log into: the county dashboard, every figure of docs/figures.md in one fold.
import { type Domain, Reports } from "@shuangbai/core"
import type { Projection } from "@shuangbai/eventsourcing"

export interface Target {
  readonly name: string
  readonly projection: Projection.Projection<Domain.Event, unknown>
  /** A few figures of the folded state, to show the fold did its work. */
  readonly summary: (state: unknown) => string
}

/** The county dashboard as of `asOf` (the article's periods: year to date, first half, last year…). */
export const target = (asOf: string): Target => {
  const { CountyDashboard } = Reports
  return {
    name: "Reports.CountyDashboard",
    projection: CountyDashboard.projection(CountyDashboard.periods(asOf)) as Projection.Projection<
      Domain.Event,
      unknown
    >,
    summary: (state) => {
      const { figures } = CountyDashboard.view(state as Reports.CountyDashboard.State)
      const of = (measure: string) => figures.find((f) => f.measure === measure)?.value?.toLocaleString("en-US")
      return (
        `F13 households on file ${of("F13.households")}, F9 households visited in the year to date ` +
        `${of("F9.households")}, F10 activities ${of("F10.activities")}, F11 person-times ${of("F11.personTimes")}`
      )
    }
  }
}
