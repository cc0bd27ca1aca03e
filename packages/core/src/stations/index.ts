export * as Commands from "./Commands.ts"
export * as Rules from "./Decide.ts"
export {
  configureCounty,
  countyDecider,
  decide,
  decideCounty,
  decider,
  ServicePointAlreadyOpen,
  ServicePointNotOpen,
  StationAlreadyEstablished,
  type StationContext,
  StationDateOutOfOrder,
  StationIsClosed,
  StationNotEstablished,
  TownshipNotInCounty
} from "./Decide.ts"
export * as Events from "./Events.ts"
export { codec } from "./Events.ts"
export { countyTownships, handle, handleCounty, type LoadError, loadCounty } from "./Handler.ts"
export * as Labels from "./Labels.ts"
export * as Projections from "./Projections.ts"
export * as State from "./State.ts"
export { category, countyCategory, countyStream, streamOf } from "./Stream.ts"
