import { StreamId } from "@shuangbai/eventsourcing"
import type { HouseholdId } from "../shared/Ids.ts"

/** One stream per household file (建档): its members, categories, consents and risk. */
export const category = "household"

export const streamOf = (household: HouseholdId): StreamId.StreamId => StreamId.make(category, household)
