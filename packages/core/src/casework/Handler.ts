import { CommandHandler, type Decider, type EventStore } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import { loadHousehold } from "../registry/Handler.ts"
import type * as RegistryState from "../registry/State.ts"
import { occurredAtOf } from "../shared/Dates.ts"
import { workersOnPost } from "../workforce/Handler.ts"
import { Command } from "./Commands.ts"
import { type CaseworkContext, decider } from "./Decide.ts"
import { codec, dateOf, type Event } from "./Events.ts"
import type { State } from "./State.ts"
import { caseIdOf, streamOf } from "./Stream.ts"

/** The recipient and their household: every case event concerns them, though only CaseOpened names them. */
export const subjects = (event: Event, before: State): ReadonlyArray<string> => {
  if (event._tag === "CaseOpened") return [event.household, event.person]
  return before._tag === "NoCase" ? [] : [before.case.household, before.case.person]
}

/** Business time: the start of the event's business day (`dateOf`). */
export const occurredAt = occurredAtOf(dateOf)

/**
 * What decisions need from other streams, read as they stand in this attempt (a retry reads them again);
 * `state` is the case as the handler just loaded it:
 * - opening a case: the household's registry file, and where the worker was on post on the opening day;
 * - reopening: the case's household file, and where the case's worker was on post on the reopening day;
 * - a transfer: where the worker holding the case after it (the new one, or the case's own) was on post on
 *   the transfer day;
 * - a step that records something about the recipient (assessment, plan, service, referral, follow-up,
 *   evaluation, a close with notes): the case's household file, for the recipient's consents.
 * Answers to a referral need nothing more.
 */
export const loadContext = (
  command: Command,
  state: State,
  base: Decider.DecisionContext
): Effect.Effect<CaseworkContext, CommandHandler.LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const file = () =>
      state._tag === "NoCase" ? Effect.succeed(undefined) : loadHousehold(base.tenant, state.case.household)
    switch (command._tag) {
      case "OpenCase":
        return {
          ...base,
          household: yield* loadHousehold(base.tenant, command.household),
          onPost: yield* workersOnPost(base.tenant, [command.worker], command.openedOn)
        }
      case "ReopenCase": {
        if (state._tag !== "Closed") return base
        return {
          ...base,
          household: yield* loadHousehold(base.tenant, state.case.household),
          onPost: yield* workersOnPost(base.tenant, [state.case.worker], command.reopenedOn)
        }
      }
      case "TransferCase": {
        if (state._tag !== "Open") return base
        const holder = command.worker ?? state.case.worker
        return { ...base, onPost: yield* workersOnPost(base.tenant, [holder], command.transferredOn) }
      }
      case "RecordAssessment":
      case "RecordPlan":
      case "DeliverService":
      case "MakeReferral":
      case "RecordFollowUp":
      case "RecordEvaluation":
        return withFile(base, yield* file())
      case "CloseCase":
        return command.notes.trim() === "" ? base : withFile(base, yield* file())
      case "AcceptReferral":
      case "RejectReferral":
        return base
    }
  })

const withFile = (base: Decider.DecisionContext, household: RegistryState.State | undefined): CaseworkContext =>
  household === undefined ? base : { ...base, household }

/** What the casework handler is made of, for a host that adds a rule (`CommandHandler.withRule`). */
export const definition: CommandHandler.Definition<
  Command,
  typeof Command.Encoded,
  Event,
  State,
  CaseworkContext,
  CommandHandler.LoadError,
  EventStore.EventStore
> = {
  command: Command,
  decider,
  codec,
  stream: (command) =>
    streamOf(command._tag === "OpenCase" ? caseIdOf(command.person, command.caseType) : command.case),
  subjects,
  occurredAt,
  loadContext
}

/**
 * Sends a casework command: `handle(tenant, { _tag: "OpenCase", … }, { actor, commandId })`. A case's id is
 * `caseIdOf(person, caseType)`: OpenCase derives it, every other command names it.
 */
export const handle: CommandHandler.Handle<
  typeof Command.Encoded,
  State,
  CommandHandler.LoadError,
  EventStore.EventStore
> = CommandHandler.make(definition)
