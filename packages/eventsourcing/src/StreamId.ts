import { Schema } from "effect"
import { Id } from "./Scalars.ts"

/** A stream category: lower-case words joined by dots or dashes, e.g. `visit`, `post-quota`. */
export const Category = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9.-]{0,62}$/, { expected: "a lower-case stream category" })
)
export type Category = typeof Category.Type

/** A stream is one aggregate's history: its category and the aggregate's id. */
export const StreamId = Schema.Struct({ category: Category, id: Id })
export type StreamId = typeof StreamId.Type

export const make = (category: Category, id: Id): StreamId => ({ category, id })

/** `category/id`: readable in logs and unambiguous, since a category never contains `/`. */
export const format = (stream: StreamId): string => `${stream.category}/${stream.id}`

export const equals = (a: StreamId, b: StreamId): boolean => a.category === b.category && a.id === b.id
