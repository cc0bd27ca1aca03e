import { Decider, type RuleViolation } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { assert } from "vitest"

type DecisionContext = Decider.DecisionContext

/** The context every spec starts from: a test county, a worker of one of its stations, a fixed time. */
export const defaultContext: DecisionContext = {
  tenant: "test-county",
  actor: { id: "test-worker", role: "worker", station: "test-station" },
  // 2024-03-15 10:00 in Guangdong (UTC+8): a Friday morning, mid-month, mid-quarter.
  now: Date.UTC(2024, 2, 15, 2, 0, 0)
}

export interface Then<Event> {
  /** The command is accepted and emits exactly these events (compared structurally, classes included). */
  readonly then: (expected: ReadonlyArray<Event>) => ReadonlyArray<Event>
  /** The command is refused by the rule with this code (a `Rule` or its code). */
  readonly thenFails: (rule: string | { readonly code: string }) => RuleViolation
  /** The command is accepted and emits nothing: it was already done. */
  readonly thenNothing: () => void
}

export interface When<Command, Event, Context extends DecisionContext> {
  /** Decides the command on the state the given events fold to; the context overrides the spec's defaults. */
  readonly when: (command: Command, context?: Partial<Context>) => Then<Event>
}

export interface Spec<Command, Event, Context extends DecisionContext> {
  readonly given: (events: ReadonlyArray<Event>) => When<Command, Event, Context>
}

const describeValue = (value: unknown): string => {
  if (value === null || typeof value !== "object") return String(value)
  const tag = (value as { readonly _tag?: unknown })._tag
  return typeof tag === "string" ? tag : (value.constructor?.name ?? "object")
}

const describeOutcome = <Event>(outcome: Result.Result<ReadonlyArray<Event>, RuleViolation>) =>
  Result.isFailure(outcome)
    ? `it was refused by ${outcome.failure.code}: ${outcome.failure.message}`
    : outcome.success.length === 0
      ? "it emitted nothing"
      : `it emitted [${outcome.success.map(describeValue).join(", ")}]`

/**
 * Given/when/then for a decider, for use inside a test:
 * `spec.given([opened]).when(new CloseCase(…)).thenFails(Casework.Decide.CaseNotEvaluated)`. Each `then…` throws an
 * assertion error whose diff shows expected against actual events.
 *
 * A decider whose context carries more than `DecisionContext` (state loaded from other streams) gets
 * those fields through `defaults` or each `when`'s context.
 */
export const make = <Command, Event, State, Context extends DecisionContext = DecisionContext>(
  decider: Decider.Decider<Command, Event, State, Context>,
  defaults?: Partial<Context>
): Spec<Command, Event, Context> => ({
  given: (history) => ({
    when: (command, context) => {
      const where = `given [${history.map(describeValue).join(", ")}] when ${describeValue(command)}`
      const state = Decider.fold(decider, history)
      const merged = { ...defaultContext, ...defaults, ...context } as Context
      const outcome = decider.decide(command, state, merged)
      // Whatever decide emits, evolve must accept: a spec that passes on events the fold cannot take would lie.
      const accepted = (events: ReadonlyArray<Event>) => {
        try {
          Decider.fold(decider, events, state)
        } catch (error) {
          assert.fail(`${where}: evolve threw on the emitted events: ${String(error)}`)
        }
        return events
      }
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then names it; being awaited is refused below
        then: (expected) => {
          if (typeof expected === "function")
            throw new TypeError("a DeciderSpec is not a promise: call .then([...events]) instead of awaiting it")
          if (Result.isFailure(outcome)) assert.fail(`${where}: expected events, but ${describeOutcome(outcome)}`)
          assert.deepStrictEqual(outcome.success, expected, `${where}: emitted events differ`)
          return accepted(outcome.success)
        },
        thenFails: (rule) => {
          const code = typeof rule === "string" ? rule : rule.code
          if (Result.isSuccess(outcome))
            assert.fail(`${where}: expected a refusal by ${code}, but ${describeOutcome(outcome)}`)
          assert.strictEqual(
            outcome.failure.code,
            code,
            `${where}: refused by another rule (${outcome.failure.message})`
          )
          return outcome.failure
        },
        thenNothing: () => {
          if (Result.isFailure(outcome) || outcome.success.length > 0)
            assert.fail(`${where}: expected no events, but ${describeOutcome(outcome)}`)
        }
      }
    }
  })
})
