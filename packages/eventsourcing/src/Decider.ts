import type { Result } from "effect"
import type { Actor, Tenant } from "./Envelope.ts"
import type { RuleViolation } from "./Errors.ts"

/** What every decision may know besides the command and the state: who asks, for whom, and when. */
export interface DecisionContext {
  readonly tenant: Tenant
  readonly actor: Actor
  /** Store time in epoch milliseconds, from the Effect Clock: decisions never read a clock themselves. */
  readonly now: number
}

/**
 * An aggregate as plain data: how it starts, how an event changes it, and what a command makes happen.
 * `decide` returns the events to record (none when the command is already done) or the rule it breaks.
 */
export interface Decider<in Command, Event, State, in Context extends DecisionContext = DecisionContext> {
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (
    command: Command,
    state: State,
    context: Context
  ) => Result.Result<ReadonlyArray<Event>, RuleViolation>
}

export const make = <Command, Event, State, Context extends DecisionContext = DecisionContext>(
  decider: Decider<Command, Event, State, Context>
): Decider<Command, Event, State, Context> => decider

/** The state after these events, from the initial state or from a saved one. */
export const fold = <Event, State>(
  decider: { readonly initialState: State; readonly evolve: (state: State, event: Event) => State },
  events: Iterable<Event>,
  from: State = decider.initialState
): State => {
  let state = from
  for (const event of events) state = decider.evolve(state, event)
  return state
}
