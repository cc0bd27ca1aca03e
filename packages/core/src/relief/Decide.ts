import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result, Schema } from "effect"
import { consentToProcess } from "../registry/Decide.ts"
import * as Registry from "../registry/State.ts"
import type { AfterWithdrawalOf } from "../shared/Consent.ts"
import { notInFuture } from "../shared/Dates.ts"
import type { CampaignId, HouseholdId, PersonId, StationId, WorkerId } from "../shared/Ids.ts"
import { onPostAt } from "../workforce/Decide.ts"
import type * as Commands from "./Commands.ts"
import {
  CampaignClosed,
  type CampaignKind,
  CampaignLaunched,
  CampaignScope,
  type Event,
  RecipientVisited,
  type ReliefItem,
  RelocationAssisted,
  SuppliesDistributed,
  SuppliesReceived
} from "./Events.ts"
import { reliefItemLabels } from "./Labels.ts"
import * as State from "./State.ts"

/** What a relief decision knows besides the campaign: read by the handler from other streams. */
export interface Context extends Decider.DecisionContext {
  /**
   * The registry file of the command's household: the recipient is a current member of an open file, and
   * their consents. Only distributions and campaign visits read it. Absent means not read: not on file.
   */
  readonly household?: Registry.State
  /**
   * Where the worker doing field work (a distribution, a campaign visit, a relocation) was on post on its day,
   * from the workforce context. A worker absent, or the map absent (not read), was not on post.
   */
  readonly onPost?: ReadonlyMap<WorkerId, StationId>
}

// Rules, named as the facts that refuse a command. Dates after today: the shared `DateIsInFuture`. A recipient
// who withdrew consent to processing, outside an emergency: the registry's `ProcessingConsentWithdrawn`. A worker not
// on post that day at the station named for the field work: the workforce's `WorkerNotOnPostAtStation`.

export const CampaignNotLaunched = Rule.define<{ campaign: CampaignId }>("CampaignNotLaunched", {
  en: (f) => `campaign ${f.campaign} has not been launched`,
  zh: (f) => `救助行动 ${f.campaign} 尚未启动`
})

export const CampaignAlreadyLaunched = Rule.define<{ campaign: CampaignId }>("CampaignAlreadyLaunched", {
  en: (f) => `campaign ${f.campaign} was already launched, with other details`,
  zh: (f) => `救助行动 ${f.campaign} 已启动，且登记信息不同`
})

export const CampaignAlreadyClosed = Rule.define<{ campaign: CampaignId; closedOn: Scalars.LocalDate }>(
  "CampaignAlreadyClosed",
  {
    en: (f) => `campaign ${f.campaign} was closed on ${f.closedOn}: nothing more may be recorded`,
    zh: (f) => `救助行动 ${f.campaign} 已于 ${f.closedOn} 结束，不能再登记`
  }
)

export const DateBeforeLaunch = Rule.define<{ field: string; date: Scalars.LocalDate; launchedOn: Scalars.LocalDate }>(
  "DateBeforeLaunch",
  {
    en: (f) => `${f.field} ${f.date} is before the campaign was launched on ${f.launchedOn}`,
    zh: (f) => `${f.field} ${f.date} 早于救助行动启动日期 ${f.launchedOn}`
  }
)

export const StockInsufficient = Rule.define<{ item: ReliefItem; requested: number; onHand: number }>(
  "StockInsufficient",
  {
    en: (f) =>
      `cannot hand out ${f.requested} ${reliefItemLabels[f.item].en}: only ${f.onHand} received and not yet handed out`,
    zh: (f) => `${reliefItemLabels[f.item]["zh-CN"]}库存仅 ${f.onHand}，不能发放 ${f.requested}`
  }
)

export const StationOutsideCampaign = Rule.define<{ campaign: CampaignId; station: StationId }>(
  "StationOutsideCampaign",
  {
    en: (f) => `station ${f.station} is not among the stations of campaign ${f.campaign}`,
    zh: (f) => `社工站 ${f.station} 不在救助行动 ${f.campaign} 的范围内`
  }
)

export const RecipientNotRegistered = Rule.define<{ person: PersonId; household: HouseholdId }>(
  "RecipientNotRegistered",
  {
    en: (f) => `${f.person} is not a member of a registered household ${f.household}`,
    zh: (f) => `${f.person} 不是已建档户 ${f.household} 的在册成员`
  }
)

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>
type Launched = Exclude<State.State, { readonly _tag: "NotLaunched" }>

