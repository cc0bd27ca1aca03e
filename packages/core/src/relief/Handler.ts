import { CommandHandler, type Decider, type EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { loadHousehold } from "../registry/Handler.ts"
import { occurredAtOf } from "../shared/Dates.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import * as Commands from "./Commands.ts"
import { type Context, decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

/**
 * Reads only what the command's rules need: for a distribution or a campaign visit, the recipient's household
 * file (on file, consents) and where the worker was on post that day; for a relocation, where the worker was on post that day.
 */
export const loadContext = (
  command: Commands.Command,
  _state: State,
  base: Decider.DecisionContext
): Effect.Effect<Context, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    switch (command._tag) {
      case "DistributeSupplies":
      case "VisitRecipient":
        return {
          ...base,
          household: yield* loadHousehold(base.tenant, command.household),
          onPost: yield* workersOnPost(
            base.tenant,
            [command.worker],
            command._tag === "DistributeSupplies" ? command.distributedOn : command.visitedOn
          )
        }
      case "AssistRelocation":
        return { ...base, onPost: yield* workersOnPost(base.tenant, [command.worker], command.assistedOn) }
      default:
        return base
    }
  })

/** The recipient and their household, for the events that name one. */
export const subjects = (event: Event): ReadonlyArray<string> =>
  "person" in event ? [event.household, event.person] : []

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the relief handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<
  Commands.Command,
  typeof Commands.Command.Encoded,
  Event,
  State,
  Context,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Commands.Command,
  decider,
  codec,
  stream: (command) => streamOf(command.campaign),
  subjects,
  occurredAt,
  loadContext
}

/** Sends a relief command: `handle(tenant, { _tag: "LaunchCampaign", … }, { actor, commandId })`. */
export const handle: CommandHandler.Handle<
  typeof Commands.Command.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(definition)
