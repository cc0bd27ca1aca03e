import { CommandHandler, type Decider, type EventStore, type Scalars } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { occurredAtOf } from "../shared/Dates.ts"
import type { WorkerId } from "../shared/Ids.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import * as Commands from "./Commands.ts"
import { type Context, decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { courseStream, exchangeVisitStream, publicityStream } from "./Stream.ts"

/** Reads the workforce for the workers a course or an exchange visit names; a print run reads nothing. */
export const loadContext = (
  command: Commands.Command,
  _state: State,
  base: Decider.DecisionContext
): Effect.Effect<Context, CommandHandler.LoadError, EventStore.EventStore> => {
  const withOnPost = (workers: ReadonlyArray<WorkerId>, date: Scalars.LocalDate) =>
    Effect.map(workersOnPost(base.tenant, workers, date), (onPost): Context => ({ ...base, onPost }))
  switch (command._tag) {
    case "RecordCourse":
      return withOnPost(command.attendees, command.heldOn)
    case "RecordExchangeVisit":
      return withOnPost(command.participants, command.heldOn)
    case "RecordPrintRun":
      return Effect.succeed({ ...base, onPost: new Map() })
  }
}

const streamOf = (command: Commands.Command) => {
  switch (command._tag) {
    case "RecordCourse":
      return courseStream(command.course)
    case "RecordExchangeVisit":
      return exchangeVisitStream(command.exchangeVisit)
    case "RecordPrintRun":
      return publicityStream(command.printRun)
  }
}

/** The workers an event names are its subjects: a worker's training record is found by a subject query. */
export const subjects = (event: Event): ReadonlyArray<string> => {
  switch (event._tag) {
    case "CourseHeld":
      return event.attendees.map((a) => a.worker)
    case "ExchangeVisitHeld":
      return event.participants.map((p) => p.worker)
    case "MaterialsPrinted":
      return []
  }
}

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the training handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
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
  stream: streamOf,
  subjects,
  occurredAt,
  loadContext
}

/** Sends a training command: `handle(tenant, { _tag: "RecordCourse", … }, { actor, commandId })`. */
export const handle: CommandHandler.Handle<
  typeof Commands.Command.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(definition)
