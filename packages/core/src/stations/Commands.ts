import { Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { asGiven } from "../shared/Fields.ts"
import { TownshipId, VillageId } from "../shared/Ids.ts"
import { ClosureReason, CountyConfigured, StationEstablished } from "./Events.ts"

/** Establishes the township's station, or establishes it again after it was closed. */
export class EstablishStation extends Schema.TaggedClass<EstablishStation>()(
  "EstablishStation",
  asGiven(StationEstablished.fields)
) {}

export class OpenServicePoint extends Schema.TaggedClass<OpenServicePoint>()("OpenServicePoint", {
  township: TownshipId,
  village: VillageId,
  name: Scalars.NonEmptyText,
  openedOn: Scalars.LocalDate
}) {}

export class CloseServicePoint extends Schema.TaggedClass<CloseServicePoint>()("CloseServicePoint", {
  township: TownshipId,
  village: VillageId,
  closedOn: Scalars.LocalDate
}) {}

export class CloseStation extends Schema.TaggedClass<CloseStation>()("CloseStation", {
  township: TownshipId,
  closedOn: Scalars.LocalDate,
  reason: ClosureReason,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

/** Sets (or replaces) the county's name and townships. */
export class ConfigureCounty extends Schema.TaggedClass<ConfigureCounty>()(
  "ConfigureCounty",
  asGiven(CountyConfigured.fields)
) {}

/** Commands of a township's "station" stream. */
export const Command = Schema.Union([EstablishStation, OpenServicePoint, CloseServicePoint, CloseStation])
export type Command = typeof Command.Type

/** Commands of the "county" stream. */
export const CountyCommand = Schema.Union([ConfigureCounty])
export type CountyCommand = typeof CountyCommand.Type
