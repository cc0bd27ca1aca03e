import { Projection, type Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../Domain.ts"
import * as Recruitment from "../recruitment/index.ts"
import type { CampaignKind } from "../relief/Events.ts"
import type { CampaignId, HouseholdId, PersonId, StationId } from "../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../shared/Persistent.ts"
import * as Stations from "../stations/index.ts"
import type { CourseKind, MaterialKind } from "../training/Events.ts"
import * as Training from "../training/index.ts"
import type { ExchangeVisitId } from "../training/Stream.ts"
import * as Workforce from "../workforce/index.ts"
import { type Covers, type Figure, figure, ratio, type Scope } from "./Figures.ts"
import * as Activities from "./internal/activities.ts"
import * as Campaigns from "./internal/campaigns.ts"
import * as Cases from "./internal/cases.ts"
import { until } from "./internal/dates.ts"
import * as ExchangeVisits from "./internal/exchangeVisits.ts"
import * as Households from "./internal/households.ts"
import { byKey } from "./internal/order.ts"
import * as Visits from "./internal/visits.ts"
import * as Period from "./Period.ts"

/*
 * Definitions (what each figure counts, from events alone):
 *
 * F1  townships of the county (its latest CountyConfigured) with a station open on `asOf` ÷ townships.
 * F2  social-work service coverage. Denominator: persons who on `coverage.to` carry at least one recipient
 *     category (CategoryAssigned verified by then, not revoked by then, still a member) in a household on
 *     file that day (registered by then, not archived by then). Numerator: those of them reached in the
 *     `coverage` period by social work — seen on a conducted visit (any modality, as amended, void ones
 *     left out), visited, supplied or helped to relocate in a relief campaign, a named participant of an
 *     activity held, or the recipient of a case open on some day of the period. Undefined without recipients.
 * F3–F6  per cold-snap campaign launched in `campaigns`: distinct villages with a campaign visit, distinct
 *     persons visited, winter clothing and quilts handed out (pieces). F7–F8 per flood campaign: distinct
 *     persons visited, distinct persons helped to relocate. Campaign visits are RecipientVisited events;
 *     items are SuppliesDistributed; a home visit naming the campaign is counted in F9/F12, not here.
 * F9  distinct households with a conducted home visit (modality HomeVisit, as amended, not void) in the
 *     year to date (入户探访 … 户). F12 the same in the first half year.
 * F10 activities held (ActivityHeld) in the year to date; F11 their person-times (人次: the larger of the
 *     headcount and the named participants, summed).
 * F13 households on file on `asOf`. F14 cases opened (CaseOpened) in the first half; F15 case files open on
 *     the last day of the first half.
 * F16–F18 posts allotted, workers on post, posts to recruit (allotted − on post) on `asOf`, per station summed.
 * F19 per recruitment drive: applications received on or before `asOf`.
 * F20 per exchange visit held in `exchangeVisits`: stations taking part (host and visitors), workers.
 * F21 exchange visits held on or before `asOf`, and the distinct stations that ever took part.
 * F22 courses of `courseKinds` (default: professional capacity) held in `training`, and their attendance.
 * F23 copies of `materialKinds` (default: brochures) printed in `publicity`.
 * Business dates decide the period an event falls in; "on a day" leaves out events dated after it.
 */

/** The periods the figures cover. `periods(asOf)` gives the article's. */
export interface Periods {
  /** "Now": F1, F13, F16–F19, F21. */
  readonly asOf: Scalars.LocalDate
  /** F2: recipients on its last day, reached during it. */
  readonly coverage: Period.Period
  /** F3–F8: the campaigns launched in it. */
  readonly campaigns: Period.Period
  /** F9–F11. */
  readonly yearToDate: Period.Period
  /** F12, F14; F15 on its last day. */
  readonly firstHalf: Period.Period
  /** F20: the exchange visits held in it. */
  readonly exchangeVisits: Period.Period
  /** F22. */
  readonly training: Period.Period
  /** F23. */
  readonly publicity: Period.Period
}

export interface Options {
  /** The courses F22 counts. Default: ProfessionalCapacity (专业能力提升培训班). */
  readonly courseKinds?: ReadonlyArray<CourseKind>
  /** The printed material F23 counts. Default: Brochure (宣传手册). */
  readonly materialKinds?: ReadonlyArray<MaterialKind>
}

/**
 * The article's periods for a report made on `asOf`: coverage, campaigns, F9–F11 in the year to date; the
 * first half of that year; exchange visits, training and publicity in the year before ("last year").
 */
export const periods = (asOf: Scalars.LocalDate, overrides: Partial<Omit<Periods, "asOf">> = {}): Periods => {
  const year = Period.yearOf(asOf)
  const ytd = Period.yearToDate(asOf)
  return {
    asOf,
    coverage: ytd,
    campaigns: ytd,
    yearToDate: ytd,
    firstHalf: Period.firstHalf(year),
    exchangeVisits: Period.year(year - 1),
    training: Period.year(year - 1),
    publicity: Period.year(year - 1),
    ...overrides
  }
}

export interface Config extends Required<Options> {
  readonly periods: Periods
}

const make = (periods: Periods, options: Options) => {
  const courseKinds = new Set<CourseKind>(options.courseKinds ?? ["ProfessionalCapacity"])
  const config: Config = {
    periods,
    courseKinds: [...courseKinds],
    materialKinds: options.materialKinds ?? ["Brochure"]
  }
  return Projection.combine({
    config: Projection.constant(config),
    coverage: Projection.reading(Stations.codec.types, until(periods.asOf, Stations.Projections.coverage)),
    staffing: Projection.reading(Workforce.codec.types, until(periods.asOf, Workforce.Projections.staffing)),
    drives: Projection.reading(Recruitment.codec.types, until(periods.asOf, Recruitment.Projections.drives)),
    households: Projection.reading(Households.types, Households.make(periods.coverage.to)),
    visits: Projection.reading(Visits.conductedTypes, Visits.counted),
    cases: Projection.reading(
      Cases.types,
      Cases.make({ at: periods.firstHalf.to, openedIn: periods.firstHalf, reachedIn: periods.coverage })
    ),
    activities: Projection.reading(
      Activities.types,
      Activities.make({ heldIn: periods.yearToDate, reachedIn: periods.coverage })
    ),
    campaigns: Projection.reading(Campaigns.types, Campaigns.make({ reachedIn: periods.coverage })),
    exchangeVisits: Projection.reading(ExchangeVisits.types, until(periods.asOf, ExchangeVisits.exchangeVisits)),
    courses: Projection.reading(
      ["CourseHeld"],
      Projection.filter(
        ({ event }) => event._tag === "CourseHeld" && courseKinds.has(event.kind),
        Training.Projections.participationIn(periods.training)
      )
    ),
    printed: Projection.reading(Training.codec.types, Training.Projections.printedMaterialsIn(periods.publicity))
  })
}

/** The folded state: small parts, one per source, each a persistent or copy-on-write value. */
export type State = ReturnType<typeof make>["initial"]

/**
 * The county dashboard over the whole log of a tenant: fold it with `Projection.fold`, read it with `view`.
 * The same state serves `StationDashboard.view`.
 */
export const projection = (periods: Periods, options: Options = {}): Projection.Projection<Event, State> =>
  make(periods, options)

export interface ViewOptions {
  /** Report F3–F8 for these campaigns rather than those launched in `periods.campaigns`. */
  readonly campaigns?: ReadonlyArray<string>
  /** Report F19 for these drives rather than every drive opened. */
  readonly drives?: ReadonlyArray<string>
  /** Report F20 for these exchange visits rather than those held in `periods.exchangeVisits`. */
  readonly exchangeVisits?: ReadonlyArray<string>
}

export interface Dashboard {
  readonly county: string | undefined
  readonly asOf: Scalars.LocalDate
  readonly figures: ReadonlyArray<Figure>
}

// ---- what the county and station views share ----------------------------------------------------------

/** Distinct households visited at home in a period, for the county and per station. */
export const homeVisits = (
  state: State,
  period: Period.Period
): { readonly county: number; readonly byStation: ReadonlyMap<StationId, number> } => {
  const days = Visits.daysOf(period)
  const county = new Set<HouseholdId>()
  const byStation = new Map<StationId, Set<HouseholdId>>()
  for (const [household, visits] of PersistentMap.from(state.visits)) {
    for (let i = 0; i < visits.ids.length; i++) {
      const day = visits.days[i]!
      if (!Visits.isHomeVisit(day) || !Visits.within(day, days)) continue
      county.add(household)
      const station = visits.stations[visits.station[i]!]!
      const households = byStation.get(station) ?? new Set<HouseholdId>()
      households.add(household)
      byStation.set(station, households)
    }
  }
  return { county: county.size, byStation: new Map([...byStation].map(([s, h]) => [s, h.size])) }
}

interface CoverageCount {
  readonly recipients: number
  readonly reached: number
}

/** F2's counts, for the county and per station (the station of the recipient's household). */
export const serviceCoverage = (
  state: State
): { readonly county: CoverageCount; readonly byStation: ReadonlyMap<StationId, CoverageCount> } => {
  const { coverage } = state.config.periods
  const reached = new Set<PersonId>()
  const days = Visits.daysOf(coverage)
  const see = (person: PersonId) => reached.add(person)
  for (const visits of PersistentMap.from(state.visits).values()) {
    for (let i = 0; i < visits.ids.length; i++) {
      const day = visits.days[i]!
      if (Visits.within(day, days)) Visits.forEachSeen(visits, visits.seen[i]!, see)
    }
  }
  for (const file of PersistentMap.from(state.cases.files).values()) if (Cases.reached(file)) reached.add(file.person)
  const byStation = new Map<StationId, { recipients: number; reached: number }>()
  let recipients = 0
  let reachedRecipients = 0
  for (const [person, recipient] of PersistentMap.from(state.households.recipients)) {
    const file = PersistentMap.from(state.households.files).get(recipient.household)
    if (file === undefined || !Households.onFile(file, coverage.to)) continue
    const isReached =
      reached.has(person) ||
      PersistentSet.from(state.activities.reached).has(person) ||
      PersistentSet.from(state.campaigns.reached).has(person)
    recipients += 1
    if (isReached) reachedRecipients += 1
    const row = byStation.get(file.station) ?? { recipients: 0, reached: 0 }
    row.recipients += 1
    if (isReached) row.reached += 1
    byStation.set(file.station, row)
  }
  return { county: { recipients, reached: reachedRecipients }, byStation }
}

/** Households on file on `asOf`, for the county and per station. */
export const householdsOnFile = (
  state: State
): { readonly county: number; readonly byStation: ReadonlyMap<StationId, number> } => {
  const byStation = new Map<StationId, number>()
  let county = 0
  for (const file of PersistentMap.from(state.households.files).values()) {
    if (!Households.onFile(file, state.config.periods.asOf)) continue
    county += 1
    byStation.set(file.station, (byStation.get(file.station) ?? 0) + 1)
  }
  return { county, byStation }
}

/** Case files open on the last day of the first half, for the county and per station. */
export const ongoingCases = (
  state: State
): { readonly county: number; readonly byStation: ReadonlyMap<StationId, number> } => {
  const byStation = new Map<StationId, number>()
  let county = 0
  for (const file of PersistentMap.from(state.cases.files).values()) {
    if (!file.openAt) continue
    county += 1
    byStation.set(file.stationAt, (byStation.get(file.stationAt) ?? 0) + 1)
  }
  return { county, byStation }
}

export interface SelectedCampaign {
  readonly id: CampaignId
  readonly campaign: Campaigns.Campaign
  readonly covers: Covers
}

/** The campaigns F3–F8 report, in launch order. */
export const selectedCampaigns = (state: State, ids?: ReadonlyArray<string>): ReadonlyArray<SelectedCampaign> => {
  const { campaigns: period, asOf } = state.config.periods
  const wanted = ids === undefined ? undefined : new Set<string>(ids)
  const selected: Array<SelectedCampaign> = []
  for (const [id, campaign] of PersistentMap.from(state.campaigns.campaigns)) {
    if (wanted !== undefined ? !wanted.has(id) : !Period.within(campaign.launchedOn, period)) continue
    const end = campaign.closedOn ?? asOf
    selected.push({ id, campaign, covers: { from: campaign.launchedOn, to: Period.min(end, asOf) } })
  }
  return selected.sort(byKey((c) => `${c.campaign.launchedOn}/${c.id}`))
}

/** F3–F8 rows of one campaign's field work (the whole campaign's or one station's), by campaign kind. */
export const campaignFigures = (
  kind: CampaignKind,
  work: Campaigns.FieldWork,
  covers: Covers,
  scope: Scope
): ReadonlyArray<Figure> => {
  switch (kind) {
    case "ColdSnap":
      return [
        figure("F3.villages", PersistentSet.from(work.villages).size, covers, scope),
        figure("F4.recipients", PersistentSet.from(work.recipients).size, covers, scope),
        figure("F5.winterClothing", work.handedOut.WinterClothing, covers, scope),
        figure("F6.quilts", work.handedOut.Quilt, covers, scope)
      ]
    case "Flood":
      return [
        figure("F7.recipients", PersistentSet.from(work.recipients).size, covers, scope),
        figure("F8.relocated", PersistentSet.from(work.relocated).size, covers, scope)
      ]
    case "Other":
      return []
  }
}

export interface SelectedExchangeVisit {
  readonly id: ExchangeVisitId
  readonly visit: ExchangeVisits.ExchangeVisit
}

/** The exchange visits F20 reports, in date order. */
export const selectedExchangeVisits = (
  state: State,
  ids?: ReadonlyArray<string>
): ReadonlyArray<SelectedExchangeVisit> => {
  const wanted = ids === undefined ? undefined : new Set<string>(ids)
  const selected: Array<SelectedExchangeVisit> = []
  for (const [id, visit] of PersistentMap.from(state.exchangeVisits)) {
    if (wanted !== undefined ? wanted.has(id) : Period.within(visit.heldOn, state.config.periods.exchangeVisits)) {
      selected.push({ id, visit })
    }
  }
  return selected.sort(byKey((v) => `${v.visit.heldOn}/${v.id}`))
}

/** A station's name from the stations context, or its id. */
export const stationName = (state: State, station: StationId): string =>
  state.coverage.stations.get(station)?.name ?? station

/** Copies of the selected kinds printed in the publicity period. */
export const copiesPrinted = (state: State): number =>
  state.config.materialKinds.reduce((n, kind) => n + state.printed.byKind[kind].copies, 0)

// ---- the county view -----------------------------------------------------------------------------------

/** Every figure F1–F23 of the county, each with the days it covers. */
export const view = (state: State, options: ViewOptions = {}): Dashboard => {
  const { periods } = state.config
  const now: Covers = { to: periods.asOf }
  const figures: Array<Figure> = []

  const stations = Stations.Projections.summary(state.coverage)
  figures.push(
    figure("F1.coverage", stations.coverage, now),
    figure("F1.townships", stations.townships, now),
    figure("F1.covered", stations.coveredTownships, now)
  )

  const served = serviceCoverage(state).county
  figures.push(
    figure("F2.coverage", ratio(served.reached, served.recipients), periods.coverage),
    figure("F2.recipients", served.recipients, { to: periods.coverage.to }),
    figure("F2.reached", served.reached, periods.coverage)
  )

  for (const { id, campaign, covers } of selectedCampaigns(state, options.campaigns)) {
    figures.push(...campaignFigures(campaign.kind, campaign, covers, { kind: "campaign", id, title: campaign.title }))
  }

  figures.push(
    figure("F9.households", homeVisits(state, periods.yearToDate).county, periods.yearToDate),
    figure("F10.activities", state.activities.held.activities, periods.yearToDate),
    figure("F11.personTimes", state.activities.held.personTimes, periods.yearToDate),
    figure("F12.households", homeVisits(state, periods.firstHalf).county, periods.firstHalf),
    figure("F13.households", householdsOnFile(state).county, now),
    figure("F14.cases", state.cases.opened, periods.firstHalf),
    figure("F15.cases", ongoingCases(state).county, { to: periods.firstHalf.to })
  )

  const staffing = Workforce.Projections.countySummary(state.staffing)
  figures.push(
    figure("F16.posts", staffing.posts, now),
    figure("F17.onPost", staffing.onPost, now),
    figure("F18.toRecruit", staffing.vacancies, now)
  )

  const wantedDrives = options.drives === undefined ? undefined : new Set<string>(options.drives)
  for (const [id, drive] of [...state.drives].sort(byKey(([id]) => id))) {
    if (drive.title === undefined || (wantedDrives !== undefined && !wantedDrives.has(id))) continue
    figures.push(
      figure("F19.applicants", Recruitment.Projections.applicantsBy(drive, periods.asOf), now, {
        kind: "drive",
        id,
        title: drive.title
      })
    )
  }

  for (const { id, visit } of selectedExchangeVisits(state, options.exchangeVisits)) {
    const scope: Scope = { kind: "exchangeVisit", id, title: stationName(state, visit.host) }
    const covers = { from: visit.heldOn, to: visit.heldOn }
    figures.push(
      figure("F20.stations", visit.stations.length, covers, scope),
      figure("F20.workers", visit.workers.length, covers, scope)
    )
  }

  const taking = new Set<StationId>()
  for (const visit of PersistentMap.from(state.exchangeVisits).values()) for (const s of visit.stations) taking.add(s)
  figures.push(
    figure("F21.visits", PersistentMap.from(state.exchangeVisits).size, now),
    figure("F21.stations", taking.size, now),
    figure("F22.courses", PersistentSet.from(state.courses.courses).size, periods.training),
    figure("F22.personTimes", state.courses.personTimes, periods.training),
    figure("F23.copies", copiesPrinted(state), periods.publicity)
  )

  return { county: stations.county, asOf: periods.asOf, figures }
}
