export * as Checkpoints from "./Checkpoints.ts"
export * as PgEventStore from "./PgEventStore.ts"
export * as PgListen from "./PgListen.ts"
export * as ProjectionRunner from "./ProjectionRunner.ts"
