import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CampaignId, HouseholdId, PersonId, StationId, VillageId, VisitId, WorkerId } from "../shared/Ids.ts"
import { CampaignKind, CampaignScope, Quantity, ReliefItem } from "./Events.ts"

export class LaunchCampaign extends Schema.TaggedClass<LaunchCampaign>()("LaunchCampaign", {
  campaign: CampaignId,
  kind: CampaignKind,
  title: Scalars.NonEmptyText,
  scope: CampaignScope,
  launchedOn: Scalars.LocalDate
}) {}

export class ReceiveSupplies extends Schema.TaggedClass<ReceiveSupplies>()("ReceiveSupplies", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  source: Scalars.NonEmptyText,
  receivedOn: Scalars.LocalDate
}) {}

export class DistributeSupplies extends Schema.TaggedClass<DistributeSupplies>()("DistributeSupplies", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  distributedOn: Scalars.LocalDate,
  worker: WorkerId,
  station: StationId
}) {}

export class VisitRecipient extends Schema.TaggedClass<VisitRecipient>()("VisitRecipient", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  visitedOn: Scalars.LocalDate,
  worker: WorkerId,
  station: StationId,
  visit: Schema.optionalKey(VisitId)
}) {}

export class AssistRelocation extends Schema.TaggedClass<AssistRelocation>()("AssistRelocation", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  fromVillage: VillageId,
  toPlace: Scalars.NonEmptyText,
  assistedOn: Scalars.LocalDate,
  worker: WorkerId,
  station: StationId
}) {}

export class CloseCampaign extends Schema.TaggedClass<CloseCampaign>()("CloseCampaign", {
  campaign: CampaignId,
  closedOn: Scalars.LocalDate
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
