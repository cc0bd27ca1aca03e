import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { CampaignId, HouseholdId, StationId, VisitId, WorkerId } from "../shared/Ids.ts"
import { ItemsGiven, Modality, Needs, Persons } from "./Events.ts"

/** The most persons one visit may name: more than any household has members. */
export const maxPersons = 50

/** The persons a command names: members of the household (a rule checks it), at most `maxPersons`. */
const PersonsNamed = Persons.check(Schema.isMaxLength(maxPersons))

export class ScheduleVisit extends Schema.TaggedClass<ScheduleVisit>()("ScheduleVisit", {
  visit: VisitId,
  household: HouseholdId,
  persons: PersonsNamed,
  worker: WorkerId,
  station: StationId,
  dueOn: Scalars.LocalDate
}) {}

/** Records a visit that took place, scheduled or not. */
export class RecordVisit extends Schema.TaggedClass<RecordVisit>()("RecordVisit", {
  visit: VisitId,
  household: HouseholdId,
  station: StationId,
  worker: WorkerId,
  visitedOn: Scalars.LocalDate,
  personsSeen: PersonsNamed,
  modality: Modality,
  findings: Scalars.NonEmptyText,
  needs: Needs,
  itemsGiven: ItemsGiven,
  campaign: Schema.optionalKey(CampaignId)
}) {}

export class SkipVisit extends Schema.TaggedClass<SkipVisit>()("SkipVisit", {
  visit: VisitId,
  reason: Scalars.NonEmptyText
}) {}

/** Corrects a conducted visit: give the fields to correct and the reason; the others stay as they are. */
export class AmendVisit extends Schema.TaggedClass<AmendVisit>()("AmendVisit", {
  visit: VisitId,
  reason: Scalars.NonEmptyText,
  visitedOn: Schema.optionalKey(Scalars.LocalDate),
  personsSeen: Schema.optionalKey(PersonsNamed),
  modality: Schema.optionalKey(Modality),
  findings: Schema.optionalKey(Scalars.NonEmptyText),
  needs: Schema.optionalKey(Needs),
  itemsGiven: Schema.optionalKey(ItemsGiven),
  campaign: Schema.optionalKey(Schema.NullOr(CampaignId))
}) {}

export class VoidVisit extends Schema.TaggedClass<VoidVisit>()("VoidVisit", {
  visit: VisitId,
  reason: Scalars.NonEmptyText
}) {}

export const Command = Schema.Union([ScheduleVisit, RecordVisit, SkipVisit, AmendVisit, VoidVisit])
export type Command = typeof Command.Type
