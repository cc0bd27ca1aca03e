import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"

// Ids are chosen by the host app (a bureau's own numbering or UUIDs); brands keep a worker id from
// being passed where a household id is expected.
export const HouseholdId = Scalars.Id.pipe(Schema.brand("HouseholdId"))
export type HouseholdId = typeof HouseholdId.Type
export const PersonId = Scalars.Id.pipe(Schema.brand("PersonId"))
export type PersonId = typeof PersonId.Type
export const StationId = Scalars.Id.pipe(Schema.brand("StationId"))
export type StationId = typeof StationId.Type
export const TownshipId = Scalars.Id.pipe(Schema.brand("TownshipId"))
export type TownshipId = typeof TownshipId.Type
export const VillageId = Scalars.Id.pipe(Schema.brand("VillageId"))
export type VillageId = typeof VillageId.Type
export const WorkerId = Scalars.Id.pipe(Schema.brand("WorkerId"))
export type WorkerId = typeof WorkerId.Type
export const VisitId = Scalars.Id.pipe(Schema.brand("VisitId"))
export type VisitId = typeof VisitId.Type
export const CaseId = Scalars.Id.pipe(Schema.brand("CaseId"))
export type CaseId = typeof CaseId.Type
export const ActivityId = Scalars.Id.pipe(Schema.brand("ActivityId"))
export type ActivityId = typeof ActivityId.Type
export const CampaignId = Scalars.Id.pipe(Schema.brand("CampaignId"))
export type CampaignId = typeof CampaignId.Type
export const DriveId = Scalars.Id.pipe(Schema.brand("DriveId"))
export type DriveId = typeof DriveId.Type
export const CourseId = Scalars.Id.pipe(Schema.brand("CourseId"))
export type CourseId = typeof CourseId.Type
