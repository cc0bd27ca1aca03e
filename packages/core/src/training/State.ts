import type { CourseHeld, Event, ExchangeVisitHeld, MaterialsPrinted } from "./Events.ts"

/**
 * One course, exchange visit or print run: nothing yet, or the record of what took place. A record is
 * written once and never changes, so the state keeps the event itself.
 */
export type State =
  | { readonly _tag: "NotRecorded" }
  | { readonly _tag: "Course"; readonly held: CourseHeld }
  | { readonly _tag: "ExchangeVisit"; readonly held: ExchangeVisitHeld }
  | { readonly _tag: "PrintRun"; readonly printed: MaterialsPrinted }

export const initial: State = { _tag: "NotRecorded" }

/** Pure and total: the first record of a stream stands; anything after it (never decided) changes nothing. */
export const evolve = (state: State, event: Event): State => {
  if (state._tag !== "NotRecorded") return state
  switch (event._tag) {
    case "CourseHeld":
      return { _tag: "Course", held: event }
    case "ExchangeVisitHeld":
      return { _tag: "ExchangeVisit", held: event }
    case "MaterialsPrinted":
      return { _tag: "PrintRun", printed: event }
  }
}
