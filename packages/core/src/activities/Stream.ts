import { StreamId } from "@shuangbai/eventsourcing"
import type { ActivityId } from "../shared/Ids.ts"

/** One stream per activity (活动): planned, then held or cancelled. */
export const category = "activity"

export const streamOf = (activity: ActivityId): StreamId.StreamId => StreamId.make(category, activity)
