import { isDeepStrictEqual } from "node:util"
import { Decider, RuleViolation } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import * as fc from "fast-check"
import * as DeciderSpec from "./DeciderSpec.ts"

type DecisionContext = Decider.DecisionContext

/** One decision to check: the events accepted so far (from the initial state), the command and its context. */
export interface Step<Command, Event, Context> {
  readonly history: ReadonlyArray<Event>
  readonly command: Command
  readonly context: Context
}

/** A law every decider must obey, checked on one step; throws `LawBroken` when it does not hold. */
export interface Law {
  readonly name: string
  readonly check: <Command, Event, State, Context extends DecisionContext>(
    decider: Decider.Decider<Command, Event, State, Context>,
    step: Step<Command, Event, Context>
  ) => void
}

export class LawBroken extends Error {
  readonly law: string
  readonly detail: string
  constructor(law: string, detail: string, options?: ErrorOptions) {
    super(`decider law "${law}" broken: ${detail}`, options)
    this.name = "LawBroken"
    this.law = law
    this.detail = detail
  }
}

const show = (value: unknown) => fc.stringify(value)

const where = (step: Step<unknown, unknown, unknown>) =>
  `after ${step.history.length} events, command ${show(step.command)}`

const evolveLaw = "evolve accepts whatever decide emits"

/** Folds, turning a throw from evolve into that law's breach whichever law was being checked. */
const foldChecked = <Event, State>(
  decider: Decider.Decider<never, Event, State, never>,
  events: ReadonlyArray<Event>,
  from: State,
  step: Step<unknown, unknown, unknown>
): State => {
  let state = from
  for (const event of events) {
    try {
      state = decider.evolve(state, event)
    } catch (error) {
      throw new LawBroken(evolveLaw, `evolve threw on ${show(event)} ${where(step)}: ${String(error)}`)
    }
  }
  return state
}

/** The state is folded afresh for every use, so no law depends on a copy a decider could have mutated. */
const stateOf = <Event, State>(
  decider: Decider.Decider<never, Event, State, never>,
  step: Step<unknown, Event, unknown>
) => foldChecked(decider, step.history, decider.initialState, step)

const decideOnce = <Command, Event, State, Context extends DecisionContext>(
  law: string,
  decider: Decider.Decider<Command, Event, State, Context>,
  step: Step<Command, Event, Context>,
  state: State
) => {
  try {
    return decider.decide(step.command, state, step.context)
  } catch (error) {
    throw new LawBroken(law, `decide threw instead of returning a Result ${where(step)}: ${String(error)}`)
  }
}

/** Folding the same events from the same state twice gives structurally equal states. */
export const foldIsDeterministic: Law = {
  name: "folding is deterministic",
  check: (decider, step) => {
    const name = foldIsDeterministic.name
    if (!isDeepStrictEqual(stateOf(decider, step), stateOf(decider, step)))
      throw new LawBroken(name, `folding the same ${step.history.length} events twice gave different states`)
    const outcome = decideOnce(name, decider, step, stateOf(decider, step))
    if (Result.isFailure(outcome)) return
    const once = foldChecked(decider, outcome.success, stateOf(decider, step), step)
    const twice = foldChecked(decider, outcome.success, stateOf(decider, step), step)
    if (!isDeepStrictEqual(once, twice))
      throw new LawBroken(name, `evolving by ${show(outcome.success)} twice gave ${show(once)} and ${show(twice)}`)
  }
}

/** evolve accepts every event decide emits: it never throws on them. */
export const evolveAcceptsDecisions: Law = {
  name: evolveLaw,
  check: (decider, step) => {
    const state = stateOf(decider, step)
    const outcome = decideOnce(evolveLaw, decider, step, state)
    if (Result.isSuccess(outcome)) foldChecked(decider, outcome.success, state, step)
  }
}

