import { Projection, type Recorded, type Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../Domain.ts"
import type { HouseholdId, PersonId, StationId, VisitId, WorkerId } from "../shared/Ids.ts"
import type { Label, Labels } from "../shared/Labels.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import { type RecipientCategory, type RiskLevel, riskLevelLabels } from "../shared/RecipientCategory.ts"
import type { Modality } from "../visits/Events.ts"
import * as Households from "./internal/households.ts"
import { byKey } from "./internal/order.ts"
import * as Visits from "./internal/visits.ts"
import * as Period from "./Period.ts"

/*
 * Who is due a visit, and who is overdue, on a day. Nothing here is stored: "overdue" is computed from the
 * last visit, the cadence and the day asked about.
 *
 * - Recipients: persons who on `asOf` carry a recipient category, in a household on file.
 * - Interval: the shortest cadence that applies to the person — their risk level's (`byRisk`), each
 *   category's they carry (`byCategory`) — or `otherwise` when none does. Risk is the later of the
 *   person's own assessment and their household's (RiskAssessed), dated on or before `asOf`.
 * - Last visit: the latest day on or before `asOf` the person was seen on a conducted visit of a counted
 *   modality (as amended, void ones left out) or visited in a relief campaign.
 * - Next visit due: last visit + interval; never visited: the day they began to carry a category + interval.
 * - Overdue: due before `asOf`. Due: due on `asOf` or within `horizonDays` after it.
 * Visits scheduled (VisitScheduled, not yet conducted, skipped or voided) are listed the same way by dueOn.
 */

/** Days between visits. The defaults: high risk weekly, 特困 and 困境儿童 monthly, everyone else quarterly. */
export interface Cadence {
  readonly byRisk: Readonly<Partial<Record<RiskLevel, number>>>
  readonly byCategory: Readonly<Partial<Record<RecipientCategory, number>>>
  readonly otherwise: number
}

export const defaultCadence: Cadence = {
  byRisk: { High: 7 },
  byCategory: { ExtremePoverty: 30, ChildInDifficulty: 30 },
  otherwise: 90
}

export interface Options {
  readonly cadence?: Cadence
  /** How many days ahead "due" looks. Default 7. */
  readonly horizonDays?: number
  /** The visits that count as a visit. Default: home visits only (入户探访). */
  readonly modalities?: ReadonlyArray<Modality>
}

export const defaultHorizonDays = 7

/** A risk level, or none assessed yet. */
export type Risk = RiskLevel | "Unassessed"

export const riskLabels: Labels<Risk> = {
  ...riskLevelLabels,
  Unassessed: { "zh-CN": "未评估", en: "not assessed" } satisfies Label
}

export type Status = "Due" | "Overdue"

export const statusLabels: Labels<Status> = {
  Due: { "zh-CN": "待探访", en: "due" },
  Overdue: { "zh-CN": "逾期未探访", en: "overdue" }
}

/** The latest campaign visit of each person, dated on or before `asOf`. */
const campaignVisits = (
  asOf: Scalars.LocalDate
): Projection.Projection<Event, PersistentMap<PersonId, Scalars.LocalDate>> => ({
  initial: PersistentMap.empty(),
  evolve: (state, { event }: Recorded<Event>) => {
    if (event._tag !== "RecipientVisited" || event.visitedOn > asOf) return state
    const before = PersistentMap.from(state).get(event.person)
    return before !== undefined && before >= event.visitedOn
      ? state
      : PersistentMap.from(state).with(event.person, event.visitedOn)
  }
})

const make = (asOf: Scalars.LocalDate) =>
  Projection.combine({
    asOf: Projection.constant(asOf),
    households: Projection.reading(Households.types, Households.make(asOf)),
    visits: Projection.reading(Visits.conductedTypes, Visits.conducted),
    campaignVisits: Projection.reading(["RecipientVisited"], campaignVisits(asOf)),
    scheduled: Projection.reading(Visits.scheduledTypes, Visits.scheduled)
  })

export type State = ReturnType<typeof make>["initial"]

/** The schedule on `asOf`: fold the log, then `view` with a cadence. */
export const projection = (asOf: Scalars.LocalDate): Projection.Projection<Event, State> => make(asOf)

export interface RecipientDue {
  readonly person: PersonId
  readonly household: HouseholdId
  readonly station: StationId
  readonly categories: ReadonlyArray<RecipientCategory>
  readonly risk: Risk
  readonly intervalDays: number
  readonly lastVisitedOn: Scalars.LocalDate | undefined
  readonly dueOn: Scalars.LocalDate
  readonly status: Status
  /** Days past `dueOn` on `asOf`; 0 when not overdue. */
  readonly daysOverdue: number
}

export interface ScheduledDue {
  readonly visit: VisitId
  readonly household: HouseholdId
  readonly station: StationId
  readonly worker: WorkerId
  readonly dueOn: Scalars.LocalDate
  readonly status: Status
  readonly daysOverdue: number
}

/** One row per category and risk level: a person carrying two categories counts in both rows. */
export interface Group {
  readonly category: RecipientCategory
  readonly risk: Risk
  readonly recipients: number
  readonly due: number
  readonly overdue: number
}

export interface Schedule {
  readonly asOf: Scalars.LocalDate
  readonly cadence: Cadence
  readonly horizonDays: number
  /** Recipients due or overdue, most overdue first. */
  readonly recipients: ReadonlyArray<RecipientDue>
  readonly groups: ReadonlyArray<Group>
  /** Each recipient once. */
  readonly totals: { readonly recipients: number; readonly due: number; readonly overdue: number }
  /** Scheduled visits due or overdue, most overdue first. */
  readonly scheduled: ReadonlyArray<ScheduledDue>
}

/** The interval that applies: the shortest of the person's risk's and categories' cadences, else `otherwise`. */
export const intervalFor = (cadence: Cadence, risk: Risk, categories: ReadonlyArray<RecipientCategory>): number => {
  const applicable: Array<number> = []
  const byRisk = risk === "Unassessed" ? undefined : cadence.byRisk[risk]
  if (byRisk !== undefined) applicable.push(byRisk)
  for (const category of categories) {
    const days = cadence.byCategory[category]
    if (days !== undefined) applicable.push(days)
  }
  return applicable.length === 0 ? cadence.otherwise : Math.min(...applicable)
}

/** Due, overdue or neither on `asOf`. */
export const statusOn = (
  dueOn: Scalars.LocalDate,
  asOf: Scalars.LocalDate,
  horizonDays: number
): { readonly status: Status; readonly daysOverdue: number } | undefined =>
  dueOn < asOf
    ? { status: "Overdue", daysOverdue: Period.daysBetween(dueOn, asOf) }
    : dueOn <= Period.addDays(asOf, horizonDays)
      ? { status: "Due", daysOverdue: 0 }
      : undefined

const mostOverdueFirst = <A extends { readonly dueOn: string }>(key: (a: A) => string) => {
  const tie = byKey(key)
  return (a: A, b: A) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : tie(a, b))
}

