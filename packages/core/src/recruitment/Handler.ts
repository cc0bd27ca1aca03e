import { CommandHandler } from "@shuangbai/eventsourcing"
import { occurredAtOf } from "../shared/Dates.ts"
import { Command } from "./Commands.ts"
import { decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

/** The applicant (and, once hired, the worker they became) an event concerns. */
export const subjects = (event: Event): ReadonlyArray<string> => {
  switch (event._tag) {
    case "DriveOpened":
    case "DriveClosed":
      return []
    case "ApplicantHired":
      return [event.applicant, event.worker]
    default:
      return [event.applicant]
  }
}

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the recruitment handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<Command, typeof Command.Encoded, Event, State> = {
  command: Command,
  decider,
  codec,
  stream: (command) => streamOf(command.drive),
  subjects,
  occurredAt
}

/**
 * Sends a recruitment command: `handle(tenant, { _tag: "ReceiveApplication", … }, { actor, commandId })`.
 * Every rule concerns one drive, so there is no context loader. Hiring the applicant into a post is
 * the workforce's HireWorker (with `drive`), sent by the host after ApplicantHired.
 */
export const handle: CommandHandler.Handle<typeof Command.Encoded, State> = CommandHandler.make(definition)
