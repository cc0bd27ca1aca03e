import { Text } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CampaignId, HouseholdId, PersonId, StationId, VillageId, VisitId, WorkerId } from "../shared/Ids.ts"
import { CampaignKind, CampaignScope, Quantity, ReliefItem } from "./Events.ts"

export class LaunchCampaign extends Schema.TaggedClass<LaunchCampaign>()("LaunchCampaign", {
  campaign: CampaignId,
  kind: CampaignKind,
  title: Text.NonEmptyText,
  scope: CampaignScope,
  launchedOn: Text.LocalDate
}) {}

export class ReceiveSupplies extends Schema.TaggedClass<ReceiveSupplies>()("ReceiveSupplies", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  source: Text.NonEmptyText,
  receivedOn: Text.LocalDate
}) {}

export class DistributeSupplies extends Schema.TaggedClass<DistributeSupplies>()("DistributeSupplies", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  distributedOn: Text.LocalDate,
  worker: WorkerId,
  station: StationId
}) {}

export class VisitRecipient extends Schema.TaggedClass<VisitRecipient>()("VisitRecipient", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  visitedOn: Text.LocalDate,
  worker: WorkerId,
  station: StationId,
  visit: Schema.optionalKey(VisitId)
}) {}

export class AssistRelocation extends Schema.TaggedClass<AssistRelocation>()("AssistRelocation", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  fromVillage: VillageId,
  toPlace: Text.NonEmptyText,
  assistedOn: Text.LocalDate,
  worker: WorkerId,
  station: StationId
}) {}

export class CloseCampaign extends Schema.TaggedClass<CloseCampaign>()("CloseCampaign", {
  campaign: CampaignId,
  closedOn: Text.LocalDate
}) {}

export const Command = Schema.Union([
  LaunchCampaign,
  ReceiveSupplies,
  DistributeSupplies,
  VisitRecipient,
  AssistRelocation,
  CloseCampaign
])
export type Command = typeof Command.Type
