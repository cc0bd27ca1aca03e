// Who may do what: a pure policy over principals, commands and reads (Policy.ts), and the wrappers every
// way in uses to send a command or make a read as an authenticated principal (Handle.ts), recording reads
// of personal data with their purpose (AccessLog.ts).
export { AccessDenied, Refusals } from "./AccessDenied.ts"
export * as AccessLog from "./AccessLog.ts"
export { erase } from "./Erase.ts"
export { loadFacts } from "./Facts.ts"
export { authorizeRead, handle, type Options } from "./Handle.ts"
export {
  type CommandFacts,
  type CommandRule,
  type CommandTag,
  commandRules,
  decideCommand,
  decideErasure,
  decideRead,
  erasureRule,
  type Facts,
  noFacts,
  ownedCategories,
  type ReadRule,
  type ReadTag,
  readRule,
  readRules,
  streamRules,
  type Targets,
  targetsOfCommand
} from "./Policy.ts"
export { actorOf, Principal, Role, roles, stationRoles } from "./Principal.ts"
export { describe as describeRead, Read } from "./Read.ts"
