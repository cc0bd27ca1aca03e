export * as JetStreamClient from "./JetStreamClient.ts"
export * as Relay from "./Relay.ts"
export { RelayError } from "./RelayError.ts"
export * as Subjects from "./Subjects.ts"
