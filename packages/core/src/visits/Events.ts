import { EventCodec, Personal, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CampaignId, HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../shared/Ids.ts"

/** How the worker met the household. */
export const Modality = Schema.Literals(["HomeVisit", "Phone", "Video", "AtStation"])
export type Modality = typeof Modality.Type

/** Something handed over on the visit: a quilt, winter clothes, water… */
export const ItemGiven = Schema.Struct({
  item: Scalars.NonEmptyText,
  quantity: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
})
export type ItemGiven = typeof ItemGiven.Type

/** At least one person, each once. */
export const Persons = Schema.NonEmptyArray(PersonId).check(Schema.isUnique())
export type Persons = typeof Persons.Type

export const Needs = Schema.Array(Scalars.NonEmptyText)

/** What the worker found at the household: free text about its people, personal data of the household. */
const Findings = Personal.field(Scalars.NonEmptyText, { about: "household" })
export const ItemsGiven = Schema.Array(ItemGiven)

export class VisitScheduled extends Schema.TaggedClass<VisitScheduled>()("VisitScheduled", {
  visit: VisitId,
  household: HouseholdId,
  persons: Persons,
  worker: WorkerId,
  station: StationId,
  dueOn: Scalars.LocalDate
}) {}

/** 入户探访: the visit took place. It may be recorded without having been scheduled. */
export class VisitConducted extends Schema.TaggedClass<VisitConducted>()("VisitConducted", {
  visit: VisitId,
  household: HouseholdId,
  station: StationId,
  worker: WorkerId,
  visitedOn: Scalars.LocalDate,
  personsSeen: Persons,
  modality: Modality,
  findings: Findings,
  needs: Needs,
  itemsGiven: ItemsGiven,
  /** The relief campaign the visit was part of (送暖入户, 灾后入户慰问), if any. */
  campaign: Schema.optionalKey(CampaignId)
}) {}

/** A scheduled visit that will not take place. */
export class VisitSkipped extends Schema.TaggedClass<VisitSkipped>()("VisitSkipped", {
  visit: VisitId,
  household: HouseholdId,
  reason: Scalars.NonEmptyText
}) {}

/**
 * A correction of a conducted visit: only the fields that changed, and why. The record is never edited in
 * place. `campaign: null` says the visit belonged to no campaign after all.
 */
export class VisitAmended extends Schema.TaggedClass<VisitAmended>()("VisitAmended", {
  visit: VisitId,
  household: HouseholdId,
  reason: Scalars.NonEmptyText,
  visitedOn: Schema.optionalKey(Scalars.LocalDate),
  personsSeen: Schema.optionalKey(Persons),
  modality: Schema.optionalKey(Modality),
  findings: Schema.optionalKey(Findings),
  needs: Schema.optionalKey(Needs),
  itemsGiven: Schema.optionalKey(ItemsGiven),
  campaign: Schema.optionalKey(Schema.NullOr(CampaignId))
}) {}

/** The visit record was a mistake (a duplicate, the wrong household): it no longer counts anywhere. */
export class VisitVoided extends Schema.TaggedClass<VisitVoided>()("VisitVoided", {
  visit: VisitId,
  household: HouseholdId,
  reason: Scalars.NonEmptyText
}) {}

export const codec = EventCodec.make(
  { VisitScheduled, VisitConducted, VisitSkipped, VisitAmended, VisitVoided },
  { VisitConducted: Personal.versioning(VisitConducted), VisitAmended: Personal.versioning(VisitAmended) }
)

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day: a conducted visit happened on the day it was made, however late it is recorded. */
export const dateOf = (event: Event): Scalars.LocalDate | undefined =>
  event._tag === "VisitConducted" ? event.visitedOn : undefined
