import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { DriveId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import { DriveFields, RejectionReason } from "./Events.ts"

export class OpenDrive extends Schema.TaggedClass<OpenDrive>()("OpenDrive", DriveFields) {}

export class ReceiveApplication extends Schema.TaggedClass<ReceiveApplication>()("ReceiveApplication", {
  drive: DriveId,
  applicant: PersonId,
  name: Scalars.NonEmptyText,
  receivedOn: Scalars.LocalDate
}) {}

export class ShortlistApplicant extends Schema.TaggedClass<ShortlistApplicant>()("ShortlistApplicant", {
  drive: DriveId,
  applicant: PersonId,
  shortlistedOn: Scalars.LocalDate
}) {}

export class RejectApplicant extends Schema.TaggedClass<RejectApplicant>()("RejectApplicant", {
  drive: DriveId,
  applicant: PersonId,
  reason: RejectionReason,
  rejectedOn: Scalars.LocalDate,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

export class MakeOffer extends Schema.TaggedClass<MakeOffer>()("MakeOffer", {
  drive: DriveId,
  applicant: PersonId,
  station: StationId,
  offeredOn: Scalars.LocalDate
}) {}

export class AcceptOffer extends Schema.TaggedClass<AcceptOffer>()("AcceptOffer", {
  drive: DriveId,
  applicant: PersonId,
  acceptedOn: Scalars.LocalDate
}) {}

export class DeclineOffer extends Schema.TaggedClass<DeclineOffer>()("DeclineOffer", {
  drive: DriveId,
  applicant: PersonId,
  declinedOn: Scalars.LocalDate,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

export class HireApplicant extends Schema.TaggedClass<HireApplicant>()("HireApplicant", {
  drive: DriveId,
  applicant: PersonId,
  worker: WorkerId,
  hiredOn: Scalars.LocalDate
}) {}

export class CloseDrive extends Schema.TaggedClass<CloseDrive>()("CloseDrive", {
  drive: DriveId,
  closedOn: Scalars.LocalDate
}) {}

export const Command = Schema.Union([
  OpenDrive,
  ReceiveApplication,
  ShortlistApplicant,
  RejectApplicant,
  MakeOffer,
  AcceptOffer,
  DeclineOffer,
  HireApplicant,
  CloseDrive
])
export type Command = typeof Command.Type
