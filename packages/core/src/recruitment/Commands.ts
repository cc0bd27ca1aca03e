import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import {
  ApplicantHired,
  ApplicantRejected,
  ApplicantShortlisted,
  ApplicationReceived,
  DriveClosed,
  DriveFields,
  OfferAccepted,
  OfferDeclined,
  OfferMade
} from "./Events.ts"

export class OpenDrive extends Schema.TaggedClass<OpenDrive>()("OpenDrive", DriveFields) {}

export class ReceiveApplication extends Schema.TaggedClass<ReceiveApplication>()(
  "ReceiveApplication",
  asGiven(ApplicationReceived.fields)
) {}

export class ShortlistApplicant extends Schema.TaggedClass<ShortlistApplicant>()(
  "ShortlistApplicant",
  asGiven(ApplicantShortlisted.fields)
) {}

export class RejectApplicant extends Schema.TaggedClass<RejectApplicant>()(
  "RejectApplicant",
  asGiven(ApplicantRejected.fields)
) {}

export class MakeOffer extends Schema.TaggedClass<MakeOffer>()("MakeOffer", asGiven(OfferMade.fields)) {}

export class AcceptOffer extends Schema.TaggedClass<AcceptOffer>()("AcceptOffer", asGiven(OfferAccepted.fields)) {}

export class DeclineOffer extends Schema.TaggedClass<DeclineOffer>()("DeclineOffer", asGiven(OfferDeclined.fields)) {}

export class HireApplicant extends Schema.TaggedClass<HireApplicant>()(
  "HireApplicant",
  asGiven(ApplicantHired.fields)
) {}

export class CloseDrive extends Schema.TaggedClass<CloseDrive>()("CloseDrive", asGiven(DriveClosed.fields)) {}

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
