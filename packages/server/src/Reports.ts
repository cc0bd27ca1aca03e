// F1…F23 are the article's figures, each defined in docs/figures.md.
import { type Access, Domain, Reports as R, type Shared } from "@shuangbai/core"
import {
  type Envelope,
  EventStore,
  type EventStoreError,
  type InvalidEvent,
  issuesOf,
  Projection,
  type Recorded,
  Scalars,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Clock, Effect, Result, Schema } from "effect"
import * as ApiError from "./ApiError.ts"

type StationId = Shared.StationId
type HouseholdId = Shared.HouseholdId

// The reports the API serves: each names the Access read that guards it, the query it takes and how it
// is computed (a fold of the tenant's log, up to a position when asked, read from the store per request).

/** The query every report understands; each uses the parameters that make sense for it. */
export const Query = Schema.Struct({
  /** The tenant to read: the principal's own (another tenant is refused). Default: the principal's. */
  tenant: Schema.optionalKey(Scalars.Id),
  /** The day the report is made on (yyyy-mm-dd). Default: today in China. */
  asOf: Schema.optionalKey(Scalars.LocalDate),
  /** A period (training: its courses; default the year before asOf's). */
  from: Schema.optionalKey(Scalars.LocalDate),
  to: Schema.optionalKey(Scalars.LocalDate),
  /** Only this station (station dashboard, visit schedule, caseloads). */
  station: Schema.optionalKey(Scalars.Id),
  /** The log as it stood at this position (an audit of what was known then). */
  position: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0)))
})
export type Query = typeof Query.Type

export interface Report {
  readonly name: string
  readonly summary: string
  /** The read Access checks for this query. */
  readonly read: (tenant: Envelope.Tenant, query: Query) => Access.Read
  readonly run: (
    tenant: Envelope.Tenant,
    query: Query
  ) => Effect.Effect<unknown, ApiError.ApiError, EventStore.EventStore>
}

type ReadError = EventStoreError | UnknownEventType | InvalidEvent

export const fromReadError = (error: ReadError): ApiError.ApiError =>
  error._tag === "EventStoreError"
    ? ApiError.fromStoreError(error)
    : ApiError.make({ status: 500, code: error._tag, message: error.message })

const pageSize = 5_000

/** The tenant's log (up to `position` when given) folded with a projection. */
export const foldLog = <S>(
  tenant: Envelope.Tenant,
  projection: Projection.Projection<Domain.Event, S>,
  position?: number
): Effect.Effect<S, ReadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let state = projection.initial
    let after = 0
    while (position === undefined || after < position) {
      const limit = position === undefined ? pageSize : Math.min(pageSize, position - after)
      const page = yield* store.readAll(tenant, { after, limit })
      const recorded: Array<Recorded<Domain.Event>> = []
      for (const stored of page) {
        const decoded = Domain.codec.decode(stored)
        if (Result.isFailure(decoded)) return yield* Effect.fail(decoded.failure)
        recorded.push(decoded.success)
      }
      state = Projection.fold(projection, recorded, state)
      if (page.length < limit) break
      after = page[page.length - 1]!.position
    }
    return state
  })

const today = Effect.map(Clock.currentTimeMillis, Scalars.chinaDateOf)
const asOfOf = (query: Query) => (query.asOf === undefined ? today : Effect.succeed(query.asOf))

const run = <A>(effect: Effect.Effect<A, ReadError, EventStore.EventStore>) => Effect.mapError(effect, fromReadError)

const read = (tag: Access.Read["_tag"], tenant: Envelope.Tenant, station?: string): Access.Read =>
  (station === undefined ? { _tag: tag, tenant } : { _tag: tag, tenant, station }) as Access.Read

const onlyStation = <A extends { readonly station?: string | undefined }>(rows: ReadonlyArray<A>, station?: string) =>
  station === undefined ? rows : rows.filter((row) => row.station === station)

