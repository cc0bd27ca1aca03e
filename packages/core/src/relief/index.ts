export * as Commands from "./Commands.ts"
export {
  CampaignAlreadyClosed,
  CampaignAlreadyLaunched,
  CampaignNotLaunched,
  type Context,
  DateBeforeLaunch,
  decide,
  decider,
  RecipientNotRegistered,
  StockInsufficient
} from "./Decide.ts"
export * as Events from "./Events.ts"
export { handle, loadContext, recipientRegistered } from "./Handler.ts"
export * as Labels from "./Labels.ts"
export * as Projections from "./Projections.ts"
export * as State from "./State.ts"
export { category, streamOf } from "./Stream.ts"
