import type { Schema } from "effect"

/**
 * An event's fields without its tag: those of the command it records as given. A command that an event
 * records field for field takes them from the event (`asGiven(WorkerHired.fields)`), so each field is
 * defined once, in Events.ts, and the two cannot drift apart.
 */
export const asGiven = <F extends Schema.Struct.Fields>({ _tag: _, ...fields }: F): Omit<F, "_tag"> => fields
