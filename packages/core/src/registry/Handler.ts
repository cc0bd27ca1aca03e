import { CommandHandler, type Envelope, type EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { occurredAtOf } from "../shared/Dates.ts"
import type { HouseholdId } from "../shared/Ids.ts"
import { Command } from "./Commands.ts"
import { decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

/**
 * The household's registry file as it stands (NotRegistered when there is none): what the other contexts'
 * loaders read for a visit, a case or a distribution.
 */
export const loadHousehold = (
  tenant: Envelope.Tenant,
  household: HouseholdId
): Effect.Effect<State, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.map(CommandHandler.load(tenant, streamOf(household), decider, codec), ({ state }) => state)

/** The household and every person an event names: what an auditor's subject query and an erasure find. */
export const subjects = (event: Event): ReadonlyArray<string> => {
  switch (event._tag) {
    case "HouseholdRegistered":
      return [event.household, event.head.person]
    case "MemberAdded":
      return event.guardian === undefined
        ? [event.household, event.person]
        : [event.household, event.person, event.guardian]
    case "ConsentRecorded":
      return [...new Set([event.household, event.person, event.givenBy])]
    case "ConsentWithdrawn":
      return [...new Set([event.household, event.person, event.withdrawnBy])]
    case "RiskAssessed":
      return event.person === undefined ? [event.household] : [event.household, event.person]
    case "HouseholdArchived":
      return [event.household]
    case "MemberRemoved":
    case "CategoryAssigned":
    case "CategoryRevoked":
      return [event.household, event.person]
  }
}

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the registry's handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<Command, typeof Command.Encoded, Event, State> = {
  command: Command,
  decider,
  codec,
  stream: (command) => streamOf(command.household),
  subjects,
  occurredAt
}

/**
 * Sends a registry command: `handle(tenant, { _tag: "RegisterHousehold", … }, { actor, commandId })`.
 * Every registry rule concerns one household, so there is no context loader.
 */
export const handle: CommandHandler.Handle<typeof Command.Encoded, State> = CommandHandler.make(definition)
