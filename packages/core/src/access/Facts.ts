import {
  CommandHandler,
  type Envelope,
  type EventCodec,
  type EventStore,
  Scalars,
  StreamId
} from "@shuangbai/eventsourcing"
import { Clock, Effect } from "effect"
import * as Activities from "../activities/index.ts"
import * as Casework from "../casework/index.ts"
import * as Registry from "../registry/index.ts"
import type { WorkerId } from "../shared/Ids.ts"
import * as Visits from "../visits/index.ts"
import * as Workforce from "../workforce/index.ts"
import type { Facts, OwnedCategory, Targets } from "./Policy.ts"
import { type Principal, type Role, stationRoles } from "./Principal.ts"

// Loads what the policy's decisions need, from the principal's own tenant, with each context's own
// decider and codec (CommandHandler.load) and the workforce's post check: nothing here folds events itself.

type LoadError = CommandHandler.LoadError
type Owner = (
  tenant: Envelope.Tenant,
  stream: StreamId.StreamId
) => Effect.Effect<string | null, LoadError, EventStore.EventStore>

const stateOf = <E extends { readonly _tag: string }, S>(
  tenant: Envelope.Tenant,
  stream: StreamId.StreamId,
  decider: { readonly initialState: S; readonly evolve: (state: S, event: E) => S },
  codec: EventCodec.EventCodec<E>
) => Effect.map(CommandHandler.load(tenant, stream, decider, codec), (loaded) => loaded.state)

const householdStation: Owner = (tenant, stream) =>
  Effect.map(stateOf(tenant, stream, Registry.decider, Registry.codec), (state) =>
    state._tag === "NotRegistered" ? null : state.household.station
  )

/** Which station each kind of station-owned stream belongs to; null when it does not exist yet. */
const owners: { readonly [C in OwnedCategory]: Owner } = {
  household: householdStation,
  // a skipped or voided visit keeps its household, not its station: the household's station owns it
  visit: (tenant, stream) =>
    Effect.flatMap(stateOf(tenant, stream, Visits.decider, Visits.codec), (state) =>
      state._tag === "NotRecorded"
        ? Effect.succeed(null)
        : "station" in state
          ? Effect.succeed(state.station)
          : householdStation(tenant, Registry.streamOf(state.household))
    ),
  // a case belongs to the station holding it now
  case: (tenant, stream) =>
    Effect.map(stateOf(tenant, stream, Casework.decider, Casework.codec), (state) =>
      state._tag === "NoCase" ? null : state.case.station
    ),
  activity: (tenant, stream) =>
    Effect.map(stateOf(tenant, stream, Activities.decider, Activities.codec), (state) =>
      state._tag === "NotPlanned" ? null : state.plan.station
    ),
  // a worker belongs to the station of their post (or their last one)
  worker: (tenant, stream) =>
    Effect.map(stateOf(tenant, stream, Workforce.workerDecider, Workforce.codec), (state) =>
      state._tag === "NotHired" ? null : state.station
    )
}

/**
 * The facts a decision about `targets` needs for this principal: the subjects' stations and the
 * worker's post today, loaded only for a station role the rule allows (tenant-wide roles need none, and
 * nothing is read for a principal of another tenant).
 */
export const loadFacts = (
  principal: Principal,
  tenant: Envelope.Tenant,
  allowed: ReadonlyArray<Role>,
  targets: Targets
): Effect.Effect<Facts, LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const roles = principal.roles.filter((role) => allowed.includes(role) && stationRoles.has(role))
    if (tenant !== principal.tenant || roles.length === 0 || principal.station === undefined) {
      return { owners: new Map(), onPost: undefined }
    }
    const found = yield* Effect.forEach(
      targets.subjects,
      (subject) => {
        // a subject of no station-owned category stays out of the map: the policy refuses it (FactsNotLoaded)
        if (!Object.hasOwn(owners, subject.category)) return Effect.succeed([])
        const owner = owners[subject.category as OwnedCategory]
        return Effect.map(owner(tenant, subject), (station) => [[StreamId.format(subject), station] as const])
      },
      { concurrency: 4 }
    )
    const onPost = roles.includes("worker")
      ? yield* Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Workforce.workerOnPost(tenant, principal.id as WorkerId, Scalars.chinaDateOf(now))
        )
      : undefined
    return { owners: new Map(found.flat()), onPost }
  })
