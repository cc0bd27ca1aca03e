import { assert, describe, it } from "@effect/vitest"
import { Decider, Rule } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Arbitrary from "./Arbitrary.ts"
import * as DeciderLaws from "./DeciderLaws.ts"
import * as DeciderSpec from "./DeciderSpec.ts"

// A toy counter: increments up to a limit, a reset that is idempotent, and a stamp that reads the context.
class Incremented extends Schema.TaggedClass<Incremented>()("Incremented", { by: Schema.Int }) {}
class Reset extends Schema.TaggedClass<Reset>()("Reset", {}) {}
class Stamped extends Schema.TaggedClass<Stamped>()("Stamped", { at: Schema.Number, by: Schema.String }) {}
type Event = Incremented | Reset | Stamped

class Increment extends Schema.TaggedClass<Increment>()("Increment", {
  by: Schema.Int.check(Schema.isBetween({ minimum: -3, maximum: 12 }))
}) {}
class ResetCounter extends Schema.TaggedClass<ResetCounter>()("ResetCounter", {}) {}
class Stamp extends Schema.TaggedClass<Stamp>()("Stamp", {}) {}
const Command = Schema.Union([Increment, ResetCounter, Stamp])
type Command = typeof Command.Type

const LimitExceeded = Rule.define<{ limit: number }>("LimitExceeded", {
  en: (f) => `the counter may not pass ${f.limit}`,
  zh: (f) => `计数不得超过 ${f.limit}`
})
const NotPositive = Rule.define("NotPositive", { en: () => "increments must be positive", zh: () => "增量必须为正" })

interface State {
  readonly count: number
  readonly stamps: ReadonlyArray<number>
}

const counter = Decider.make<Command, Event, State>({
  initialState: { count: 0, stamps: [] },
  evolve: (state, event) =>
    event._tag === "Incremented"
      ? { ...state, count: state.count + event.by }
      : event._tag === "Reset"
        ? { ...state, count: 0 }
        : { ...state, stamps: [...state.stamps, event.at] },
  decide: (command, state, context) => {
    switch (command._tag) {
      case "Increment":
        if (command.by <= 0) return Result.fail(NotPositive({}))
        if (state.count + command.by > 10) return Result.fail(LimitExceeded({ limit: 10 }))
        return Result.succeed([new Incremented({ by: command.by })])
      case "ResetCounter":
        return Result.succeed(state.count === 0 ? [] : [new Reset({})])
      case "Stamp":
        return Result.succeed([new Stamped({ at: context.now, by: context.actor.id })])
    }
  }
})

const spec = DeciderSpec.make(counter)
const commands = Arbitrary.make(Command)

/** Runs an assertion that must fail, and returns its message. */
const failure = (f: () => unknown): string => {
  try {
    f()
  } catch (error) {
    return String(error instanceof Error ? error.message : error)
  }
  return assert.fail("expected the assertion to fail, but it passed")
}

