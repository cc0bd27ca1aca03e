import {
  CommandHandler,
  type Decider,
  type Envelope,
  type EventStore,
  type EventStoreError,
  type InvalidEvent,
  type Text,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { decider as householdDecider } from "../registry/Decide.ts"
import { codec as householdCodec } from "../registry/Events.ts"
import { memberOf } from "../registry/State.ts"
import { streamOf as householdStream } from "../registry/Stream.ts"
import { startOfChinaDay } from "../shared/Dates.ts"
import type { HouseholdId, PersonId } from "../shared/Ids.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import * as Commands from "./Commands.ts"
import { type Context, decider } from "./Decide.ts"
import { codec, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

type LoadError = EventStoreError | UnknownEventType | InvalidEvent

/** Whether a person is a current member of a household whose file is open (registry, household stream). */
export const recipientRegistered = (
  tenant: Envelope.Tenant,
  household: HouseholdId,
  person: PersonId
): Effect.Effect<boolean, LoadError, EventStore.EventStore> =>
  Effect.map(
    CommandHandler.load(tenant, householdStream(household), householdDecider, householdCodec),
    ({ state }) => state._tag === "Registered" && memberOf(state.household, person) !== undefined
  )

/**
 * Reads only what the command's rules need: for a distribution or a campaign visit, the recipient's household
 * and where the worker was on post that day; for a relocation, where the worker was on post that day.
 */
export const loadContext = (
  command: Commands.Command,
  base: Decider.DecisionContext
): Effect.Effect<Context, LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const none: Context = { ...base, recipientRegistered: false }
    switch (command._tag) {
      case "DistributeSupplies":
      case "VisitRecipient":
        return {
          ...none,
          recipientRegistered: yield* recipientRegistered(base.tenant, command.household, command.person),
          onPost: yield* workersOnPost(
            base.tenant,
            [command.worker],
            command._tag === "DistributeSupplies" ? command.distributedOn : command.visitedOn
          )
        }
      case "AssistRelocation":
        return { ...none, onPost: yield* workersOnPost(base.tenant, [command.worker], command.assistedOn) }
      default:
        return none
    }
  })

/** The business day an event happened on. */
export const dateOf = (event: Event): Text.LocalDate => {
  switch (event._tag) {
    case "CampaignLaunched":
      return event.launchedOn
    case "SuppliesReceived":
      return event.receivedOn
    case "SuppliesDistributed":
      return event.distributedOn
    case "RecipientVisited":
      return event.visitedOn
    case "RelocationAssisted":
      return event.assistedOn
    case "CampaignClosed":
      return event.closedOn
  }
}

/** Sends a relief command: `handle(tenant, { _tag: "LaunchCampaign", … }, { actor, commandId })`. */
export const handle: CommandHandler.Handle<State, LoadError, EventStore.EventStore> = CommandHandler.make({
  command: Commands.Command,
  decider,
  codec,
  stream: (command) => streamOf(command.campaign),
  subjects: (event) => ("person" in event ? [event.household, event.person] : []),
  occurredAt: (event) => startOfChinaDay(dateOf(event)),
  context: loadContext
})
