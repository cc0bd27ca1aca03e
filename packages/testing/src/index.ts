export * as Arbitrary from "./Arbitrary.ts"
export * as DeciderLaws from "./DeciderLaws.ts"
export * as DeciderSpec from "./DeciderSpec.ts"
export * as EventStoreSuite from "./EventStoreSuite.ts"
