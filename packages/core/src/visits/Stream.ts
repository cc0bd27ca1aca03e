import { StreamId } from "@shuangbai/eventsourcing"
import type { VisitId } from "../shared/Ids.ts"

/** One stream per visit (入户探访), from scheduling or recording to any amendment or voiding. */
export const category = "visit"

export const streamOf = (visit: VisitId): StreamId.StreamId => StreamId.make(category, visit)
