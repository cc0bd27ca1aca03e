import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import {
  CampaignClosed,
  CampaignLaunched,
  RecipientVisited,
  RelocationAssisted,
  SuppliesDistributed,
  SuppliesReceived
} from "./Events.ts"

export class LaunchCampaign extends Schema.TaggedClass<LaunchCampaign>()(
  "LaunchCampaign",
  asGiven(CampaignLaunched.fields)
) {}

export class ReceiveSupplies extends Schema.TaggedClass<ReceiveSupplies>()(
  "ReceiveSupplies",
  asGiven(SuppliesReceived.fields)
) {}

export class DistributeSupplies extends Schema.TaggedClass<DistributeSupplies>()(
  "DistributeSupplies",
  asGiven(SuppliesDistributed.fields)
) {}

export class VisitRecipient extends Schema.TaggedClass<VisitRecipient>()(
  "VisitRecipient",
  asGiven(RecipientVisited.fields)
) {}

export class AssistRelocation extends Schema.TaggedClass<AssistRelocation>()(
  "AssistRelocation",
  asGiven(RelocationAssisted.fields)
) {}

export class CloseCampaign extends Schema.TaggedClass<CloseCampaign>()(
  "CloseCampaign",
  asGiven(CampaignClosed.fields)
) {}

export const Command = Schema.Union([
  LaunchCampaign,
  ReceiveSupplies,
  DistributeSupplies,
  VisitRecipient,
  AssistRelocation,
  CloseCampaign
])
export type Command = typeof Command.Type
