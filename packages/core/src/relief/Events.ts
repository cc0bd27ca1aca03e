// F1…F23 are the article's figures, each defined in docs/figures.md.
import { EventCodec, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CampaignId, HouseholdId, PersonId, StationId, VillageId, VisitId, WorkerId } from "../shared/Ids.ts"

/** What prompted the campaign: 寒冬送温暖/送暖入户 after a cold snap, 灾后恢复/入户慰问 after a flood. */
export const CampaignKind = Schema.Literals(["ColdSnap", "Flood", "Other"])
export type CampaignKind = typeof CampaignKind.Type

/** What a campaign receives and hands out. Quantities count pieces (a quilt, a garment, a bottle, a pack). */
export const ReliefItem = Schema.Literals([
  "Quilt", // 棉被
  "WinterClothing", // 冬衣 (防寒衣物)
  "DrinkingWater", // 饮用水
  "Food", // 食品
  "Disinfectant", // 消毒用品
  "CleaningSupplies", // 清洁用品
  "Other"
])
export type ReliefItem = typeof ReliefItem.Type

/** Where the campaign runs: the whole county, or the listed stations' townships. */
export const CampaignScope = Schema.Union([
  Schema.TaggedStruct("CountyWide", {}),
  Schema.TaggedStruct("Stations", { stations: Schema.NonEmptyArray(StationId) })
])
export type CampaignScope = typeof CampaignScope.Type
export type CampaignScopeTag = CampaignScope["_tag"]

/** A count of pieces: a positive integer, bounded so that sums stay exact. */
export const Quantity = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000_000 }))
export type Quantity = typeof Quantity.Type

export class CampaignLaunched extends Schema.TaggedClass<CampaignLaunched>()("CampaignLaunched", {
  campaign: CampaignId,
  kind: CampaignKind,
  title: Scalars.NonEmptyText,
  scope: CampaignScope,
  launchedOn: Scalars.LocalDate
}) {}

export class SuppliesReceived extends Schema.TaggedClass<SuppliesReceived>()("SuppliesReceived", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  /** The donor or source: the bureau's own stock, a charity, a company… */
  source: Scalars.NonEmptyText,
  receivedOn: Scalars.LocalDate
}) {}

export class SuppliesDistributed extends Schema.TaggedClass<SuppliesDistributed>()("SuppliesDistributed", {
  campaign: CampaignId,
  item: ReliefItem,
  quantity: Quantity,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  distributedOn: Scalars.LocalDate,
  /** The worker who handed it out (the actor in the envelope is whoever recorded it). */
  worker: WorkerId,
  /** The worker's station: the campaign's figures are also reported per station. */
  station: StationId
}) {}

/**
 * A campaign visit (走访): what figures F3, F4 and F7 count. When the same call on the household is also
 * recorded as a home visit in the visits context, `visit` links the two records; the relief figures
 * count only this event and the home-visit figures only the visit, so neither is counted twice.
 */
export class RecipientVisited extends Schema.TaggedClass<RecipientVisited>()("RecipientVisited", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  village: VillageId,
  visitedOn: Scalars.LocalDate,
  worker: WorkerId,
  station: StationId,
  visit: Schema.optionalKey(VisitId)
}) {}

/** The workers helped move a person out of harm's way (协助政府转移受灾群众, F8). */
export class RelocationAssisted extends Schema.TaggedClass<RelocationAssisted>()("RelocationAssisted", {
  campaign: CampaignId,
  person: PersonId,
  household: HouseholdId,
  fromVillage: VillageId,
  /** Where the person went: a shelter, a relative's home, a school hall… */
  toPlace: Scalars.NonEmptyText,
  assistedOn: Scalars.LocalDate,
  worker: WorkerId,
  station: StationId
}) {}

export class CampaignClosed extends Schema.TaggedClass<CampaignClosed>()("CampaignClosed", {
  campaign: CampaignId,
  closedOn: Scalars.LocalDate
}) {}

export const codec = EventCodec.make({
  CampaignLaunched,
  SuppliesReceived,
  SuppliesDistributed,
  RecipientVisited,
  RelocationAssisted,
  CampaignClosed
})

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day an event happened on. */
export const dateOf = (event: Event): Scalars.LocalDate => {
  switch (event._tag) {
    case "CampaignLaunched":
      return event.launchedOn
    case "SuppliesReceived":
      return event.receivedOn
    case "SuppliesDistributed":
      return event.distributedOn
    case "RecipientVisited":
      return event.visitedOn
    case "RelocationAssisted":
      return event.assistedOn
    case "CampaignClosed":
      return event.closedOn
  }
}
