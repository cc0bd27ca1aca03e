export * as Commands from "./Commands.ts"
export * as Decide from "./Decide.ts"
export {
  decideQuota,
  decideWorker,
  onPostAt,
  type QuotaContext,
  quotaDecider,
  type WorkerContext,
  workerDecider
} from "./Decide.ts"
export * as Events from "./Events.ts"
export { codec } from "./Events.ts"
export {
  handle,
  handleQuota,
  handleWorker,
  loadQuota,
  loadQuotaContext,
  loadWorker,
  loadWorkerContext,
  postHeld,
  quotaDefinition,
  workerDefinition,
  workerOnPost,
  workersOnPost
} from "./Handler.ts"
export * as Labels from "./Labels.ts"
export * as Projections from "./Projections.ts"
export * as State from "./State.ts"
export { stationOn } from "./State.ts"
export { category, quotaCategory, quotaStreamOf, streamOf } from "./Stream.ts"
