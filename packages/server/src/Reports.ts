import { type Access, type Domain, Reports as R, type Shared } from "@shuangbai/core"
import { type Envelope, type EventStore, issuesOf, type Projection, Scalars } from "@shuangbai/eventsourcing"
import { Clock, Effect, Result, Schema } from "effect"
import * as ApiError from "./ApiError.ts"

type StationId = Shared.StationId
type HouseholdId = Shared.HouseholdId

// The reports the API serves: each names the Access read that guards it, the query it takes and how it
// is computed (a fold of the tenant's log, up to a position when asked, read from the store per request).

const AsOfText = Schema.String.check(
  Schema.makeFilter<string>((s) => {
    const parsed = R.Snapshot.parseAsOf(s)
    return Result.isSuccess(parsed) || parsed.failure
  })
)

/** The query every report understands; each uses the parameters that make sense for it. */
export const Query = Schema.Struct({
  /** The tenant to read: the principal's own (another tenant is refused). Default: the principal's. */
  tenant: Schema.optionalKey(Scalars.Id),
  /**
   * As of a position (`1234`: the log up to it), a store instant (`2024-08-08T16:00:00.000Z`: what had been
   * recorded by then) or a day (`2024-08-08`: the report's day over the whole log). Default: today in China.
   */
  asOf: Schema.optionalKey(AsOfText),
  /** A period (training: its courses; default the year before asOf's). */
  from: Schema.optionalKey(Scalars.LocalDate),
  to: Schema.optionalKey(Scalars.LocalDate),
  /** Only this station (station dashboard, visit schedule, caseloads). */
  station: Schema.optionalKey(Scalars.Id),
  /** The log as it stood at this position (as `asOf=<position>`; with `asOf=<day>`, that day's report of it). */
  position: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0))),
  /** The purpose of a read of personal data, where X-Purpose cannot be sent (Access.AccessLog). */
  purpose: Schema.optionalKey(Schema.String)
})
export type Query = typeof Query.Type

/** Where a report is read: the cut of the log and the report's day. */
export interface AsOf {
  readonly bound: R.Snapshot.Bound | undefined
  readonly day: Scalars.LocalDate
  /** Whether the request named the day or a cut (else the day is today's). */
  readonly explicit: boolean
}

/** A report's value with how far into the log it reached: what the digest is taken over. */
export interface Answer {
  readonly value: unknown
  readonly through: R.Snapshot.Through
}

export interface Report {
  readonly name: string
  readonly summary: string
  /** The read Access checks for this query. */
  readonly read: (tenant: Envelope.Tenant, query: Query) => Access.Read
  readonly run: (
    tenant: Envelope.Tenant,
    query: Query,
    asOf: AsOf
  ) => Effect.Effect<Answer, ApiError.ApiError, EventStore.EventStore>
}

type ReadError = R.Snapshot.ReadError

export const fromReadError = (error: ReadError): ApiError.ApiError =>
  error._tag === "EventStoreError"
    ? ApiError.fromStoreError(error)
    : ApiError.make({ status: 500, code: error._tag, message: error.message })

const bothCuts = ApiError.invalidRequest(
  "asOf names a position or an instant: leave out position, or give asOf a day",
  {
    issues: [{ path: "position", message: "not with asOf as a position or an instant" }]
  }
)

/**
 * The cut and day of a query (Snapshot.parseAsOf): without a day, a cut's own day (Snapshot.dayOf), so the
 * same question gives the same answer whenever it is asked; without either, today in China.
 */
export const resolveAsOf = (
  tenant: Envelope.Tenant,
  query: Query
): Effect.Effect<AsOf, ApiError.ApiError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const parsed =
      query.asOf === undefined
        ? { bound: undefined, day: undefined }
        : Result.getOrThrow(R.Snapshot.parseAsOf(query.asOf))
    if (parsed.bound !== undefined && query.position !== undefined) return yield* Effect.fail(bothCuts)
    const bound: R.Snapshot.Bound | undefined =
      parsed.bound ?? (query.position === undefined ? undefined : { _tag: "Position", position: query.position })
    const day = parsed.day ?? (yield* run(R.Snapshot.dayOf(tenant, bound))) ?? (yield* today)
    return { bound, day, explicit: query.asOf !== undefined || bound !== undefined }
  })