/** The same command, state and context give structurally equal outcomes, and decide leaves its state alone. */
export const decideIsPure: Law = {
  name: "decide is pure",
  check: (decider, step) => {
    const name = decideIsPure.name
    const state = stateOf(decider, step)
    const first = decideOnce(name, decider, step, state)
    const second = decideOnce(name, decider, step, stateOf(decider, step))
    if (!isDeepStrictEqual(first, second))
      throw new LawBroken(name, `deciding twice ${where(step)} gave ${show(first)} and then ${show(second)}`)
    if (!isDeepStrictEqual(state, stateOf(decider, step)))
      throw new LawBroken(name, `decide changed the state it was given ${where(step)}: now ${show(state)}`)
  }
}

/** A refusal is a RuleViolation, emits nothing, and leaves the state exactly as it was. */
export const rejectionChangesNothing: Law = {
  name: "a rejected command changes nothing",
  check: (decider, step) => {
    const name = rejectionChangesNothing.name
    const state = stateOf(decider, step)
    const outcome = decideOnce(name, decider, step, state)
    if (Result.isSuccess(outcome)) return
    if (!(outcome.failure instanceof RuleViolation))
      throw new LawBroken(name, `decide failed with ${show(outcome.failure)}, not a RuleViolation, ${where(step)}`)
    if (!isDeepStrictEqual(state, stateOf(decider, step)))
      throw new LawBroken(name, `refusing ${outcome.failure.code} ${where(step)} changed the state to ${show(state)}`)
  }
}

/** Every law, cheapest diagnosis first: an evolve that throws is reported as such, not as a fold mismatch. */
export const all: ReadonlyArray<Law> = [
  evolveAcceptsDecisions,
  foldIsDeterministic,
  decideIsPure,
  rejectionChangesNothing
]

/** Contexts for laws: the spec's county and worker, at any time from 2020 to 2029. */
export const defaultContext: fc.Arbitrary<DecisionContext> = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) - 1 })
  .map((now) => ({ ...DeciderSpec.defaultContext, now }))

export interface Options<Command, Event, State, Context extends DecisionContext> {
  readonly decider: Decider.Decider<Command, Event, State, Context>
  readonly command: fc.Arbitrary<Command>
  /** Defaults to `defaultContext`; a decider with a richer context must give its own. */
  readonly context?: fc.Arbitrary<Context>
  readonly numRuns?: number
  /** Longest command sequence tried from the initial state (default 20). */
  readonly maxCommands?: number
  /** Defaults to `all`. */
  readonly laws?: ReadonlyArray<Law>
}

/**
 * The laws as a fast-check property over random command sequences from the initial state: each command is
 * checked against the state its accepted predecessors built; only accepted decisions evolve that state.
 */
export const property = <Command, Event, State, Context extends DecisionContext>(
  options: Options<Command, Event, State, Context>
): fc.IPropertyWithHooks<[ReadonlyArray<readonly [Command, Context]>]> => {
  const { decider } = options
  const context = options.context ?? (defaultContext as fc.Arbitrary<Context>)
  const laws = options.laws ?? all
  return fc.property(
    fc.array(fc.tuple(options.command, context), { maxLength: options.maxCommands ?? 20 }),
    (commands) => {
      let history: ReadonlyArray<Event> = []
      for (const [command, ctx] of commands) {
        const step = { history, command, context: ctx }
        for (const law of laws) law.check(decider, step)
        const outcome = decider.decide(command, Decider.fold(decider, history), ctx)
        if (Result.isSuccess(outcome)) history = [...history, ...outcome.success]
      }
    }
  )
}

/**
 * Asserts the laws. Throws `LawBroken` naming the law, what broke it, and fast-check's report of the
 * shrunk command sequence and the seed to replay it.
 */
export const check = <Command, Event, State, Context extends DecisionContext>(
  options: Options<Command, Event, State, Context>
): void => {
  const details = fc.check(property(options), options.numRuns === undefined ? {} : { numRuns: options.numRuns })
  if (!details.failed) return
  const report = fc.defaultReportMessage(details)
  const cause = details.errorInstance
  if (cause instanceof LawBroken) throw new LawBroken(cause.law, `${cause.detail}\n\n${report}`, { cause })
  throw new Error(`decider laws could not be checked: ${String(cause)}\n\n${report}`, { cause })
}
