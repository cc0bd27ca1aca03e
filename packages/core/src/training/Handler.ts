import {
  CommandHandler,
  type Decider,
  type EventStore,
  type EventStoreError,
  type InvalidEvent,
  type Text,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { startOfChinaDay } from "../shared/Dates.ts"
import type { WorkerId } from "../shared/Ids.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import * as Commands from "./Commands.ts"
import { type Context, decider } from "./Decide.ts"
import { codec, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { courseStream, exchangeVisitStream, publicityStream } from "./Stream.ts"

type LoadError = EventStoreError | UnknownEventType | InvalidEvent

/** Reads the workforce for the workers a course or an exchange visit names; a print run reads nothing. */
export const loadContext = (
  command: Commands.Command,
  base: Decider.DecisionContext
): Effect.Effect<Context, LoadError, EventStore.EventStore> => {
  const withOnPost = (workers: ReadonlyArray<WorkerId>, date: Text.LocalDate) =>
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

/** The business day an event happened on. */
export const dateOf = (event: Event): Text.LocalDate =>
  event._tag === "MaterialsPrinted" ? event.printedOn : event.heldOn

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

/** Sends a training command: `handle(tenant, { _tag: "RecordCourse", … }, { actor, commandId })`. */
export const handle: CommandHandler.Handle<State, LoadError, EventStore.EventStore> = CommandHandler.make({
  command: Commands.Command,
  decider,
  codec,
  stream: streamOf,
  subjects,
  occurredAt: (event) => startOfChinaDay(dateOf(event)),
  context: loadContext
})
