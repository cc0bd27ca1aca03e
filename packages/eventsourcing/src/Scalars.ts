import { Schema } from "effect"
import { withPredicate } from "./internal/fastDecode.ts"

// Text PostgreSQL cannot hold: NUL (jsonb refuses U+0000 inside strings) and, with the `u` flag, a
// surrogate that is not half of a pair (not well-formed Unicode, so not UTF-8). Every text field refuses
// both at the boundary: an event that could not be stored must never be decided.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL cannot store
const unstorable = /[\u0000\p{Cs}]/u

/** Why a string cannot be stored as text, or `undefined` when it can. */
export const unstorableText = (s: string): string | undefined =>
  !unstorable.test(s)
    ? undefined
    : s.includes("\u0000")
      ? "must not contain the NUL character (\\u0000)"
      : "must be well-formed Unicode (it contains a lone surrogate)"

// Each check below is also given as the plain test it runs (`withPredicate`), which a replay's decoder
// calls directly (internal/fastDecode.ts; fastDecode.test.ts holds each to its check).
const storable = withPredicate(
  Schema.makeFilter<string>((s) => unstorableText(s) ?? true, {
    expected: "text without NUL or lone surrogates"
  }),
  (s: string) => !unstorable.test(s)
)

const maxLength = (n: number) => withPredicate(Schema.isMaxLength(n), (s: string) => s.length <= n)

/** Any text a person typed: no NUL, no lone surrogate, at most 10,000 characters. */
export const Text = Schema.String.check(storable, maxLength(10_000))
export type Text = typeof Text.Type

/** Text that must say something: trimmed and non-empty. */
export const NonEmptyText = Text.check(
  withPredicate(Schema.isNonEmpty(), (s: string) => s.length >= 1),
  withPredicate(Schema.isTrimmed(), (s: string) => s.trim() === s)
)
export type NonEmptyText = typeof NonEmptyText.Type

/**
 * An identifier chosen by a host app: 1–128 characters, none of them a space, a control character, a
 * format character (Cf: U+200B, U+202E… would make `hh-0\u200b` a second id that looks exactly like
 * `hh-0`) or a lone surrogate.
 */
const idPattern = /^[^\s\p{Cc}\p{Cf}]{1,128}$/u

export const Id = Schema.String.check(
  withPredicate(
    Schema.isPattern(idPattern, {
      expected: "an id of 1–128 characters without spaces, control or format characters"
    }),
    (s: string) => idPattern.test(s)
  ),
  storable
)
export type Id = typeof Id.Type

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Whether a string is a day of the (proleptic Gregorian) calendar, as `Date` reads it. A string of the
 * `YYYY-MM-DD` shape is checked by arithmetic: this check runs on every date of every event replayed, and
 * parsing a Date costs more than the rest of a decode. Any other string (reported by the pattern already,
 * and by this check too when errors are collected in full) keeps the Date-based answer it always had.
 */
export const isCalendarDate = (s: string): boolean => {
  if (!datePattern.test(s)) {
    return !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
  }
  const year = Number(s.slice(0, 4))
  const month = Number(s.slice(5, 7))
  const day = Number(s.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : monthDays[month - 1]!)
}

/** A calendar day, `YYYY-MM-DD`, as business dates are written on paper forms. */
export const LocalDate = Schema.String.check(
  withPredicate(Schema.isPattern(datePattern, { expected: "a date YYYY-MM-DD" }), (s: string) => datePattern.test(s)),
  withPredicate(
    Schema.makeFilter<string>((s) => isCalendarDate(s) || "is not a calendar date"),
    (s: string) => isCalendarDate(s)
  )
)
export type LocalDate = typeof LocalDate.Type

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * Whether a string is an instant in the one form the store writes: `YYYY-MM-DDTHH:MM:SS.mmmZ`, a calendar
 * day and a time of day that exist (the form `Date#toISOString` gives for years 0–9999). Only this form
 * compares as text in time order; another offset (`+08:00`) or a day that does not exist is refused.
 */
export const isInstant = (s: string): boolean =>
  instantPattern.test(s) &&
  isCalendarDate(s.slice(0, 10)) &&
  s.slice(11, 13) <= "23" &&
  s.slice(14, 16) <= "59" &&
  s.slice(17, 19) <= "59"

/** An instant in UTC as ISO-8601 with milliseconds; strings of this form sort in time order. */
export const Instant = Schema.String.check(
  Schema.isPattern(instantPattern, { expected: "an ISO-8601 UTC instant" }),
  Schema.makeFilter<string>((s) => isInstant(s) || "is not an instant: no such day or time of day")
)
export type Instant = typeof Instant.Type

export const instantFromMillis = (millis: number): Instant => new Date(millis).toISOString()

/** The calendar day (UTC+8, the bureaus' time zone) an instant falls on. */
export const chinaDateOf = (millis: number): LocalDate => new Date(millis + 8 * 3_600_000).toISOString().slice(0, 10)
