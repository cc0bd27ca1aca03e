// F1…F23 are the article's figures, each defined in docs/figures.md.
import type { Projection, Recorded, Scalars } from "@shuangbai/eventsourcing"
import { HashMap, HashSet } from "effect"
import type { Event } from "../../Domain.ts"
import type { CampaignKind } from "../../relief/Events.ts"
import { add, noQuantities, type Quantities } from "../../relief/State.ts"
import type { CampaignId, PersonId, StationId, VillageId } from "../../shared/Ids.ts"
import { type Period, within } from "../Period.ts"
import { lookup } from "./maps.ts"

// What counts is what the relief context's own projections count (relief/Projections.ts): campaign visits
// are RecipientVisited only, items handed out SuppliesDistributed only, persons and villages once each.
// Written again here over persistent sets, so that a large campaign does not copy a set per event.

export interface FieldWork {
  /** Distinct villages with a campaign visit (F3). */
  readonly villages: HashSet.HashSet<VillageId>
  /** Distinct persons visited (F4, F7). */
  readonly recipients: HashSet.HashSet<PersonId>
  /** Pieces handed out per item (F5 winter clothing, F6 quilts). */
  readonly handedOut: Quantities
  /** Distinct persons whose relocation the workers helped (F8). */
  readonly relocated: HashSet.HashSet<PersonId>
}

export const noFieldWork: FieldWork = {
  villages: HashSet.empty(),
  recipients: HashSet.empty(),
  handedOut: noQuantities,
  relocated: HashSet.empty()
}

export interface Campaign extends FieldWork {
  readonly kind: CampaignKind
  readonly title: Scalars.NonEmptyText
  readonly launchedOn: Scalars.LocalDate
  readonly closedOn: Scalars.LocalDate | undefined
  readonly stations: HashMap.HashMap<StationId, FieldWork>
}

export interface Campaigns {
  readonly campaigns: HashMap.HashMap<CampaignId, Campaign>
  /** Persons visited, supplied or helped to relocate in `reachedIn` (F2). */
  readonly reached: HashSet.HashSet<PersonId>
}

const fieldWork = <S extends FieldWork>(state: S, event: Event): S => {
  switch (event._tag) {
    case "RecipientVisited":
      return {
        ...state,
        villages: HashSet.add(state.villages, event.village),
        recipients: HashSet.add(state.recipients, event.person)
      }
    case "SuppliesDistributed":
      return { ...state, handedOut: add(state.handedOut, event.item, event.quantity) }
    case "RelocationAssisted":
      return { ...state, relocated: HashSet.add(state.relocated, event.person) }
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
    initial: { campaigns: HashMap.empty(), reached: HashSet.empty() },
    evolve: (state: Campaigns, { event }: Recorded<Event>): Campaigns => {
      switch (event._tag) {
        case "CampaignLaunched":
          return HashMap.has(state.campaigns, event.campaign)
            ? state
            : {
                ...state,
                campaigns: HashMap.set(state.campaigns, event.campaign, {
                  ...noFieldWork,
                  kind: event.kind,
                  title: event.title,
                  launchedOn: event.launchedOn,
                  closedOn: undefined,
                  stations: HashMap.empty()
                })
              }
        case "CampaignClosed": {
          const campaign = lookup(state.campaigns, event.campaign)
          return campaign === undefined
            ? state
            : {
                ...state,
                campaigns: HashMap.set(state.campaigns, event.campaign, { ...campaign, closedOn: event.closedOn })
              }
        }
        case "RecipientVisited":
        case "SuppliesDistributed":
        case "RelocationAssisted": {
          const campaign = lookup(state.campaigns, event.campaign)
          if (campaign === undefined) return state
          const date =
            event._tag === "RecipientVisited"
              ? event.visitedOn
              : event._tag === "SuppliesDistributed"
                ? event.distributedOn
                : event.assistedOn
          const station = fieldWork(lookup(campaign.stations, event.station) ?? noFieldWork, event)
          const next: Campaign = {
            ...fieldWork(campaign, event),
            stations: HashMap.set(campaign.stations, event.station, station)
          }
          return {
            campaigns: HashMap.set(state.campaigns, event.campaign, next),
            reached:
              options.reachedIn !== undefined && within(date, options.reachedIn)
                ? HashSet.add(state.reached, event.person)
                : state.reached
          }
        }
        default:
          return state
      }
    }
  }) satisfies Projection.Projection<Event, Campaigns>