const sameScope = Schema.toEquivalence(CampaignScope)

/**
 * The campaign, if a command dated `date` may be recorded in it: launched, not closed, and the date
 * neither after today nor before the launch.
 */
const openOn = (
  campaign: CampaignId,
  state: State.State,
  field: string,
  date: Scalars.LocalDate,
  context: Context
): Result.Result<Launched, RuleViolation> =>
  Result.gen(function* () {
    if (state._tag === "NotLaunched") return yield* Result.fail(CampaignNotLaunched({ campaign }))
    if (state._tag === "Closed")
      return yield* Result.fail(CampaignAlreadyClosed({ campaign, closedOn: state.closedOn }))
    yield* notInFuture(field, date, context.now)
    if (date < state.launchedOn) {
      return yield* Result.fail(DateBeforeLaunch({ field, date, launchedOn: state.launchedOn }))
    }
    return state
  })

/** Field work is done by a station the campaign covers. */
const inScope = (campaign: CampaignId, scope: CampaignScope, station: StationId) =>
  scope._tag === "CountyWide" || scope.stations.includes(station)
    ? Result.succeed(undefined)
    : Result.fail(StationOutsideCampaign({ campaign, station }))

/** Campaigns that answer an emergency to life or health (PIPL art. 13(4)): they need no consent. */
export const emergencyKinds: ReadonlyArray<CampaignKind> = ["ColdSnap", "Flood"]

/**
 * The recipient is a current member of an open household file and, in a campaign that is no emergency, has not
 * withdrawn consent to the processing of their data.
 */
const registered = (
  cmd: { readonly person: PersonId; readonly household: HouseholdId },
  kind: CampaignKind,
  context: Context
): Result.Result<void, RuleViolation> => {
  const file = context.household
  const onFile =
    file?._tag === "Registered" &&
    file.household.id === cmd.household &&
    Registry.memberOf(file.household, cmd.person) !== undefined
  if (!onFile) return Result.fail(RecipientNotRegistered({ person: cmd.person, household: cmd.household }))
  return emergencyKinds.includes(kind) ? Result.succeed(undefined) : consentToProcess(file, cmd.person)
}

/** Field work is done by a worker on post at the station named for it, on its day. */
const byWorkerOnPost = (
  cmd: { readonly worker: WorkerId; readonly station: StationId },
  date: Scalars.LocalDate,
  context: Context
) => onPostAt(cmd.worker, cmd.station, date, context.onPost?.get(cmd.worker))

/**
 * Field work in a campaign (supplies handed out, a recipient visited, a relocation helped): the campaign is
 * open on its day, the station is in its scope, a recipient named is on file (`recipient`), and the worker is
 * on post at that station that day. Gives the campaign.
 */
const fieldWork = (
  cmd: { readonly campaign: CampaignId; readonly worker: WorkerId; readonly station: StationId },
  state: State.State,
  field: string,
  date: Scalars.LocalDate,
  context: Context,
  recipient?: { readonly person: PersonId; readonly household: HouseholdId }
): Result.Result<Launched, RuleViolation> =>
  Result.gen(function* () {
    const campaign = yield* openOn(cmd.campaign, state, field, date, context)
    yield* inScope(cmd.campaign, campaign.scope, cmd.station)
    if (recipient !== undefined) yield* registered(recipient, campaign.kind, context)
    yield* byWorkerOnPost(cmd, date, context)
    return campaign
  })

export const launchCampaign = (cmd: Commands.LaunchCampaign, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotLaunched") {
      const same =
        state.kind === cmd.kind &&
        state.title === cmd.title &&
        state.launchedOn === cmd.launchedOn &&
        sameScope(state.scope, cmd.scope)
      if (same) return []
      return yield* Result.fail(CampaignAlreadyLaunched({ campaign: cmd.campaign }))
    }
    yield* notInFuture("launchedOn", cmd.launchedOn, context.now)
    return [
      new CampaignLaunched({
        campaign: cmd.campaign,
        kind: cmd.kind,
        title: cmd.title,
        scope: cmd.scope,
        launchedOn: cmd.launchedOn
      })
    ]
  })

export const receiveSupplies = (cmd: Commands.ReceiveSupplies, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    yield* openOn(cmd.campaign, state, "receivedOn", cmd.receivedOn, context)
    return [
      new SuppliesReceived({
        campaign: cmd.campaign,
        item: cmd.item,
        quantity: cmd.quantity,
        source: cmd.source,
        receivedOn: cmd.receivedOn
      })
    ]
  })

