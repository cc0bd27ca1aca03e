import { Scalars, StreamId } from "@shuangbai/eventsourcing"
import { Schema } from "effect"

const tenant = Scalars.Id

/**
 * What a principal can ask to read, each with the tenant it is asked of and what the decision needs. A
 * report without a station is the county's (or, for station staff, refused: they name their station).
 */
export const Read = Schema.TaggedUnion({
  CountyDashboard: { tenant },
  StationDashboard: { tenant, station: Scalars.Id },
  VisitSchedule: { tenant, station: Schema.optionalKey(Scalars.Id) },
  WorkerCaseloads: { tenant, station: Schema.optionalKey(Scalars.Id) },
  RecruitmentStatus: { tenant },
  TrainingParticipation: { tenant },
  /** Everything about one household across streams. */
  HouseholdHistory: { tenant, household: Scalars.Id },
  /** One stream's events. */
  Stream: { tenant, stream: StreamId.StreamId },
  /** The tenant's whole log, and its live feed. */
  Log: { tenant },
  /** Who read what: the access history. */
  AccessLog: { tenant }
})
export type Read = typeof Read.Type

/** A read as a short phrase for AccessDenied's `what`: `HouseholdHistory h-001`, `Stream visit/v-1`. */
export const describe = (read: Read): string => {
  switch (read._tag) {
    case "StationDashboard":
      return `${read._tag} ${read.station}`
    case "VisitSchedule":
    case "WorkerCaseloads":
      return read.station === undefined ? read._tag : `${read._tag} ${read.station}`
    case "HouseholdHistory":
      return `${read._tag} ${read.household}`
    case "Stream":
      return `${read._tag} ${StreamId.format(read.stream)}`
    default:
      return read._tag
  }
}
