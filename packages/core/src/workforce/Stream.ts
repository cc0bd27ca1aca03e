import { StreamId } from "@shuangbai/eventsourcing"
import type { StationId, WorkerId } from "../shared/Ids.ts"

/** One stream per social worker: hires, transfers and leaving, from which "on post, for a station" follows. */
export const category = "worker"

export const streamOf = (worker: WorkerId): StreamId.StreamId => StreamId.make(category, worker)

/**
 * One stream per station: the posts the bureau allots it and who fills them. The rule "hires ≤ posts"
 * is decided here, on one stream, so concurrent hires for a station cannot both take its last post.
 */
export const quotaCategory = "post-quota"

export const quotaStreamOf = (station: StationId): StreamId.StreamId => StreamId.make(quotaCategory, station)
