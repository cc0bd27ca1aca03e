import {
  CommandHandler,
  type Decider,
  type Envelope,
  type EventStore,
  type EventStoreError,
  type InvalidEvent,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { startOfChinaDay } from "../shared/Dates.ts"
import type { TownshipId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import { countyDecider, decider, type StationContext } from "./Decide.ts"
import { codec, type Event } from "./Events.ts"
import type { CountyState, State } from "./State.ts"
import { countyStream, streamOf } from "./Stream.ts"

/** The county's settings as they stand now (NotConfigured when none were recorded). */
export const loadCounty = (tenant: Envelope.Tenant): Effect.Effect<CountyState, LoadError, EventStore.EventStore> =>
  Effect.map(CommandHandler.load(tenant, countyStream, countyDecider, codec), (loaded) => loaded.state)

/** The county's townships, or undefined while the county is not configured. */
export const countyTownships = (
  tenant: Envelope.Tenant
): Effect.Effect<ReadonlySet<TownshipId> | undefined, LoadError, EventStore.EventStore> =>
  Effect.map(loadCounty(tenant), (county) =>
    county._tag === "Configured" ? new Set<TownshipId>(county.townships.map((t) => t.township)) : undefined
  )

/** What reading another stream may fail with. */
export type LoadError = EventStoreError | UnknownEventType | InvalidEvent

const businessDate = (event: Event): string | undefined => {
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

const occurredAt = (event: Event) => {
  const date = businessDate(event)
  return date === undefined ? undefined : startOfChinaDay(date)
}

/** Establishing a station checks the township against the county's list, read in the same attempt. */
export const stationContext = (
  command: Commands.Command,
  base: Decider.DecisionContext
): Effect.Effect<StationContext, LoadError, EventStore.EventStore> =>
  command._tag === "EstablishStation"
    ? Effect.map(
        countyTownships(base.tenant),
        (townships): StationContext => (townships === undefined ? base : { ...base, countyTownships: townships })
      )
    : Effect.succeed<StationContext>(base)

/** Commands of a township's station: the stream is the township's, so one station per township holds. */
export const handle: CommandHandler.Handle<State, LoadError, EventStore.EventStore> = CommandHandler.make({
  command: Commands.Command,
  decider,
  codec,
  stream: (command) => streamOf(command.township),
  subjects: () => [],
  occurredAt,
  context: stationContext
})

/** The county's settings. */
export const handleCounty: CommandHandler.Handle<CountyState> = CommandHandler.make({
  command: Commands.CountyCommand,
  decider: countyDecider,
  codec,
  stream: () => countyStream,
  subjects: () => []
})
