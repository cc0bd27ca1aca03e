import { CommandHandler, type Decider, type Envelope, type EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { occurredAtOf } from "../shared/Dates.ts"
import type { StationId, TownshipId } from "../shared/Ids.ts"
import * as Commands from "./Commands.ts"
import { countyDecider, decider, type StationContext } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { CountyState, State } from "./State.ts"
import { countyStream, streamOf } from "./Stream.ts"

/** The county's settings as they stand now (NotConfigured when none were recorded). */
export const loadCounty = (
  tenant: Envelope.Tenant
): Effect.Effect<CountyState, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(CommandHandler.load(tenant, countyStream, countyDecider, codec), (loaded) => loaded.state)

/** The county's townships, or undefined while the county is not configured. */
export const countyTownships = (
  tenant: Envelope.Tenant
): Effect.Effect<ReadonlySet<TownshipId> | undefined, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(loadCounty(tenant), (county) =>
    county._tag === "Configured" ? new Set<TownshipId>(county.townships.map((t) => t.township)) : undefined
  )

/**
 * Every township of the county with its station's stream as it stands (NotEstablished for a township that
 * has none yet); empty while the county is not configured.
 */
export const stationsByTownship = (
  tenant: Envelope.Tenant
): Effect.Effect<ReadonlyMap<TownshipId, State>, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.flatMap(countyTownships(tenant), (townships) =>
    Effect.map(
      Effect.forEach(
        [...(townships ?? [])],
        (township) =>
          Effect.map(
            CommandHandler.load(tenant, streamOf(township), decider, codec),
            ({ state }) => [township, state] as const
          ),
        { concurrency: 8 }
      ),
      (entries) => new Map(entries)
    )
  )

/**
 * The station with this id, active or closed, from its township's stream; undefined when no township of the
 * county has it. An active one wins over a closed one that had the same id elsewhere.
 *
 * Why a lookup over the county's townships. A station's stream is keyed by its township, so that "one active
 * station per township" is decided on one stream; other contexts (workforce's posts) name a station by its
 * id. Carrying the township on their commands would repeat what the stations context already knows, and a
 * caller could pair a station with the wrong township. The county's settings list every township, so reading
 * those streams finds the station: one read per township (a county has a few dozen at most), and only for
 * the rare commands that need it (allotting posts, hiring, transferring in). The price: a station is found
 * only once the county is configured and lists its township.
 */
export const findStation = (
  tenant: Envelope.Tenant,
  station: StationId
): Effect.Effect<
  Exclude<State, { readonly _tag: "NotEstablished" }> | undefined,
  CommandHandler.LoadError,
  EventStore.EventStore
> =>
  Effect.map(stationsByTownship(tenant), (byTownship) => {
    let found: Exclude<State, { readonly _tag: "NotEstablished" }> | undefined
    for (const state of byTownship.values()) {
      if (state._tag === "NotEstablished" || state.station.station !== station) continue
      if (state._tag === "Active") return state
      found = state
    }
    return found
  })

const occurredAt = occurredAtOf(dateOf)

/** Establishing a station checks the township against the county's list, read in the same attempt. */
export const loadContext = (
  command: Commands.Command,
  _state: State,
  base: Decider.DecisionContext
): Effect.Effect<StationContext, CommandHandler.LoadError, EventStore.EventStore> =>
  command._tag === "EstablishStation"
    ? Effect.map(
        countyTownships(base.tenant),
        (townships): StationContext => (townships === undefined ? base : { ...base, countyTownships: townships })
      )
    : Effect.succeed<StationContext>(base)

/** What the station handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<
  Commands.Command,
  typeof Commands.Command.Encoded,
  Event,
  State,
  StationContext,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Commands.Command,
  decider,
  codec,
  stream: (command) => streamOf(command.township),
  subjects: () => [],
  occurredAt,
  loadContext
}

/** Commands of a township's station: the stream is the township's, so one station per township holds. */
export const handle: CommandHandler.Handle<
  typeof Commands.Command.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(definition)

/** What the county settings' handler is made of. */
export const countyDefinition: CommandHandler.Definition<
  Commands.CountyCommand,
  typeof Commands.CountyCommand.Encoded,
  Event,
  CountyState
> = {
  command: Commands.CountyCommand,
  decider: countyDecider,
  codec,
  stream: () => countyStream,
  subjects: () => []
}

/** The county's settings. */
export const handleCounty: CommandHandler.Handle<typeof Commands.CountyCommand.Encoded, CountyState> =
  CommandHandler.make(countyDefinition)
