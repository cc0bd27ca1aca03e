// F1…F23 are the article's figures, each defined in docs/figures.md.
import { type Domain, Reports, Shared } from "@shuangbai/core"
import { type Projection, Scalars } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { type CliFailure, fail } from "./Failure.ts"
import * as Table from "./Table.ts"

// The reports of packages/core/src/reports by the names `shuangbai report <name>` takes, each with what it
// folds and how it prints. Dashboards print with Reports.Render; the others as tables (Table.ts).

export type Format = "table" | "json" | "csv"

export interface Request {
  readonly asOf: Scalars.LocalDate
  readonly period: Reports.Period.Period | undefined
  readonly station: string | undefined
  readonly format: Format
  readonly language: Shared.Language
}

export interface Definition {
  readonly description: string
  /** Whether `--period` means something to this report. */
  readonly period: boolean
  readonly station: boolean
  /** Folds and renders; the fold's type stays inside. */
  readonly make: (request: Request) => Prepared
}

export interface Prepared {
  readonly projection: Projection.Projection<Domain.Event, unknown>
  readonly render: (state: unknown) => string
}

const prepared = <S>(projection: Projection.Projection<Domain.Event, S>, render: (state: S) => string): Prepared => ({
  projection: projection as Projection.Projection<Domain.Event, unknown>,
  render: render as (state: unknown) => string
})

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** Text or CSV of the report's tables (CSV: the first, the report's main table). */
const tables = (request: Request, all: ReadonlyArray<Table.Table>): string =>
  request.format === "csv"
    ? Table.csv(all[0]!, request.language)
    : all.map((t) => Table.text(t, request.language)).join("\n")

const dashboardPeriods = (request: Request) =>
  Reports.CountyDashboard.periods(
    request.asOf,
    request.period === undefined
      ? {}
      : { coverage: request.period, campaigns: request.period, yearToDate: request.period }
  )

const dashboard = (request: Request, view: Reports.Render.Dashboard): string =>
  request.format === "json"
    ? `${Reports.Render.toJson(view)}\n`
    : request.format === "csv"
      ? Reports.Render.toCsv(view, request.language)
      : Reports.Render.print(view, request.language)

const yesNo = (b: boolean) => Table.label(b ? "是" : "否", b ? "yes" : "no")

const l = Table.label

