import { CommandHandler, type Decider, type EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { loadHousehold } from "../registry/Handler.ts"
import { occurredAtOf } from "../shared/Dates.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import { Command } from "./Commands.ts"
import { decider, type VisitContext } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { streamOf } from "./Stream.ts"

/**
 * Loads what a visit decision needs from other streams, in the same attempt as the decision: the rules that
 * span streams are checked against it in Decide.ts. A new visit reads the household's registry file and
 * where the visit's worker was on post on the visit's day (the due day for a schedule), from the workforce;
 * an amendment that moves the date reads where the visit's worker was on post on the new day (who and where
 * from `state`, the visit as the handler just loaded it).
 */
export const loadContext = (
  command: Command,
  state: State,
  base: Decider.DecisionContext
): Effect.Effect<VisitContext, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    switch (command._tag) {
      case "ScheduleVisit":
      case "RecordVisit": {
        const household = yield* loadHousehold(base.tenant, command.household)
        const day = command._tag === "ScheduleVisit" ? command.dueOn : command.visitedOn
        return {
          ...base,
          household,
          onPost: yield* workersOnPost(base.tenant, [command.worker], day)
        }
      }
      case "AmendVisit": {
        // A corrected date needs the visit's worker on post at its station on the new day; corrected persons,
        // findings or needs the household's file (members, withdrawn consents): who, where and which household
        // come from `state`, the visit as the handler just loaded it. Other amendments need nothing more.
        if (state._tag !== "Conducted") return base
        const movesDate = command.visitedOn !== undefined && state.visitedOn !== command.visitedOn
        const readsFile =
          command.personsSeen !== undefined || command.findings !== undefined || command.needs !== undefined
        if (!movesDate && !readsFile) return base
        return {
          ...base,
          ...(readsFile ? { household: yield* loadHousehold(base.tenant, state.household) } : {}),
          ...(movesDate ? { onPost: yield* workersOnPost(base.tenant, [state.worker], command.visitedOn) } : {})
        }
      }
      case "SkipVisit":
      case "VoidVisit":
        return base
    }
  })

/** The household and the persons an event names. */
export const subjects = (event: Event): ReadonlyArray<string> => {
  switch (event._tag) {
    case "VisitScheduled":
      return [event.household, ...event.persons]
    case "VisitConducted":
      return [event.household, ...event.personsSeen]
    case "VisitAmended":
      return [event.household, ...(event.personsSeen ?? [])]
    case "VisitSkipped":
    case "VisitVoided":
      return [event.household]
  }
}

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/** What the visits handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<
  Command,
  typeof Command.Encoded,
  Event,
  State,
  VisitContext,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Command,
  decider,
  codec,
  stream: (command) => streamOf(command.visit),
  subjects,
  occurredAt,
  loadContext
}

/** Sends a visit command: `handle(tenant, { _tag: "RecordVisit", … }, { actor, commandId })`. */
export const handle: CommandHandler.Handle<
  typeof Command.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(definition)