export const reports: ReadonlyArray<Report> = [
  {
    name: "county-dashboard",
    summary: "The county's figures F1–F23 (asOf; position)",
    read: (tenant) => read("CountyDashboard", tenant),
    run: (tenant, query) =>
      Effect.flatMap(asOfOf(query), (asOf) =>
        run(foldLog(tenant, R.CountyDashboard.projection(R.CountyDashboard.periods(asOf)), query.position)).pipe(
          Effect.map((state) => R.CountyDashboard.view(state))
        )
      )
  },
  {
    name: "station-dashboard",
    summary: "The figures per station (asOf; station; position)",
    // Every station at once is the county's view; one station is that station's.
    read: (tenant, query) =>
      query.station === undefined ? read("CountyDashboard", tenant) : read("StationDashboard", tenant, query.station),
    run: (tenant, query) =>
      Effect.flatMap(asOfOf(query), (asOf) =>
        run(foldLog(tenant, R.StationDashboard.projection(R.CountyDashboard.periods(asOf)), query.position)).pipe(
          Effect.map((state) =>
            R.StationDashboard.view(
              state,
              query.station === undefined ? {} : { stations: [query.station as StationId] }
            )
          )
        )
      )
  },
  {
    name: "visit-schedule",
    summary: "Recipients and scheduled visits due and overdue (asOf; station; position)",
    read: (tenant, query) => read("VisitSchedule", tenant, query.station),
    run: (tenant, query) =>
      Effect.flatMap(asOfOf(query), (asOf) =>
        run(foldLog(tenant, R.VisitSchedule.projection(asOf), query.position)).pipe(
          Effect.map((state) => {
            const schedule = R.VisitSchedule.view(state)
            return query.station === undefined
              ? schedule
              : {
                  ...schedule,
                  recipients: onlyStation(schedule.recipients, query.station),
                  scheduled: onlyStation(schedule.scheduled, query.station)
                }
          })
        )
      )
  },
  {
    name: "caseloads",
    summary: "Open cases per worker and per station (asOf; station; position)",
    read: (tenant, query) => read("WorkerCaseloads", tenant, query.station),
    run: (tenant, query) =>
      run(
        foldLog(
          tenant,
          R.WorkerCaseloads.projection(query.asOf === undefined ? {} : { asOf: query.asOf }),
          query.position
        )
      ).pipe(
        Effect.map((state) => {
          const loads = R.WorkerCaseloads.view(state)
          return query.station === undefined
            ? loads
            : {
                ...loads,
                workers: onlyStation(loads.workers, query.station),
                stations: onlyStation(loads.stations, query.station)
              }
        })
      )
  },
  {
    name: "recruitment",
    summary: "Posts, workers on post, vacancies and applicants (asOf; position)",
    read: (tenant) => read("RecruitmentStatus", tenant),
    run: (tenant, query) =>
      Effect.flatMap(asOfOf(query), (asOf) =>
        run(foldLog(tenant, R.RecruitmentStatus.projection(asOf), query.position)).pipe(
          Effect.map(R.RecruitmentStatus.view)
        )
      )
  },
  {
    name: "training",
    summary: "Courses and attendance in a period (from, to; default the year before asOf's; position)",
    read: (tenant) => read("TrainingParticipation", tenant),
    run: (tenant, query) =>
      Effect.flatMap(asOfOf(query), (asOf) => {
        const last = R.Period.year(R.Period.yearOf(asOf) - 1)
        const period = R.Period.make(query.from ?? last.from, query.to ?? last.to)
        return run(foldLog(tenant, R.TrainingParticipation.projection(period), query.position)).pipe(
          Effect.map(R.TrainingParticipation.view)
        )
      })
  }
]

export const byName: ReadonlyMap<string, Report> = new Map(reports.map((report) => [report.name, report]))

/** A query string checked against `Query`: 400 names each parameter that was wrong. */
export const decodeQuery = (raw: unknown): Effect.Effect<Query, ApiError.ApiError> =>
  Schema.decodeUnknownEffect(Query, { errors: "all", onExcessProperty: "error" })(raw).pipe(
    Effect.mapError((error) =>
      ApiError.invalidRequest("the query does not match the report's parameters", { issues: issuesOf(error.issue) })
    )
  )

/** The household history, read by subject (it does not fold the whole log). */
export const householdHistory = (tenant: Envelope.Tenant, household: string) =>
  run(R.HouseholdHistory.read(tenant, household as HouseholdId))
