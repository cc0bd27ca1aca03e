// F1…F23 are the article's figures, each defined in docs/figures.md.
import { Projection, type Recorded, type Scalars } from "@shuangbai/eventsourcing"
import type { PersonId, VillageId } from "../shared/Ids.ts"
import { PersistentSet } from "../shared/Persistent.ts"
import type { CampaignKind, Event, ReliefItem } from "./Events.ts"
import { add, noQuantities, type Quantities } from "./State.ts"
import { category } from "./Stream.ts"

// What counts, so that nothing is counted twice (F3–F8):
// - campaign visits are `RecipientVisited` events of the campaign stream only. A home visit of the visits
//   context that names the campaign counts towards the home-visit figures (F9, F12) and is not read here;
//   when one call is recorded both ways, `RecipientVisited.visit` links the two records;
// - items handed out are `SuppliesDistributed` only, never a home visit's `itemsGiven`;
// - visits and relocations count distinct persons and distinct villages: a person visited twice counts once.

/**
 * What a campaign's workers did in the field, for the whole campaign or one station. The sets grow with the
 * log: they are persistent (shared/Persistent.ts), so that an event costs O(log n).
 */
export interface FieldWork {
  /** Distinct villages with at least one campaign visit (F3: 46). */
  readonly villagesVisited: ReadonlySet<VillageId>
  /** Distinct persons visited (F4: 387, F7: 808). */
  readonly recipientsVisited: ReadonlySet<PersonId>
  /** Pieces handed out per item (F5: 36 winter garments, F6: 1 quilt). */
  readonly handedOut: Quantities
  /** Distinct persons whose relocation the workers helped (F8: 222). */
  readonly relocated: ReadonlySet<PersonId>
}

/** One campaign as the county reports it. */
export interface CampaignSummary extends FieldWork {
  readonly kind: CampaignKind | undefined
  readonly title: Scalars.NonEmptyText | undefined
  readonly launchedOn: Scalars.LocalDate | undefined
  readonly closedOn: Scalars.LocalDate | undefined
  /** Pieces received per item. */
  readonly received: Quantities
}

export const noFieldWork: FieldWork = {
  villagesVisited: PersistentSet.empty(),
  recipientsVisited: PersistentSet.empty(),
  handedOut: noQuantities,
  relocated: PersistentSet.empty()
}

export const emptySummary: CampaignSummary = {
  ...noFieldWork,
  kind: undefined,
  title: undefined,
  launchedOn: undefined,
  closedOn: undefined,
  received: noQuantities
}

// Persistent, and the same set back when nothing is new, so that an unchanged state stays identical (a set
// saved and read back is taken back by `from`).
const withMember = <A extends string>(set: ReadonlySet<A>, member: A): ReadonlySet<A> => {
  const before = PersistentSet.from(set)
  const after = before.with(member)
  return after === before ? set : after
}

const evolveFieldWork = <S extends FieldWork>(state: S, event: Event): S => {
  switch (event._tag) {
    case "SuppliesDistributed":
      return { ...state, handedOut: add(state.handedOut, event.item, event.quantity) }
    case "RecipientVisited": {
      const villagesVisited = withMember(state.villagesVisited, event.village)
      const recipientsVisited = withMember(state.recipientsVisited, event.person)
      return villagesVisited === state.villagesVisited && recipientsVisited === state.recipientsVisited
        ? state
        : { ...state, villagesVisited, recipientsVisited }
    }
    case "RelocationAssisted": {
      const relocated = withMember(state.relocated, event.person)
      return relocated === state.relocated ? state : { ...state, relocated }
    }
    default:
      return state
  }
}

/** Stock on hand per item: received and not yet handed out. */
export const stockOnHand = (summary: CampaignSummary): Quantities =>
  Object.fromEntries(
    (Object.keys(summary.received) as Array<ReliefItem>).map((item) => [
      item,
      summary.received[item] - summary.handedOut[item]
    ])
  ) as Quantities

/** One campaign's summary: feed it the events of that one campaign. */
export const campaign = Projection.make<Event, CampaignSummary>({
  initial: emptySummary,
  evolve: (state, { event }) => {
    switch (event._tag) {
      case "CampaignLaunched":
        return { ...state, kind: event.kind, title: event.title, launchedOn: event.launchedOn }
      case "SuppliesReceived":
        return { ...state, received: add(state.received, event.item, event.quantity) }
      case "CampaignClosed":
        return { ...state, closedOn: event.closedOn }
      default:
        return evolveFieldWork(state, event)
    }
  }
})

/** One station's field work in a campaign: feed it that station's events of one campaign. */
export const fieldWork = Projection.make<Event, FieldWork>({
  initial: noFieldWork,
  evolve: (state, { event }) => evolveFieldWork(state, event)
})

const campaignOf = (recorded: Recorded<Event>): string | undefined =>
  recorded.stream.category === category ? recorded.stream.id : undefined

const stationOf = ({ event }: Recorded<Event>): string | undefined => ("station" in event ? event.station : undefined)

/** Every campaign of a tenant, by campaign id; events of other stream categories are ignored. */
export const campaigns: Projection.Projection<Event, ReadonlyMap<string, CampaignSummary>> = Projection.partitioned(
  campaign,
  campaignOf
)

/** Field work by campaign id, then by station id: the same figures for each station. */
export const fieldWorkByStation: Projection.Projection<
  Event,
  ReadonlyMap<string, ReadonlyMap<string, FieldWork>>
> = Projection.partitioned(Projection.partitioned(fieldWork, stationOf), campaignOf)
