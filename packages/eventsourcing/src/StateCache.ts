import { Context } from "effect"

/**
 * How many stream states each command handler keeps between commands, per store. A handler folds a stream
 * once; the next command on it reads only the events after the state it kept (`readStream` with
 * `fromVersion`), after checking that the event the state ends with is still there, unchanged (its hash). So
 * a command costs the same on a stream of 10 events or 10,000, and a decision still sees the latest state:
 * what another handler or process wrote since is read and folded first, and a write that lands between that
 * read and the append conflicts as ever, and the command is decided again on the stream caught up.
 *
 * On by default (1,000 streams per handler and store, least recently used dropped first). Override it for a
 * program with `Effect.provideService(StateCache.Settings, { capacity: 10_000 })` or a layer
 * (`Layer.succeed(StateCache.Settings, StateCache.disabled)` folds every stream from its start, as before).
 * The states live in the process's memory only: nothing is persisted, so a restart or a new decider starts
 * with none.
 */
export interface Settings {
  /** Streams kept per handler and store; 0 keeps none. */
  readonly capacity: number
}

export const Settings: Context.Reference<Settings> = Context.Reference<Settings>(
  "@shuangbai/eventsourcing/StateCache",
  { defaultValue: () => ({ capacity: 1_000 }) }
)

/** Keeps no state: every command reads and folds its whole stream. */
export const disabled: Settings = { capacity: 0 }