describe("DeciderSpec", () => {
  it("passes when the decider emits exactly the expected events", () => {
    const emitted = spec
      .given([new Incremented({ by: 2 })])
      .when(new Increment({ by: 3 }))
      .then([new Incremented({ by: 3 })])
    assert.strictEqual(emitted.length, 1)
  })

  it("fails with both sides shown when the events differ", () => {
    const message = failure(() =>
      spec
        .given([])
        .when(new Increment({ by: 3 }))
        .then([new Incremented({ by: 4 })])
    )
    assert.include(message, "emitted events differ")
    assert.include(message, "when Increment")
  })

  it("fails when events were expected but the command was refused, naming the rule", () => {
    const message = failure(() =>
      spec
        .given([new Incremented({ by: 9 })])
        .when(new Increment({ by: 2 }))
        .then([])
    )
    assert.include(message, "LimitExceeded")
  })

  it("thenFails accepts a rule or its code and returns the violation", () => {
    const given = spec.given([new Incremented({ by: 9 })])
    assert.deepStrictEqual(given.when(new Increment({ by: 2 })).thenFails(LimitExceeded).fields, { limit: 10 })
    assert.strictEqual(given.when(new Increment({ by: 2 })).thenFails("LimitExceeded").code, "LimitExceeded")
    assert.include(
      failure(() => given.when(new Increment({ by: 2 })).thenFails(NotPositive)),
      "refused by another rule"
    )
    assert.include(
      failure(() => given.when(new Increment({ by: 1 })).thenFails(LimitExceeded)),
      "it emitted [Incremented]"
    )
  })

  it("thenNothing holds only for an accepted command that emits nothing", () => {
    spec.given([]).when(new ResetCounter({})).thenNothing()
    assert.include(
      failure(() =>
        spec
          .given([new Incremented({ by: 1 })])
          .when(new ResetCounter({}))
          .thenNothing()
      ),
      "it emitted [Reset]"
    )
    assert.include(
      failure(() =>
        spec
          .given([])
          .when(new Increment({ by: 0 }))
          .thenNothing()
      ),
      "refused by NotPositive"
    )
  })

  it("uses the default context, overridden by the spec's defaults and by each command", () => {
    const { now, actor } = DeciderSpec.defaultContext
    spec
      .given([])
      .when(new Stamp({}))
      .then([new Stamped({ at: now, by: actor.id })])
    DeciderSpec.make(counter, { now: 42 })
      .given([])
      .when(new Stamp({}))
      .then([new Stamped({ at: 42, by: actor.id })])
    DeciderSpec.make(counter, { now: 42 })
      .given([])
      .when(new Stamp({}), { now: 7, actor: { id: "auditor", role: "auditor" } })
      .then([new Stamped({ at: 7, by: "auditor" })])
  })

  it("fails when evolve cannot take the emitted events", () => {
    const fragile = { ...counter, evolve: () => assert.fail("evolve cannot take this") }
    const message = failure(() =>
      DeciderSpec.make(fragile)
        .given([])
        .when(new Increment({ by: 1 }))
        .then([new Incremented({ by: 1 })])
    )
    assert.include(message, "evolve threw")
  })

  it("refuses to be awaited", () => {
    const then = spec.given([]).when(new Increment({ by: 1 })).then as unknown as (f: () => void) => void
    assert.throws(() => then(() => {}), /not a promise/)
  })

  it("agrees with the counter's rule for every increment", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 12 }), (start, by) => {
        const when = spec.given(start === 0 ? [] : [new Incremented({ by: start })]).when(new Increment({ by }))
        if (start + by > 10) when.thenFails(LimitExceeded)
        else when.then([new Incremented({ by })])
      })
    )
  })
})

/** The law check's failure message; the check must fail. */
const broken = (options: DeciderLaws.Options<Command, Event, State, Decider.DecisionContext>): string =>
  failure(() => DeciderLaws.check({ numRuns: 200, ...options }))

describe("DeciderLaws", () => {
  it("holds for a lawful decider", () => {
    DeciderLaws.check({ decider: counter, command: commands, numRuns: 300 })
  })

  it("reports an evolve that throws on an event decide emits", () => {
    const decider = Decider.make<Command, Event, State>({
      ...counter,
      evolve: (state, event) => {
        if (event._tag === "Incremented" && state.count + event.by === 7) throw new Error("seven is unlucky")
        return counter.evolve(state, event)
      }
    })
    const message = broken({ decider, command: commands })
    assert.include(message, DeciderLaws.evolveAcceptsDecisions.name)
    assert.include(message, "seven is unlucky")
  })

  it("reports a decide that is not a function of its input", () => {
    let calls = 0
    const decider = Decider.make<Command, Event, State>({
      ...counter,
      decide: (command, state, context) =>
        command._tag === "Stamp"
          ? Result.succeed([new Stamped({ at: calls++, by: context.actor.id })])
          : counter.decide(command, state, context)
    })
    assert.include(broken({ decider, command: commands }), DeciderLaws.decideIsPure.name)
  })

  it("reports a decide that throws instead of refusing", () => {
    const decider = Decider.make<Command, Event, State>({
      ...counter,
      decide: (command, state, context) => {
        if (command._tag === "Increment" && command.by < 0) throw new Error("negative")
        return counter.decide(command, state, context)
      }
    })
    assert.include(broken({ decider, command: commands }), "decide threw")
  })

  it("reports a refusal that changes the state", () => {
    const decider = Decider.make<Command, Event, State>({
      ...counter,
      decide: (command, state, context) => {
        const outcome = counter.decide(command, state, context)
        if (Result.isFailure(outcome)) (state.stamps as Array<number>).push(-1)
        return outcome
      }
    })
    const message = broken({ decider, command: commands, laws: [DeciderLaws.rejectionChangesNothing] })
    assert.include(message, DeciderLaws.rejectionChangesNothing.name)
  })

  it("reports a fold that is not deterministic", () => {
    let tick = 0
    const decider = Decider.make<Command, Event, State>({
      ...counter,
      evolve: (state, event) => (event._tag === "Reset" ? { ...state, count: tick++ } : counter.evolve(state, event))
    })
    assert.include(
      broken({ decider, command: commands, laws: [DeciderLaws.foldIsDeterministic] }),
      DeciderLaws.foldIsDeterministic.name
    )
  })
})
