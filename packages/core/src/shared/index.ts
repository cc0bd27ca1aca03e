export * from "./Dates.ts"
export * from "./Ids.ts"
export * from "./Labels.ts"
export * from "./RecipientCategory.ts"
