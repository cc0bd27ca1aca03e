import { Projection, type Recorded, type Text } from "@shuangbai/eventsourcing"
import type { PersonId, VillageId } from "../shared/Ids.ts"
import type { CampaignKind, Event, ReliefItem } from "./Events.ts"
import { add, noQuantities, type Quantities } from "./State.ts"
import { category } from "./Stream.ts"

/**
 * One campaign as the county reports it (F3–F8).
 *
 * Campaign visits are counted from `RecipientVisited` of the campaign stream only. A home visit of the
 * visits context that carries the campaign id counts towards the home-visit figures (F9, F12) and is
 * not read here; when both records exist for one call, `RecipientVisited.visitId` links them. Visits are
 * counted as distinct persons and distinct villages, so a person visited twice counts once.
 */
export interface CampaignSummary {
  readonly kind: CampaignKind | undefined
  readonly title: Text.NonEmptyText | undefined
  readonly launchedOn: Text.LocalDate | undefined
  readonly closedOn: Text.LocalDate | undefined
  /** Distinct villages with at least one campaign visit (F3: 46). */
  readonly villagesVisited: ReadonlySet<VillageId>
  /** Distinct persons visited (F4: 387, F7: 808). */
  readonly recipientsVisited: ReadonlySet<PersonId>
  /** Pieces handed out per item (F5: 36 winter garments, F6: 1 quilt). */
  readonly handedOut: Quantities
  /** Pieces received per item. */
  readonly received: Quantities
  /** Distinct persons whose relocation the workers helped (F8: 222). */
  readonly relocated: ReadonlySet<PersonId>
}

export const emptySummary: CampaignSummary = {
  kind: undefined,
  title: undefined,
  launchedOn: undefined,
  closedOn: undefined,
  villagesVisited: new Set(),
  recipientsVisited: new Set(),
  handedOut: noQuantities,
  received: noQuantities,
  relocated: new Set()
}

// Copy-on-write, and the same set back when nothing is new, so unchanged states stay identical.
const withMember = <A>(set: ReadonlySet<A>, member: A): ReadonlySet<A> =>
  set.has(member) ? set : new Set(set).add(member)

/** Stock on hand per item: received and not handed out. */
export const stockOnHand = (summary: CampaignSummary): Quantities =>
  Object.fromEntries(
    (Object.keys(summary.received) as Array<ReliefItem>).map((item) => [
      item,
      summary.received[item] - summary.handedOut[item]
    ])
  ) as Quantities

/** One campaign stream's summary; feed it the events of that one campaign. */
export const campaign = Projection.make<Event, CampaignSummary>({
  initial: emptySummary,
  evolve: (state, { event }) => {
    switch (event._tag) {
      case "CampaignLaunched":
        return { ...state, kind: event.kind, title: event.title, launchedOn: event.launchedOn }
      case "SuppliesReceived":
        return { ...state, received: add(state.received, event.item, event.quantity) }
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
      case "CampaignClosed":
        return { ...state, closedOn: event.closedOn }
      default:
        return state
    }
  }
})

/** Every campaign of a tenant, by campaign id; events of other stream categories are ignored. */
export const campaigns: Projection.Projection<Event, ReadonlyMap<string, CampaignSummary>> = Projection.partitioned(
  campaign,
  (recorded: Recorded<Event>) => (recorded.stream.category === category ? recorded.stream.id : undefined)
)