export const definitions: Readonly<Record<string, Definition>> = {
  county: {
    description: "the county dashboard: every figure F1–F23 (--period sets the year-to-date figures' period, F2–F11)",
    period: true,
    station: false,
    make: (request) =>
      prepared(Reports.CountyDashboard.projection(dashboardPeriods(request)), (state) =>
        dashboard(request, Reports.CountyDashboard.view(state))
      )
  },
  stations: {
    description: "the dashboard's figures per station (--station: one station)",
    period: true,
    station: true,
    make: (request) =>
      prepared(Reports.StationDashboard.projection(dashboardPeriods(request)), (state) =>
        dashboard(
          request,
          Reports.StationDashboard.view(
            state,
            request.station === undefined ? {} : { stations: [request.station as Shared.StationId] }
          )
        )
      )
  },
  "visit-schedule": {
    description: "recipients and scheduled visits due or overdue on --as-of, by category and risk",
    period: false,
    station: true,
    make: (request) =>
      prepared(Reports.VisitSchedule.projection(request.asOf), (state) => {
        const schedule = Reports.VisitSchedule.view(state)
        const at = (s: { readonly station: string }) => request.station === undefined || s.station === request.station
        const recipients = schedule.recipients.filter(at)
        const scheduled = schedule.scheduled.filter(at)
        if (request.format === "json") return json({ ...schedule, recipients, scheduled })
        const lang = request.language
        return tables(request, [
          {
            title: l(`探访计划（截至 ${schedule.asOf}）`, `Visit schedule (as of ${schedule.asOf})`),
            columns: [
              { label: l("人员", "person") },
              { label: l("户", "household") },
              { label: l("社工站", "station") },
              { label: l("类别", "categories") },
              { label: l("风险", "risk") },
              { label: l("周期（天）", "interval (days)"), numeric: true },
              { label: l("上次探访", "last visited") },
              { label: l("应探访日", "due on") },
              { label: l("状态", "status") },
              { label: l("逾期天数", "days overdue"), numeric: true }
            ],
            rows: recipients.map((r) => [
              r.person,
              r.household,
              r.station,
              r.categories.map((c) => Shared.recipientCategoryLabels[c][lang]).join(" "),
              Reports.VisitSchedule.riskLabels[r.risk][lang],
              r.intervalDays,
              r.lastVisitedOn ?? "—",
              r.dueOn,
              Reports.VisitSchedule.statusLabels[r.status][lang],
              r.daysOverdue
            ])
          },
          {
            title: l("已排探访", "Scheduled visits"),
            columns: [
              { label: l("探访", "visit") },
              { label: l("户", "household") },
              { label: l("社工站", "station") },
              { label: l("社工", "worker") },
              { label: l("应探访日", "due on") },
              { label: l("状态", "status") },
              { label: l("逾期天数", "days overdue"), numeric: true }
            ],
            rows: scheduled.map((s) => [
              s.visit,
              s.household,
              s.station,
              s.worker,
              s.dueOn,
              Reports.VisitSchedule.statusLabels[s.status][lang],
              s.daysOverdue
            ])
          }
        ])
      })
  },
  caseloads: {
    description: "open cases per worker and per station on --as-of",
    period: false,
    station: true,
    make: (request) =>
      prepared(Reports.WorkerCaseloads.projection({ asOf: request.asOf }), (state) => {
        const loads = Reports.WorkerCaseloads.view(state)
        const at = (s: { readonly station: string | undefined }) =>
          request.station === undefined || s.station === request.station
        const workers = loads.workers.filter(at)
        const stations = loads.stations.filter(at)
        if (request.format === "json") return json({ ...loads, workers, stations })
        const lang = request.language
        return tables(request, [
          {
            title: l(`社工个案量（截至 ${request.asOf}）`, `Caseloads per worker (as of ${request.asOf})`),
            columns: [
              { label: l("社工", "worker") },
              { label: l("姓名", "name") },
              { label: l("社工站", "station") },
              { label: l("在岗", "on post") },
              { label: l("在案个案", "open cases"), numeric: true }
            ],
            rows: workers.map((w) => [w.worker, w.name ?? "—", w.station ?? "—", yesNo(w.onPost)[lang], w.openCases])
          },
          {
            title: l("各社工站", "Per station"),
            columns: [
              { label: l("社工站", "station") },
              { label: l("在案个案", "open cases"), numeric: true },
              { label: l("在岗社工", "workers on post"), numeric: true },
              { label: l("人均个案", "cases per worker"), numeric: true }
            ],
            rows: stations.map((s) => [s.station, s.openCases, s.workersOnPost, Table.ratio(s.casesPerWorker)])
          }
        ])
      })
  },
  recruitment: {
    description: "posts, workers on post, vacancies and applicants on --as-of, per drive and per station",
    period: false,
    station: true,
    make: (request) =>
      prepared(Reports.RecruitmentStatus.projection(request.asOf), (state) => {
        const status = Reports.RecruitmentStatus.view(state)
        const stations = status.stations.filter((s) => request.station === undefined || s.station === request.station)
        if (request.format === "json") return json({ ...status, stations })
        const lang = request.language
        return tables(request, [
          {
            title: l(`招聘与岗位（截至 ${status.asOf}）`, `Recruitment and posts (as of ${status.asOf})`),
            columns: [
              { label: l("社工站", "station") },
              { label: l("岗位", "posts"), numeric: true },
              { label: l("在岗", "on post"), numeric: true },
              { label: l("待招", "vacancies"), numeric: true }
            ],
            rows: [
              ...stations.map((s) => [s.station, s.posts, s.onPost, s.vacancies]),
              ...(request.station === undefined
                ? [[l("全县", "county")[lang], status.posts, status.onPost, status.vacancies]]
                : [])
            ]
          },
          {
            title: l("招聘批次", "Recruitment drives"),
            columns: [
              { label: l("批次", "drive") },
              { label: l("名称", "title") },
              { label: l("招聘岗位", "vacancies"), numeric: true },
              { label: l("报名", "applicants"), numeric: true },
              { label: l("每岗报名", "per post"), numeric: true },
              { label: l("入围", "shortlisted"), numeric: true },
              { label: l("录用", "offers"), numeric: true },
              { label: l("入职", "hired"), numeric: true },
              { label: l("进行中", "open") }
            ],
            rows: status.drives.map((d) => [
              d.drive,
              d.title ?? "—",
              d.vacancies,
              d.applicants,
              Table.ratio(d.applicantsPerPost),
              d.shortlisted,
              d.offers,
              d.hired,
              yesNo(d.open)[lang]
            ])
          }
        ])
      })
  },
  training: {
    description: "courses, person-times and workers trained in --period (default: the year to --as-of)",
    period: true,
    station: true,
    make: (request) => {
      const period = request.period ?? Reports.Period.yearToDate(request.asOf)
      return prepared(Reports.TrainingParticipation.projection(period), (state) => {
        const p = Reports.TrainingParticipation.view(state)
        const stations = p.stations.filter((s) => request.station === undefined || s.station === request.station)
        if (request.format === "json") return json({ ...p, stations })
        return tables(request, [
          {
            title: l(
              `培训参与（${period.from} 至 ${period.to}）：${p.courses} 期，${p.personTimes} 人次，${p.workers} 名社工`,
              `Training (${period.from} to ${period.to}): ${p.courses} courses, ${p.personTimes} person-times, ${p.workers} workers`
            ),
            columns: [
              { label: l("社工站", "station") },
              { label: l("人次", "person-times"), numeric: true },
              { label: l("社工", "workers"), numeric: true }
            ],
            rows: stations.map((s) => [s.station, s.personTimes, s.workers])
          }
        ])
      })
    }
  }
}

