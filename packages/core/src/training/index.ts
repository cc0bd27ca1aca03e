export * as Commands from "./Commands.ts"
export * as Decide from "./Decide.ts"
export { type Context, decide, decider } from "./Decide.ts"
export * as Events from "./Events.ts"
export { codec } from "./Events.ts"
export { definition, handle, loadContext } from "./Handler.ts"
export * as Labels from "./Labels.ts"
export * as Projections from "./Projections.ts"
export * as State from "./State.ts"
export {
  categories,
  courseCategory,
  courseStream,
  ExchangeVisitId,
  exchangeVisitCategory,
  exchangeVisitStream,
  PrintRunId,
  publicityCategory,
  publicityStream
} from "./Stream.ts"
