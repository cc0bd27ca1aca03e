// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import type { Event } from "../../Domain.ts"
import type { CampaignKind } from "../../relief/Events.ts"
import { add, noQuantities, type Quantities } from "../../relief/State.ts"
import type { CampaignId, PersonId, StationId, VillageId } from "../../shared/Ids.ts"
import { PersistentMap, PersistentSet } from "../../shared/Persistent.ts"
import { type Period, within } from "../Period.ts"

// What counts is what the relief context's own projections count (relief/Projections.ts): campaign visits
// are RecipientVisited only, items handed out SuppliesDistributed only, persons and villages once each.
// Written again here over persistent sets, so that a large campaign does not copy a set per event.

export interface FieldWork {
  /** Distinct villages with a campaign visit (F3). */
  readonly villages: PersistentSet<VillageId>
  /** Distinct persons visited (F4, F7). */
  readonly recipients: PersistentSet<PersonId>
  /** Pieces handed out per item (F5 winter clothing, F6 quilts). */
  readonly handedOut: Quantities
  /** Distinct persons whose relocation the workers helped (F8). */
  readonly relocated: PersistentSet<PersonId>
}

export const noFieldWork: FieldWork = {
  villages: PersistentSet.empty(),
  recipients: PersistentSet.empty(),
  handedOut: noQuantities,
  relocated: PersistentSet.empty()
}

export interface Campaign extends FieldWork {
  readonly kind: CampaignKind
  readonly title: Scalars.NonEmptyText
  readonly launchedOn: Scalars.LocalDate
  readonly closedOn: Scalars.LocalDate | undefined
  readonly stations: PersistentMap<StationId, FieldWork>
}

export interface Campaigns {
  readonly campaigns: PersistentMap<CampaignId, Campaign>
  /** Persons visited, supplied or helped to relocate in `reachedIn` (F2). */
  readonly reached: PersistentSet<PersonId>
}

const fieldWork = <S extends FieldWork>(state: S, event: Event): S => {
  switch (event._tag) {
    case "RecipientVisited":
      return {
        ...state,
        villages: PersistentSet.from(state.villages).with(event.village),
        recipients: PersistentSet.from(state.recipients).with(event.person)
      }
    case "SuppliesDistributed":
      return { ...state, handedOut: add(state.handedOut, event.item, event.quantity) }
    case "RelocationAssisted":
      return { ...state, relocated: PersistentSet.from(state.relocated).with(event.person) }
    default:
      return state
  }
}

/** The events `make` reads. */
export const types = [
  "CampaignLaunched",
  "CampaignClosed",
  "RecipientVisited",
  "SuppliesDistributed",
  "RelocationAssisted"
] as const

export const make = (options: { readonly reachedIn?: Period } = {}) =>
  ({
    initial: { campaigns: PersistentMap.empty(), reached: PersistentSet.empty() },
    evolve: (state: Campaigns, { event }: Recorded<Event>): Campaigns => {
      switch (event._tag) {
        case "CampaignLaunched":
          return PersistentMap.from(state.campaigns).has(event.campaign)
            ? state
            : {
                ...state,
                campaigns: PersistentMap.from(state.campaigns).with(event.campaign, {
                  ...noFieldWork,
                  kind: event.kind,
                  title: event.title,
                  launchedOn: event.launchedOn,
                  closedOn: undefined,
                  stations: PersistentMap.empty()
                })
              }
        case "CampaignClosed": {
          const campaign = PersistentMap.from(state.campaigns).get(event.campaign)
          return campaign === undefined
            ? state
            : {
                ...state,
                campaigns: PersistentMap.from(state.campaigns).with(event.campaign, {
                  ...campaign,
                  closedOn: event.closedOn
                })
              }
        }
        case "RecipientVisited":
        case "SuppliesDistributed":
        case "RelocationAssisted": {
          const campaign = PersistentMap.from(state.campaigns).get(event.campaign)
          if (campaign === undefined) return state
          const date =
            event._tag === "RecipientVisited"
              ? event.visitedOn
              : event._tag === "SuppliesDistributed"
                ? event.distributedOn
                : event.assistedOn
          const station = fieldWork(PersistentMap.from(campaign.stations).get(event.station) ?? noFieldWork, event)
          const next: Campaign = {
            ...fieldWork(campaign, event),
            stations: PersistentMap.from(campaign.stations).with(event.station, station)
          }
          return {
            campaigns: PersistentMap.from(state.campaigns).with(event.campaign, next),
            reached:
              options.reachedIn !== undefined && within(date, options.reachedIn)
                ? PersistentSet.from(state.reached).with(event.person)
                : state.reached
          }
        }
        default:
          return state
      }
    }
  }) satisfies Projection.Projection<Event, Campaigns>