export const names = Object.keys(definitions)

export const definition = (name: string): Effect.Effect<Definition, CliFailure> => {
  const found = Object.hasOwn(definitions, name) ? definitions[name] : undefined
  return found === undefined
    ? Effect.fail(fail("UnknownReport", `there is no report named ${name}: the reports are ${names.join(", ")}`))
    : Effect.succeed(found)
}

// ---- dates and periods ---------------------------------------------------------------------------------

const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && Scalars.isCalendarDate(s)

export const parseDate = (flag: string, text: string): Effect.Effect<Scalars.LocalDate, CliFailure> =>
  isDate(text)
    ? Effect.succeed(text)
    : Effect.fail(fail("BadDate", `${flag} ${text} is not a date: write a calendar day as YYYY-MM-DD`))

const periodForms = "YYYY, YYYY-H1, YYYY-H2, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"

/** A year, a half year, a month, or two days joined by `..` (both ends included). */
export const parsePeriod = (text: string): Effect.Effect<Reports.Period.Period, CliFailure> => {
  const bad = (why: string) => Effect.fail(fail("BadDate", `--period ${text} ${why}: write ${periodForms}`))
  let match = /^(\d{4})$/.exec(text)
  if (match) return Effect.succeed(Reports.Period.year(Number(match[1])))
  match = /^(\d{4})-H([12])$/.exec(text)
  if (match) {
    const year = Number(match[1])
    return Effect.succeed(
      match[2] === "1" ? Reports.Period.firstHalf(year) : Reports.Period.make(`${match[1]}-07-01`, `${year}-12-31`)
    )
  }
  match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text)
  if (match) {
    const next =
      Number(match[2]) === 12
        ? `${Number(match[1]) + 1}-01-01`
        : `${match[1]}-${String(Number(match[2]) + 1).padStart(2, "0")}-01`
    return Effect.succeed(Reports.Period.make(`${match[1]}-${match[2]}-01`, Reports.Period.addDays(next, -1)))
  }
  match = /^(.+)\.\.(.+)$/.exec(text)
  if (match) {
    const [from, to] = [match[1]!, match[2]!]
    if (!isDate(from) || !isDate(to)) return bad("has an end that is not a calendar day")
    if (from > to) return bad("ends before it begins")
    return Effect.succeed(Reports.Period.make(from, to))
  }
  return bad("does not parse")
}
