// F1…F23 are the article's figures, each defined in docs/figures.md.
import { EventCodec, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import { StationId, TownshipId, VillageId } from "../shared/Ids.ts"

/** Why a station stopped: the township merged, the service contract ended, the station moved… */
export const ClosureReason = Schema.Literals(["TownshipMerged", "ContractEnded", "Relocated", "Other"])
export type ClosureReason = typeof ClosureReason.Type

/** A township of the county, as reports name it (阳城镇, 秤架瑶族乡…). */
export const Township = Schema.Struct({ township: TownshipId, name: Scalars.NonEmptyText })
export type Township = typeof Township.Type

/** The county's townships: at least one, each once. */
export const Townships = Schema.NonEmptyArray(Township).check(
  Schema.makeFilter<ReadonlyArray<Township>>(
    (ts) => new Set(ts.map((t) => t.township)).size === ts.length || "lists a township twice",
    { expected: "townships, each once" }
  )
)

/** A township's social-work station (社工站) starts work. */
export class StationEstablished extends Schema.TaggedClass<StationEstablished>()("StationEstablished", {
  township: TownshipId,
  station: StationId,
  name: Scalars.NonEmptyText,
  establishedOn: Scalars.LocalDate
}) {}

/** A village service point (社工点) under the station opens. A village has at most one. */
export class ServicePointOpened extends Schema.TaggedClass<ServicePointOpened>()("ServicePointOpened", {
  township: TownshipId,
  station: StationId,
  village: VillageId,
  name: Scalars.NonEmptyText,
  openedOn: Scalars.LocalDate
}) {}

export class ServicePointClosed extends Schema.TaggedClass<ServicePointClosed>()("ServicePointClosed", {
  township: TownshipId,
  station: StationId,
  village: VillageId,
  closedOn: Scalars.LocalDate
}) {}

/** The station stops; its open service points close with it (recorded just before, one event each). */
export class StationClosed extends Schema.TaggedClass<StationClosed>()("StationClosed", {
  township: TownshipId,
  station: StationId,
  closedOn: Scalars.LocalDate,
  reason: ClosureReason,
  note: Schema.optionalKey(Scalars.NonEmptyText)
}) {}

/** The county's name and townships: the denominator of station coverage (F1). The latest one holds. */
export class CountyConfigured extends Schema.TaggedClass<CountyConfigured>()("CountyConfigured", {
  name: Scalars.NonEmptyText,
  townships: Townships
}) {}

export const StationEvent = Schema.Union([StationEstablished, ServicePointOpened, ServicePointClosed, StationClosed])
export type StationEvent = typeof StationEvent.Type

/** One codec for both stream categories of the context ("station" and "county"). */
export const codec = EventCodec.make({
  StationEstablished,
  ServicePointOpened,
  ServicePointClosed,
  StationClosed,
  CountyConfigured
})

/** The context's events as one Schema union, from its codec: each class is listed once, above. */
export const Event = codec.union
export type Event = typeof Event.Type

/** The business day an event happened on; none for the county's settings. */
export const dateOf = (event: Event): Scalars.LocalDate | undefined => {
  switch (event._tag) {
    case "StationEstablished":
      return event.establishedOn
    case "ServicePointOpened":
      return event.openedOn
    case "ServicePointClosed":
    case "StationClosed":
      return event.closedOn
    case "CountyConfigured":
      return undefined
  }
}