/**
 * Never more of an item handed out than the campaign received of it, only to registered recipients, and by a
 * worker on post at the station named that day.
 */
export const distributeSupplies = (cmd: Commands.DistributeSupplies, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    const campaign = yield* fieldWork(cmd, state, "distributedOn", cmd.distributedOn, context, cmd)
    const onHand = State.onHand(campaign, cmd.item)
    if (cmd.quantity > onHand) {
      return yield* Result.fail(StockInsufficient({ item: cmd.item, requested: cmd.quantity, onHand }))
    }
    return [
      new SuppliesDistributed({
        campaign: cmd.campaign,
        item: cmd.item,
        quantity: cmd.quantity,
        person: cmd.person,
        household: cmd.household,
        village: cmd.village,
        distributedOn: cmd.distributedOn,
        worker: cmd.worker,
        station: cmd.station
      })
    ]
  })

/**
 * A campaign visit to a registered recipient by a worker on post at the station named that day; the same
 * person on the same day is one visit.
 */
export const visitRecipient = (cmd: Commands.VisitRecipient, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    const campaign = yield* fieldWork(cmd, state, "visitedOn", cmd.visitedOn, context, cmd)
    if (campaign.visited.has(State.visitKey(cmd.person, cmd.visitedOn))) return []
    return [
      new RecipientVisited({
        campaign: cmd.campaign,
        person: cmd.person,
        household: cmd.household,
        village: cmd.village,
        visitedOn: cmd.visitedOn,
        worker: cmd.worker,
        station: cmd.station,
        ...(cmd.visit === undefined ? {} : { visit: cmd.visit })
      })
    ]
  })

/**
 * People helped to move are often not on file (受灾群众): no registration is required. The worker helping is
 * on post at the station named that day.
 */
export const assistRelocation = (cmd: Commands.AssistRelocation, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    yield* fieldWork(cmd, state, "assistedOn", cmd.assistedOn, context)
    return [
      new RelocationAssisted({
        campaign: cmd.campaign,
        person: cmd.person,
        household: cmd.household,
        fromVillage: cmd.fromVillage,
        toPlace: cmd.toPlace,
        assistedOn: cmd.assistedOn,
        worker: cmd.worker,
        station: cmd.station
      })
    ]
  })

export const closeCampaign = (cmd: Commands.CloseCampaign, state: State.State, context: Context): Decision =>
  Result.gen(function* () {
    if (state._tag === "Closed") return []
    yield* openOn(cmd.campaign, state, "closedOn", cmd.closedOn, context)
    return [new CampaignClosed({ campaign: cmd.campaign, closedOn: cmd.closedOn })]
  })

/** What each relief command does for a recipient who withdrew consent to processing (shared/Consent.ts). */
export const afterWithdrawal: AfterWithdrawalOf<Commands.Command["_tag"]> = {
  LaunchCampaign: { _tag: "Runs", why: "names no one" },
  ReceiveSupplies: { _tag: "Runs", why: "names no one" },
  DistributeSupplies: {
    _tag: "RefusedUnless",
    unless: `the campaign is an emergency (${emergencyKinds.join(", ")})`,
    why: "relief in a cold snap or a flood protects life and health in an emergency: art. 13(4)"
  },
  VisitRecipient: {
    _tag: "RefusedUnless",
    unless: `the campaign is an emergency (${emergencyKinds.join(", ")})`,
    why: "relief in a cold snap or a flood protects life and health in an emergency: art. 13(4)"
  },
  AssistRelocation: {
    _tag: "Runs",
    why: "helping people out of a disaster is an emergency, art. 13(4); those helped need not be on file"
  },
  CloseCampaign: { _tag: "Runs", why: "names no one" }
}

export const decide = (command: Commands.Command, state: State.State, context: Context): Decision => {
  switch (command._tag) {
    case "LaunchCampaign":
      return launchCampaign(command, state, context)
    case "ReceiveSupplies":
      return receiveSupplies(command, state, context)
    case "DistributeSupplies":
      return distributeSupplies(command, state, context)
    case "VisitRecipient":
      return visitRecipient(command, state, context)
    case "AssistRelocation":
      return assistRelocation(command, state, context)
    case "CloseCampaign":
      return closeCampaign(command, state, context)
  }
}

export const decider = Decider.make<Commands.Command, Event, State.State, Context>({
  initialState: State.initial,
  evolve: State.evolve,
  decide
})
