import { StreamId } from "@shuangbai/eventsourcing"
import type { DriveId } from "../shared/Ids.ts"

/** One stream per recruitment drive (招聘): its applications, and every step each one takes. */
export const category = "recruitment-drive"

export const streamOf = (drive: DriveId): StreamId.StreamId => StreamId.make(category, drive)
