import { Projection } from "@shuangbai/eventsourcing"
import type { Event } from "../Domain.ts"
import type { StationId } from "../shared/Ids.ts"
import { PersistentSet } from "../shared/Persistent.ts"
import type { CourseKind } from "../training/Events.ts"
import * as Training from "../training/index.ts"
import { byKey } from "./internal/order.ts"
import type { Period } from "./Period.ts"

// Courses held in a period and who attended: the training context's own participation projection, fed
// the whole log. Person-times count attendances (a worker at two courses counts twice); workers count
// each worker once; per station by the station each attendee was on post for on the day.

const make = (period: Period) =>
  Projection.combine({
    period: Projection.constant(period),
    participation: Projection.reading(Training.codec.types, Training.Projections.participationIn(period))
  })

export type State = ReturnType<typeof make>["initial"]

export const projection = (period: Period): Projection.Projection<Event, State> => make(period)

export interface Station {
  readonly station: StationId
  readonly personTimes: number
  readonly workers: number
}

export interface Participation {
  readonly period: Period
  readonly courses: number
  readonly personTimes: number
  /** Distinct workers who attended at least one course. */
  readonly workers: number
  readonly byKind: Readonly<Record<CourseKind, { readonly courses: number; readonly personTimes: number }>>
  readonly stations: ReadonlyArray<Station>
}

export const view = (state: State): Participation => {
  const p = state.participation
  return {
    period: state.period,
    courses: PersistentSet.from(p.courses).size,
    personTimes: p.personTimes,
    workers: PersistentSet.from(p.workersTrained).size,
    byKind: p.byKind,
    stations: [...p.byStation]
      .map(([station, s]) => ({ station, personTimes: s.personTimes, workers: s.workers.size }))
      .sort(byKey((s) => s.station))
  }
}
