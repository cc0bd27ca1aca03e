import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { HashMap } from "effect"
import type { Event } from "../../Domain.ts"
import type { HouseholdId, PersonId, StationId, TownshipId, VillageId } from "../../shared/Ids.ts"
import { RecipientCategory, type RiskLevel } from "../../shared/RecipientCategory.ts"
import { lookup } from "./maps.ts"

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
  readonly files: HashMap.HashMap<HouseholdId, HouseholdFile>
  readonly recipients: HashMap.HashMap<PersonId, Recipient>
  readonly personRisk: HashMap.HashMap<PersonId, Assessment>
  readonly householdRisk: HashMap.HashMap<HouseholdId, Assessment>
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

const laterAssessment = (
  map: HashMap.HashMap<any, Assessment>,
  key: unknown,
  next: Assessment
): HashMap.HashMap<any, Assessment> => {
  const before = lookup(map, key)
  return before !== undefined && before.on > next.on ? map : HashMap.set(map, key, next)
}

/** A person's risk: the later of their own assessment and their household's (their own on the same day). */
export const riskOf = (state: Households, person: PersonId, household: HouseholdId): RiskLevel | undefined => {
  const own = lookup(state.personRisk, person)
  const home = lookup(state.householdRisk, household)
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
  files: HashMap.empty(),
  recipients: HashMap.empty(),
  personRisk: HashMap.empty(),
  householdRisk: HashMap.empty()
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
        return HashMap.has(state.files, event.household)
          ? state
          : {
              ...state,
              files: HashMap.set(state.files, event.household, {
                station: event.station,
                township: event.township,
                village: event.village,
                registeredOn: event.registeredOn,
                archivedOn: undefined
              })
            }
      case "HouseholdArchived": {
        const file = lookup(state.files, event.household)
        return file === undefined || file.archivedOn !== undefined
          ? state
          : { ...state, files: HashMap.set(state.files, event.household, { ...file, archivedOn: event.archivedOn }) }
      }
      case "CategoryAssigned": {
        if (event.verifiedOn > asOf) return state
        const bit = bitOf(event.category)
        const before = lookup(state.recipients, event.person)
        if (before !== undefined && before.household === event.household) {
          return (before.categories & bit) !== 0
            ? state
            : {
                ...state,
                recipients: HashMap.set(state.recipients, event.person, {
                  ...before,
                  categories: before.categories | bit
                })
              }
        }
        return {
          ...state,
          recipients: HashMap.set(state.recipients, event.person, {
            household: event.household,
            categories: bit,
            since: event.verifiedOn
          })
        }
      }
      case "CategoryRevoked": {
        if (event.verifiedOn > asOf) return state
        const before = lookup(state.recipients, event.person)
        if (before === undefined || before.household !== event.household) return state
        const categories = before.categories & ~bitOf(event.category)
        if (categories === before.categories) return state
        return {
          ...state,
          recipients:
            categories === 0
              ? HashMap.remove(state.recipients, event.person)
              : HashMap.set(state.recipients, event.person, { ...before, categories })
        }
      }
      case "MemberRemoved": {
        const before = lookup(state.recipients, event.person)
        return before === undefined || before.household !== event.household
          ? state
          : { ...state, recipients: HashMap.remove(state.recipients, event.person) }
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
