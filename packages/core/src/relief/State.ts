import type { Scalars } from "@shuangbai/eventsourcing"
import type { CampaignKind, CampaignScope, Event, ReliefItem } from "./Events.ts"

/** Pieces per item. */
export type Quantities = Readonly<Record<ReliefItem, number>>

export const noQuantities: Quantities = {
  Quilt: 0,
  WinterClothing: 0,
  DrinkingWater: 0,
  Food: 0,
  Disinfectant: 0,
  CleaningSupplies: 0,
  Other: 0
}

export const add = (quantities: Quantities, item: ReliefItem, quantity: number): Quantities => ({
  ...quantities,
  [item]: quantities[item] + quantity
})

/** What a launched campaign knows, open or closed. */
export interface Campaign {
  readonly kind: CampaignKind
  readonly title: Scalars.NonEmptyText
  readonly scope: CampaignScope
  readonly launchedOn: Scalars.LocalDate
  readonly received: Quantities
  readonly distributed: Quantities
  /** `person@date` of each campaign visit, so that the same visit recorded twice is recorded once. */
  readonly visited: ReadonlySet<string>
}

export type State =
  | { readonly _tag: "NotLaunched" }
  | ({ readonly _tag: "Open" } & Campaign)
  | ({ readonly _tag: "Closed"; readonly closedOn: Scalars.LocalDate } & Campaign)

export const initial: State = { _tag: "NotLaunched" }

export const visitKey = (personId: string, date: Scalars.LocalDate): string => `${personId}@${date}`

/** Pieces of an item received and not yet handed out. */
export const onHand = (campaign: Campaign, item: ReliefItem): number =>
  campaign.received[item] - campaign.distributed[item]

// Changes a launched campaign in place of its stage; events before a launch change nothing.
const update = (state: State, f: (campaign: Campaign) => Campaign): State =>
  state._tag === "NotLaunched" ? state : { ...state, ...f(state) }

export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "CampaignLaunched":
      return state._tag !== "NotLaunched"
        ? state
        : {
            _tag: "Open",
            kind: event.kind,
            title: event.title,
            scope: event.scope,
            launchedOn: event.launchedOn,
            received: noQuantities,
            distributed: noQuantities,
            visited: new Set()
          }
    case "SuppliesReceived":
      return update(state, (c) => ({ ...c, received: add(c.received, event.item, event.quantity) }))
    case "SuppliesDistributed":
      return update(state, (c) => ({ ...c, distributed: add(c.distributed, event.item, event.quantity) }))
    case "RecipientVisited":
      return update(state, (c) => ({
        ...c,
        visited: new Set(c.visited).add(visitKey(event.person, event.visitedOn))
      }))
    case "RelocationAssisted":
      return state
    case "CampaignClosed":
      return state._tag === "Open" ? { ...state, _tag: "Closed", closedOn: event.closedOn } : state
  }
}
