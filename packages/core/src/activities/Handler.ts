import { CommandHandler } from "@shuangbai/eventsourcing"
import { occurredAtOf } from "../shared/Dates.ts"
import { Command } from "./Commands.ts"
import { decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

/** The named participants of an activity held: what a person's history and an erasure find. */
export const subjects = (event: Event): ReadonlyArray<string> =>
  event._tag === "ActivityHeld" ? event.participants : []

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the activities handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<Command, typeof Command.Encoded, Event, State> = {
  command: Command,
  decider,
  codec,
  stream: (command) => streamOf(command.activity),
  subjects,
  occurredAt
}

/**
 * Sends an activity command: `handle(tenant, { _tag: "PlanActivity", … }, { actor, commandId })`. Every
 * activity rule concerns one activity, so there is no context loader.
 */
export const handle: CommandHandler.Handle<typeof Command.Encoded, State> = CommandHandler.make(definition)
