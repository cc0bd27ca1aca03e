import type { Scalars } from "@shuangbai/eventsourcing"
import type { Period } from "../shared/Dates.ts"

export { addDays, type Period, within } from "../shared/Dates.ts"

export const make = (from: Scalars.LocalDate, to: Scalars.LocalDate): Period => ({ from, to })

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: Scalars.LocalDate, to: Scalars.LocalDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

export const yearOf = (date: Scalars.LocalDate): number => Number(date.slice(0, 4))

const pad = (year: number) => String(year).padStart(4, "0")

/** A calendar year. */
export const year = (year: number): Period => ({ from: `${pad(year)}-01-01`, to: `${pad(year)}-12-31` })

/** The first half of a calendar year (上半年): 1 January to 30 June. */
export const firstHalf = (year: number): Period => ({ from: `${pad(year)}-01-01`, to: `${pad(year)}-06-30` })

/** 1 January of the year of `asOf` to `asOf` (今年以来). */
export const yearToDate = (asOf: Scalars.LocalDate): Period => ({ from: `${asOf.slice(0, 4)}-01-01`, to: asOf })

/** The earlier of two days. */
export const min = (a: Scalars.LocalDate, b: Scalars.LocalDate): Scalars.LocalDate => (a < b ? a : b)
