export * as Commands from "./Commands.ts"
export * as Decide from "./Decide.ts"
export { countyDecider, decide, decideCounty, decider, type StationContext } from "./Decide.ts"
export * as Events from "./Events.ts"
export { codec } from "./Events.ts"
export {
  countyDefinition,
  countyTownships,
  definition,
  findStation,
  handle,
  handleCounty,
  loadContext,
  loadCounty,
  stationsByTownship
} from "./Handler.ts"
export * as Labels from "./Labels.ts"
export * as Projections from "./Projections.ts"
export * as State from "./State.ts"
export { category, countyCategory, countyStream, streamOf } from "./Stream.ts"
