import { StreamId } from "@shuangbai/eventsourcing"
import type { TownshipId } from "../shared/Ids.ts"

/**
 * One stream per township: its station's whole life. Keyed by the township, not the station, so the
 * stream itself holds "one active station per township": two writers racing to establish a station
 * for the same township append to the same stream, and the second one sees the first.
 */
export const category = "station"

export const streamOf = (township: TownshipId): StreamId.StreamId => StreamId.make(category, township)

/** The county's own settings (its name and townships). A tenant is one county bureau: one stream. */
export const countyCategory = "county"

export const countyStream: StreamId.StreamId = StreamId.make(countyCategory, "settings")
