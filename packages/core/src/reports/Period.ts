import type { Text } from "@shuangbai/eventsourcing"

/** A span of business days, both ends included. */
export interface Period {
  readonly from: Text.LocalDate
  readonly to: Text.LocalDate
}

export const make = (from: Text.LocalDate, to: Text.LocalDate): Period => ({ from, to })

export const within = (date: Text.LocalDate, period: Period): boolean => date >= period.from && date <= period.to

/** The day `days` after `date` (before, when negative): calendar arithmetic, no time zone involved. */
export const addDays = (date: Text.LocalDate, days: number): Text.LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: Text.LocalDate, to: Text.LocalDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

export const yearOf = (date: Text.LocalDate): number => Number(date.slice(0, 4))

const pad = (year: number) => String(year).padStart(4, "0")

/** A calendar year. */
export const year = (year: number): Period => ({ from: `${pad(year)}-01-01`, to: `${pad(year)}-12-31` })

/** The first half of a calendar year (上半年): 1 January to 30 June. */
export const firstHalf = (year: number): Period => ({ from: `${pad(year)}-01-01`, to: `${pad(year)}-06-30` })

/** 1 January of the year of `asOf` to `asOf` (今年以来). */
export const yearToDate = (asOf: Text.LocalDate): Period => ({ from: `${asOf.slice(0, 4)}-01-01`, to: asOf })

/** The earlier of two days. */
export const min = (a: Text.LocalDate, b: Text.LocalDate): Text.LocalDate => (a < b ? a : b)
