import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../../Domain.ts"
import type { HouseholdId, PersonId, StationId, TownshipId, VillageId } from "../../shared/Ids.ts"
import { PersistentMap } from "../../shared/Persistent.ts"
import { RecipientCategory, type RiskLevel } from "../../shared/RecipientCategory.ts"

/** A household file (建档): where it is and when it was on file. */
export interface HouseholdFile {
  readonly station: StationId
  readonly township: TownshipId
  readonly village: VillageId
  readonly registeredOn: Scalars.LocalDate
  readonly archivedOn: Scalars.LocalDate | undefined
}

/** A person carrying at least one recipient category: their household and categories as a bit set. */
export interface Recipient {
  readonly household: HouseholdId
  /** Bit `i` set when the person carries `RecipientCategory.literals[i]`. */
  readonly categories: number
  /** The day the person began to carry a category (since when they have had none uncarried). */
  readonly since: Scalars.LocalDate
}

export interface Assessment {
  readonly level: RiskLevel
  readonly on: Scalars.LocalDate
}

/**
 * The registry facts the reports read, kept small: one row per household file, one per person carrying a
 * category (not per member), and the latest risk assessments. Persistent maps: a state held by a reader
 * stays valid while the fold goes on, and no event copies a map.
 */
export interface Households {
  readonly files: PersistentMap<HouseholdId, HouseholdFile>
  readonly recipients: PersistentMap<PersonId, Recipient>
  readonly personRisk: PersistentMap<PersonId, Assessment>
  readonly householdRisk: PersistentMap<HouseholdId, Assessment>
}

const categoryBits: ReadonlyMap<RecipientCategory, number> = new Map(
  RecipientCategory.literals.map((category, i) => [category, 1 << i] as const)
)

export const bitOf = (category: RecipientCategory): number => categoryBits.get(category)!

export const categoriesOf = (bits: number): ReadonlyArray<RecipientCategory> =>
  RecipientCategory.literals.filter((_, i) => (bits & (1 << i)) !== 0)

/** Registered on or before `date` and not archived by then. */
export const onFile = (file: HouseholdFile, date: Scalars.LocalDate): boolean =>
  file.registeredOn <= date && (file.archivedOn === undefined || file.archivedOn > date)

const laterAssessment = <K extends string>(
  map: PersistentMap<K, Assessment>,
  key: K,
  next: Assessment
): PersistentMap<K, Assessment> => {
  const assessments = PersistentMap.from(map)
  const before = assessments.get(key)
  return before !== undefined && before.on > next.on ? map : assessments.with(key, next)
}

/** A person's risk: the later of their own assessment and their household's (their own on the same day). */
export const riskOf = (state: Households, person: PersonId, household: HouseholdId): RiskLevel | undefined => {
  const own = PersistentMap.from(state.personRisk).get(person)
  const home = PersistentMap.from(state.householdRisk).get(household)
  if (own === undefined) return home?.level
  if (home === undefined) return own.level
  return home.on > own.on ? home.level : own.level
}

/** The events `make` reads. */
export const types = [
  "HouseholdRegistered",
  "HouseholdArchived",
  "CategoryAssigned",
  "CategoryRevoked",
  "MemberRemoved",
  "RiskAssessed"
] as const

export const empty: Households = {
  files: PersistentMap.empty(),
  recipients: PersistentMap.empty(),
  personRisk: PersistentMap.empty(),
  householdRisk: PersistentMap.empty()
}

/**
 * Household files (every registration, with its archive day), and the categories and risk as they stood
 * on `asOf`: assignments, revocations and assessments dated later are left out. A removed member carries
 * no category any more.
 */
export const make = (asOf: Scalars.LocalDate): Projection.Projection<Event, Households> => ({
  initial: empty,
  evolve: (state: Households, { event }: Recorded<Event>): Households => {
    switch (event._tag) {
      case "HouseholdRegistered":
        return PersistentMap.from(state.files).has(event.household)
          ? state
          : {
              ...state,
              files: PersistentMap.from(state.files).with(event.household, {
                station: event.station,
                township: event.township,
                village: event.village,
                registeredOn: event.registeredOn,
                archivedOn: undefined
              })
            }
      case "HouseholdArchived": {
        const file = PersistentMap.from(state.files).get(event.household)
        return file === undefined || file.archivedOn !== undefined
          ? state
          : {
              ...state,
              files: PersistentMap.from(state.files).with(event.household, { ...file, archivedOn: event.archivedOn })
            }
      }
      case "CategoryAssigned": {
        if (event.verifiedOn > asOf) return state
        const bit = bitOf(event.category)
        const before = PersistentMap.from(state.recipients).get(event.person)
        if (before !== undefined && before.household === event.household) {
          return (before.categories & bit) !== 0
            ? state
            : {
                ...state,
                recipients: PersistentMap.from(state.recipients).with(event.person, {
                  ...before,
                  categories: before.categories | bit
                })
              }
        }
        return {
          ...state,
          recipients: PersistentMap.from(state.recipients).with(event.person, {
            household: event.household,
            categories: bit,
            since: event.verifiedOn
          })
        }
      }
      case "CategoryRevoked": {
        if (event.verifiedOn > asOf) return state
        const before = PersistentMap.from(state.recipients).get(event.person)
        if (before === undefined || before.household !== event.household) return state
        const categories = before.categories & ~bitOf(event.category)
        if (categories === before.categories) return state
        return {
          ...state,
          recipients:
            categories === 0
              ? PersistentMap.from(state.recipients).without(event.person)
              : PersistentMap.from(state.recipients).with(event.person, { ...before, categories })
        }
      }
      case "MemberRemoved": {
        const before = PersistentMap.from(state.recipients).get(event.person)
        return before === undefined || before.household !== event.household
          ? state
          : { ...state, recipients: PersistentMap.from(state.recipients).without(event.person) }
      }
      case "RiskAssessed": {
        if (event.assessedOn > asOf) return state
        const assessment = { level: event.level, on: event.assessedOn }
        return event.person === undefined
          ? { ...state, householdRisk: laterAssessment(state.householdRisk, event.household, assessment) }
          : { ...state, personRisk: laterAssessment(state.personRisk, event.person, assessment) }
      }
      default:
        return state
    }
  }
})