export const view = (state: State, options: Options = {}): Schedule => {
  const { asOf } = state
  const cadence = options.cadence ?? defaultCadence
  const horizonDays = options.horizonDays ?? defaultHorizonDays
  const modalities = new Set<Modality>(options.modalities ?? ["HomeVisit"])

  const lastSeen = new Map<PersonId, Scalars.LocalDate>()
  const seen = (person: PersonId, on: Scalars.LocalDate) => {
    const before = lastSeen.get(person)
    if (before === undefined || before < on) lastSeen.set(person, on)
  }
  for (const visit of PersistentMap.from(state.visits).values()) {
    if (visit.visitedOn > asOf || !modalities.has(visit.modality)) continue
    for (const person of visit.persons) seen(person, visit.visitedOn)
  }
  for (const [person, on] of PersistentMap.from(state.campaignVisits)) seen(person, on)

  const recipients: Array<RecipientDue> = []
  const groups = new Map<
    string,
    { category: RecipientCategory; risk: Risk; recipients: number; due: number; overdue: number }
  >()
  const totals = { recipients: 0, due: 0, overdue: 0 }
  for (const [person, recipient] of PersistentMap.from(state.households.recipients)) {
    const file = PersistentMap.from(state.households.files).get(recipient.household)
    if (file === undefined || !Households.onFile(file, asOf)) continue
    const categories = Households.categoriesOf(recipient.categories)
    const risk: Risk = Households.riskOf(state.households, person, recipient.household) ?? "Unassessed"
    const intervalDays = intervalFor(cadence, risk, categories)
    const lastVisitedOn = lastSeen.get(person)
    const dueOn = Period.addDays(lastVisitedOn ?? recipient.since, intervalDays)
    const status = statusOn(dueOn, asOf, horizonDays)
    totals.recipients += 1
    if (status?.status === "Due") totals.due += 1
    if (status?.status === "Overdue") totals.overdue += 1
    for (const category of categories) {
      const key = `${category}/${risk}`
      const group = groups.get(key) ?? { category, risk, recipients: 0, due: 0, overdue: 0 }
      group.recipients += 1
      if (status?.status === "Due") group.due += 1
      if (status?.status === "Overdue") group.overdue += 1
      groups.set(key, group)
    }
    if (status !== undefined) {
      recipients.push({
        person,
        household: recipient.household,
        station: file.station,
        categories,
        risk,
        intervalDays,
        lastVisitedOn,
        dueOn,
        ...status
      })
    }
  }

  const scheduled: Array<ScheduledDue> = []
  for (const [visit, s] of PersistentMap.from(state.scheduled)) {
    const status = statusOn(s.dueOn, asOf, horizonDays)
    if (status === undefined) continue
    scheduled.push({ visit, household: s.household, station: s.station, worker: s.worker, dueOn: s.dueOn, ...status })
  }

  return {
    asOf,
    cadence,
    horizonDays,
    recipients: recipients.sort(mostOverdueFirst((r) => r.person)),
    groups: [...groups.values()].sort(byKey((g) => `${g.category}/${g.risk}`)),
    totals,
    scheduled: scheduled.sort(mostOverdueFirst((s) => s.visit))
  }
}
