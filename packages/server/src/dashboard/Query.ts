import type { Shared } from "@shuangbai/core"
import { Scalars } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"

/** A query parameter of GET /dashboard that does not parse: `field` names it, `message` says what it takes. */
export class InvalidQuery extends Schema.TaggedError<InvalidQuery>()("InvalidQuery", {
  field: Schema.Literals(["lang", "period"]),
  message: Schema.String
}) {}

export interface Query {
  readonly language: Shared.Language
  readonly asOf: Scalars.LocalDate
}

const isDate = Schema.is(Scalars.LocalDate)

const lastDayOf = (year: string, month: string): Scalars.LocalDate => {
  for (const day of ["31", "30", "29", "28"]) if (isDate(`${year}-${month}-${day}`)) return `${year}-${month}-${day}`
  return `${year}-${month}-28`
}

/** `period`: a day (yyyy-mm-dd), a month (yyyy-mm: its last day) or a year (yyyy: 31 December). */
export const parsePeriod = (period: string): Scalars.LocalDate | undefined => {
  if (isDate(period)) return period
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period)
  if (month !== null) return lastDayOf(month[1]!, month[2]!)
  if (/^\d{4}$/.test(period)) return `${period}-12-31`
  return undefined
}

/**
 * The page's language (default zh-CN) and the day it reports on (default `today`, which the caller reads
 * from its clock in China's time zone: `Scalars.chinaDateOf`).
 */
export const parseQuery = (
  query: { readonly lang?: string | undefined; readonly period?: string | undefined },
  today: Scalars.LocalDate
): Result.Result<Query, InvalidQuery> => {
  const lang = query.lang ?? "zh-CN"
  if (lang !== "zh-CN" && lang !== "en")
    return Result.fail(
      new InvalidQuery({ field: "lang", message: `lang must be zh-CN or en, not ${JSON.stringify(lang)}` })
    )
  if (query.period === undefined || query.period === "") return Result.succeed({ language: lang, asOf: today })
  const asOf = parsePeriod(query.period)
  return asOf === undefined
    ? Result.fail(
        new InvalidQuery({
          field: "period",
          message: `period must be a day (2025-08-04), a month (2025-08) or a year (2025), not ${JSON.stringify(query.period)}`
        })
      )
    : Result.succeed({ language: lang, asOf })
}
