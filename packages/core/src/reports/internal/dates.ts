import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import * as Activities from "../../activities/Events.ts"
import * as Casework from "../../casework/Events.ts"
import type { Event } from "../../Domain.ts"
import * as Recruitment from "../../recruitment/Events.ts"
import * as Registry from "../../registry/Events.ts"
import * as Relief from "../../relief/Events.ts"
import * as Stations from "../../stations/Events.ts"
import * as Training from "../../training/Events.ts"
import * as Visits from "../../visits/Events.ts"
import * as Workforce from "../../workforce/Events.ts"

type DateOf = (event: Event) => Scalars.LocalDate | undefined

/** Each event type's context's `dateOf`: the one that also gives the event its `occurredAt`. */
const dateOfByType = new Map<string, DateOf>(
  [Registry, Visits, Stations, Workforce, Recruitment, Casework, Activities, Relief, Training].flatMap((context) =>
    context.codec.types.map((type) => [type, context.dateOf as DateOf] as const)
  )
)

/**
 * The business day an event is dated by its context (`dateOf`), or undefined for events that carry none
 * (settings, corrections, members added or removed, a drive announced): those apply whenever they were
 * recorded. Reports "as of" a day leave out events dated after it.
 */
export const businessDate = (event: Event): Scalars.LocalDate | undefined => dateOfByType.get(event._tag)?.(event)

/** Leaves out events dated after `asOf` (by their business date; undated ones always count). */
export const until = <E extends Event, S>(
  asOf: Scalars.LocalDate,
  projection: Projection.Projection<E, S>
): Projection.Projection<E, S> => ({
  initial: projection.initial,
  evolve: (state: S, recorded: Recorded<E>): S => {
    const date = businessDate(recorded.event)
    return date !== undefined && date > asOf ? state : projection.evolve(state, recorded)
  },
  types: projection.types
})
