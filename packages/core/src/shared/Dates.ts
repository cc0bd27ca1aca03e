import { Rule, type RuleViolation, Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"

/** Business dates are the day something happened: never a day that has not come yet. */
export const DateIsInFuture = Rule.define<{ field: string; date: Scalars.LocalDate; today: Scalars.LocalDate }>(
  "DateIsInFuture",
  {
    en: (f) => `${f.field} ${f.date} is after today (${f.today})`,
    zh: (f) => `${f.field} ${f.date} 晚于今天（${f.today}）`
  }
)

/** Refuses a date after today, today being the day `now` falls on in the bureaus' time zone (UTC+8). */
export const notInFuture = (
  field: string,
  date: Scalars.LocalDate,
  now: number
): Result.Result<Scalars.LocalDate, RuleViolation> => {
  const today = Scalars.chinaDateOf(now)
  return date > today ? Result.fail(DateIsInFuture({ field, date, today })) : Result.succeed(date)
}

/** Full years of age on a day. Someone born on 29 February turns a year older on 1 March in other years. */
export const ageOn = (birthDate: Scalars.LocalDate, on: Scalars.LocalDate): number => {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years
}

/** A span of business days, both ends included. */
export interface Period {
  readonly from: Scalars.LocalDate
  readonly to: Scalars.LocalDate
}

/** Whether `date` falls in `period`, both ends included. */
export const within = (date: Scalars.LocalDate, period: Period): boolean => date >= period.from && date <= period.to

/** Every day a date can name: the period of a count over all time. */
export const allTime: Period = { from: "0000-01-01", to: "9999-12-31" }

/** The day `days` after `date` (before, when negative): calendar arithmetic, no time zone involved. */
export const addDays = (date: Scalars.LocalDate, days: number): Scalars.LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** The instant a day begins in China (UTC+8): the business time (`occurredAt`) of an event dated that day. */
export const startOfChinaDay = (date: Scalars.LocalDate): number => Date.parse(`${date}T00:00:00+08:00`)

/**
 * An event's business time (`occurredAt`) from its business date: the start of that day in China, or none
 * (the time it is recorded) for an event that carries no date. Every context derives it from its `dateOf`,
 * the same function the reports date events by, so the two never disagree.
 */
export const occurredAtOf =
  <E>(dateOf: (event: E) => Scalars.LocalDate | undefined) =>
  (event: E): number | undefined => {
    const date = dateOf(event)
    return date === undefined ? undefined : startOfChinaDay(date)
  }
