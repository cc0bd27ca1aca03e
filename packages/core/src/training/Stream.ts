import { Scalars, StreamId } from "@shuangbai/eventsourcing"
import { Schema } from "effect"
import type { CourseId } from "../shared/Ids.ts"

// Each course, exchange visit and print run is its own short stream, keyed by the host app's id:
// recording one twice is then a no-op decided on that stream alone, and no county-wide stream
// serialises every write of the context or grows without end.

export const ExchangeVisitId = Scalars.Id.pipe(Schema.brand("ExchangeVisitId"))
export type ExchangeVisitId = typeof ExchangeVisitId.Type
export const PrintRunId = Scalars.Id.pipe(Schema.brand("PrintRunId"))
export type PrintRunId = typeof PrintRunId.Type

/** A capacity-training course (培训班): `course/<courseId>`. */
export const courseCategory = "course"
/** An exchange visit between stations (互访交流): `exchange-visit/<exchangeVisitId>`. */
export const exchangeVisitCategory = "exchange-visit"
/** A print run of publicity material (宣传): `publicity/<printRunId>`. */
export const publicityCategory = "publicity"

export const categories: ReadonlyArray<string> = [courseCategory, exchangeVisitCategory, publicityCategory]

export const courseStream = (id: CourseId): StreamId.StreamId => StreamId.make(courseCategory, id)
export const exchangeVisitStream = (id: ExchangeVisitId): StreamId.StreamId => StreamId.make(exchangeVisitCategory, id)
export const publicityStream = (id: PrintRunId): StreamId.StreamId => StreamId.make(publicityCategory, id)
