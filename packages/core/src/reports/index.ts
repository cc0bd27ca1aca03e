// Cross-context reports: pure projections over the whole log (`Recorded<Domain.Event>`), each with a
// `projection(...)` to fold and a `view(state, ...)` to read. `Render` prints dashboards (zh-CN, en), JSON, CSV.
export * as CountyDashboard from "./CountyDashboard.ts"
export * as Figures from "./Figures.ts"
export * as HouseholdHistory from "./HouseholdHistory.ts"
export * as Period from "./Period.ts"
export * as RecruitmentStatus from "./RecruitmentStatus.ts"
export * as Render from "./Render.ts"
export * as Snapshot from "./Snapshot.ts"
export * as StationDashboard from "./StationDashboard.ts"
export * as TrainingParticipation from "./TrainingParticipation.ts"
export * as VisitSchedule from "./VisitSchedule.ts"
export * as WorkerCaseloads from "./WorkerCaseloads.ts"
