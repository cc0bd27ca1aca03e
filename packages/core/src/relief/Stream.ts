import { StreamId } from "@shuangbai/eventsourcing"
import type { CampaignId } from "../shared/Ids.ts"

/** One stream per relief campaign: `campaign/<campaignId>`. */
export const category = "campaign"

export const streamOf = (id: CampaignId): StreamId.StreamId => StreamId.make(category, id)