/** The tenant's log inside the cut folded with a projection, its view made by `view`. */
const answer = <S>(
  tenant: Envelope.Tenant,
  projection: Projection.Projection<Domain.Event, S>,
  asOf: AsOf,
  view: (state: S) => unknown
): Effect.Effect<Answer, ApiError.ApiError, EventStore.EventStore> =>
  run(R.Snapshot.fold(tenant, projection, asOf.bound)).pipe(
    Effect.map(({ state, through }) => ({ value: view(state), through }))
  )

const today = Effect.map(Clock.currentTimeMillis, Scalars.chinaDateOf)

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
    run: (tenant, _query, asOf) =>
      answer(tenant, R.CountyDashboard.projection(R.CountyDashboard.periods(asOf.day)), asOf, R.CountyDashboard.view)
  },
  {
    name: "station-dashboard",
    summary: "The figures per station (asOf; station; position)",
    // Every station at once is the county's view; one station is that station's.
    read: (tenant, query) =>
      query.station === undefined ? read("CountyDashboard", tenant) : read("StationDashboard", tenant, query.station),
    run: (tenant, query, asOf) =>
      answer(tenant, R.StationDashboard.projection(R.CountyDashboard.periods(asOf.day)), asOf, (state) =>
        R.StationDashboard.view(state, query.station === undefined ? {} : { stations: [query.station as StationId] })
      )
  },
  {
    name: "visit-schedule",
    summary: "Recipients and scheduled visits due and overdue (asOf; station; position)",
    read: (tenant, query) => read("VisitSchedule", tenant, query.station),
    run: (tenant, query, asOf) =>
      answer(tenant, R.VisitSchedule.projection(asOf.day), asOf, (state) => {
        const schedule = R.VisitSchedule.view(state)
        return query.station === undefined
          ? schedule
          : {
              ...schedule,
              recipients: onlyStation(schedule.recipients, query.station),
              scheduled: onlyStation(schedule.scheduled, query.station)
            }
      })
  },
  {
    name: "caseloads",
    summary: "Open cases per worker and per station (asOf; station; position)",
    read: (tenant, query) => read("WorkerCaseloads", tenant, query.station),
    run: (tenant, query, asOf) =>
      answer(tenant, R.WorkerCaseloads.projection(asOf.explicit ? { asOf: asOf.day } : {}), asOf, (state) => {
        const loads = R.WorkerCaseloads.view(state)
        return query.station === undefined
          ? loads
          : {
              ...loads,
              workers: onlyStation(loads.workers, query.station),
              stations: onlyStation(loads.stations, query.station)
            }
      })
  },
  {
    name: "recruitment",
    summary: "Posts, workers on post, vacancies and applicants (asOf; position)",
    read: (tenant) => read("RecruitmentStatus", tenant),
    run: (tenant, _query, asOf) =>
      answer(tenant, R.RecruitmentStatus.projection(asOf.day), asOf, R.RecruitmentStatus.view)
  },
  {
    name: "training",
    summary: "Courses and attendance in a period (from, to; default the year before asOf's; position)",
    read: (tenant) => read("TrainingParticipation", tenant),
    run: (tenant, query, asOf) => {
      const last = R.Period.year(R.Period.yearOf(asOf.day) - 1)
      const period = R.Period.make(query.from ?? last.from, query.to ?? last.to)
      return answer(tenant, R.TrainingParticipation.projection(period), asOf, R.TrainingParticipation.view)
    }
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

/** The household history, read by subject (it does not fold the whole log), as of a cut when given. */
export const householdHistory = (tenant: Envelope.Tenant, household: string, bound?: R.Snapshot.Bound) =>
  run(R.HouseholdHistory.read(tenant, household as HouseholdId, bound))

/** The tenant's log (up to `position` when given) folded with a projection. */
export const foldLog = <S>(
  tenant: Envelope.Tenant,
  projection: Projection.Projection<Domain.Event, S>,
  position?: number
): Effect.Effect<S, ReadError, EventStore.EventStore> =>
  Effect.map(
    R.Snapshot.fold(tenant, projection, position === undefined ? undefined : { _tag: "Position", position }),
    ({ state }) => state
  )
