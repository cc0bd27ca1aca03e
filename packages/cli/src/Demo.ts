import type { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import * as County from "@shuangbai/example-yangshan/src/county.ts"
import * as Demo from "@shuangbai/example-yangshan/src/demo.ts"
import * as Run from "@shuangbai/example-yangshan/src/run.ts"
import { Clock, Effect } from "effect"
import { fail } from "./Failure.ts"
import * as Store from "./Store.ts"

// `shuangbai demo`: the run of examples/yangshan (the same code as `npm run demo`) on the store the flags
// name. Loaded only by this command: the scenario is large.

export const tenant = County.tenant

export interface Options {
  readonly scale: number
  readonly concurrency: number
}

/** Sends what the store does not hold yet, reads back, prints, verifies. */
export const run = (
  target: Store.Target,
  options: Options
): Effect.Effect<void, unknown, EventStore.EventStore | IdGenerator.IdGenerator> =>
  Effect.gen(function* () {
    const outcome = yield* Demo.program(
      {
        fresh: false,
        memory: false,
        dataDir: target._tag === "Embedded" ? target.dataDir : Store.describe(target),
        concurrency: options.concurrency,
        scale: options.scale
      },
      { log: (line) => console.log(line) }
    ).pipe(Effect.provideService(Clock.Clock, Run.clockFrom(County.articleTime)))
    if (!outcome.chainVerified) {
      return yield* Effect.fail(fail("ChainBroken", "the demo's log does not verify (see above)"))
    }
  })
