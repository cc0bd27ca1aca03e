import { CommandHandler } from "@shuangbai/eventsourcing"
import { startOfChinaDay } from "../shared/Dates.ts"
import { Command } from "./Commands.ts"
import { decider } from "./Decide.ts"
import { codec, type Event } from "./Events.ts"
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

/** Business time: the day of the step; a drive is announced as of now (its window may lie ahead). */
export const occurredAt = (event: Event): number | undefined => {
  switch (event._tag) {
    case "DriveOpened":
      return undefined
    case "ApplicationReceived":
      return startOfChinaDay(event.receivedOn)
    case "ApplicantShortlisted":
      return startOfChinaDay(event.shortlistedOn)
    case "ApplicantRejected":
      return startOfChinaDay(event.rejectedOn)
    case "OfferMade":
      return startOfChinaDay(event.offeredOn)
    case "OfferAccepted":
      return startOfChinaDay(event.acceptedOn)
    case "OfferDeclined":
      return startOfChinaDay(event.declinedOn)
    case "ApplicantHired":
      return startOfChinaDay(event.hiredOn)
    case "DriveClosed":
      return startOfChinaDay(event.closedOn)
  }
}

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
