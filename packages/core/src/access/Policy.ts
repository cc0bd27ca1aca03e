import { type Envelope, StreamId } from "@shuangbai/eventsourcing"
import { Result, type Schema } from "effect"
import * as Activities from "../activities/index.ts"
import * as Casework from "../casework/index.ts"
import type * as Domain from "../Domain.ts"
import * as Recruitment from "../recruitment/index.ts"
import * as Registry from "../registry/index.ts"
import * as Relief from "../relief/index.ts"
import * as Stations from "../stations/index.ts"
import * as Training from "../training/index.ts"
import * as Visits from "../visits/index.ts"
import * as Workforce from "../workforce/index.ts"
import { type AccessDenied, deny, Refusals } from "./AccessDenied.ts"
import { type Principal, type Role, stationRoles } from "./Principal.ts"
import { describe, type Read } from "./Read.ts"

// The policy as data: who may send each command of the domain and who may make each read, and, for the
// roles that act for one station, what the command or read is about. Deciding is pure: the facts it needs
// from the store (which station a household, visit, case or activity belongs to; where a worker is on
// post today) are loaded by Access.handle and Access.authorizeRead (Facts.ts) and passed in.

// ---- what a decision is about, and the facts it needs ----------------------------------------------

/** What a command or a read is about, read from it alone. */
export interface Targets {
  /** Stations it names: station staff must name their own. */
  readonly stations: ReadonlyArray<string>
  /** Streams whose station must be their own (a household, visit, case, activity, worker): loaded. */
  readonly subjects: ReadonlyArray<StreamId.StreamId>
  /** Workers whose work it records: a worker records only their own. */
  readonly workers: ReadonlyArray<string>
  /** It covers the whole county: station staff read their station only. */
  readonly county: boolean
}

const about = (targets: Partial<Targets> = {}): Targets => ({
  stations: targets.stations ?? [],
  subjects: targets.subjects ?? [],
  workers: targets.workers ?? [],
  county: targets.county ?? false
})

/** What the store says, for the decisions of station staff. */
export interface Facts {
  /**
   * The station each subject belongs to, keyed by `StreamId.format` (`household/h-001`); null when the
   * store has no such subject yet (the command's own rules refuse what needs one). A subject missing
   * from the map was not loaded, and station staff are refused.
   */
  readonly owners: ReadonlyMap<string, string | null>
  /** The station the principal, as a worker, is on post at today; undefined when not on post. */
  readonly onPost: string | undefined
}

/** A command is decided for the tenant it is sent to (Access.handle sends it to the principal's). */
export interface CommandFacts extends Facts {
  readonly tenant: Envelope.Tenant
}

/** Facts for a decision that needs none (tenant-wide roles), or before anything is loaded. */
export const noFacts: Facts = { owners: new Map(), onPost: undefined }

// ---- commands ---------------------------------------------------------------------------------------

/** Every command tag a host sends through `Domain.handle`. */
export type CommandTag = Domain.Command["_tag"]
export type CommandOf<T extends CommandTag> = Extract<Domain.Command, { readonly _tag: T }>

/** Who may send a command, and what it is about. */
export interface CommandRule<C> {
  readonly roles: ReadonlyArray<Role>
  /** Decodes the command, so that its targets are read from checked fields. */
  readonly schema: Schema.Codec<C, any, never, never>
  readonly targets: (command: C) => Targets
}

/** Field work for a station's households: its workers on post (their own work) and its lead. */
const field = <C>(schema: Schema.Codec<C, any, never, never>, targets: (command: C) => Partial<Targets>) => ({
  roles: ["worker", "stationLead"] as ReadonlyArray<Role>,
  schema,
  targets: (command: C) => about(targets(command))
})
/** A decision for the station's lead alone. */
const lead = <C>(schema: Schema.Codec<C, any, never, never>, targets: (command: C) => Partial<Targets>) => ({
  roles: ["stationLead"] as ReadonlyArray<Role>,
  schema,
  targets: (command: C) => about(targets(command))
})
/** The county's own business: stations, posts, recruitment, training, campaigns. */
const county = <C>(schema: Schema.Codec<C, any, never, never>): CommandRule<C> => ({
  roles: ["bureau"],
  schema,
  targets: () => about()
})
/** The tenant's configuration. */
const configuration = <C>(schema: Schema.Codec<C, any, never, never>): CommandRule<C> => ({
  roles: ["admin"],
  schema,
  targets: () => about()
})

const household = (id: string) => Registry.streamOf(id as Registry.Commands.AddMember["household"])
const visit = (id: string) => Visits.streamOf(id as Visits.Commands.SkipVisit["visit"])
const caseStream = (id: string) => Casework.streamOf(id as Casework.Commands.CloseCase["case"])
const activity = (id: string) => Activities.streamOf(id as Activities.Commands.CancelActivity["activity"])

const R = Registry.Commands
const V = Visits.Commands
const S = Stations.Commands
const W = Workforce.Commands
const H = Recruitment.Commands
const C = Casework.Commands
const A = Activities.Commands
const F = Relief.Commands
const T = Training.Commands

/**
 * Every command of the domain, by tag. A command added to a context without an entry here fails to
 * compile (the keys are `Domain.Command`'s tags), and Policy.test.ts checks the tags against
 * `Domain.contexts`. No entry names the auditor: an auditor writes nothing.
 */
export const commandRules: { readonly [T in CommandTag]: CommandRule<CommandOf<T>> } = {
  // registry: a station's households
  RegisterHousehold: field(R.RegisterHousehold, (c) => ({ stations: [c.station], subjects: [household(c.household)] })),
  AddMember: field(R.AddMember, (c) => ({ subjects: [household(c.household)] })),
  RemoveMember: field(R.RemoveMember, (c) => ({ subjects: [household(c.household)] })),
  AssignCategory: field(R.AssignCategory, (c) => ({ subjects: [household(c.household)] })),
  RevokeCategory: field(R.RevokeCategory, (c) => ({ subjects: [household(c.household)] })),
  RecordConsent: field(R.RecordConsent, (c) => ({ subjects: [household(c.household)] })),
  WithdrawConsent: field(R.WithdrawConsent, (c) => ({ subjects: [household(c.household)] })),
  AssessRisk: field(R.AssessRisk, (c) => ({ subjects: [household(c.household)], workers: [c.assessedBy] })),
  ArchiveHousehold: field(R.ArchiveHousehold, (c) => ({ subjects: [household(c.household)] })),
  // visits
  ScheduleVisit: field(V.ScheduleVisit, (c) => ({
    stations: [c.station],
    subjects: [household(c.household), visit(c.visit)],
    workers: [c.worker]
  })),
  RecordVisit: field(V.RecordVisit, (c) => ({
    stations: [c.station],
    subjects: [household(c.household), visit(c.visit)],
    workers: [c.worker]
  })),
  SkipVisit: field(V.SkipVisit, (c) => ({ subjects: [visit(c.visit)] })),
  AmendVisit: field(V.AmendVisit, (c) => ({ subjects: [visit(c.visit)] })),
  VoidVisit: field(V.VoidVisit, (c) => ({ subjects: [visit(c.visit)] })),
  // stations and the county
  EstablishStation: county(S.EstablishStation),
  OpenServicePoint: county(S.OpenServicePoint),
  CloseServicePoint: county(S.CloseServicePoint),
  CloseStation: county(S.CloseStation),
  ConfigureCounty: configuration(S.ConfigureCounty),
  // workforce
  AllotPosts: county(W.AllotPosts),
  HireWorker: county(W.HireWorker),
  TransferWorker: county(W.TransferWorker),
  EndEmployment: county(W.EndEmployment),
  // recruitment
  OpenDrive: county(H.OpenDrive),
  ReceiveApplication: county(H.ReceiveApplication),
  ShortlistApplicant: county(H.ShortlistApplicant),
  RejectApplicant: county(H.RejectApplicant),
  MakeOffer: county(H.MakeOffer),
  AcceptOffer: county(H.AcceptOffer),
  DeclineOffer: county(H.DeclineOffer),
  HireApplicant: county(H.HireApplicant),
  CloseDrive: county(H.CloseDrive),
  // casework: a case belongs to the station that holds it now (a transfer moves it)
  OpenCase: field(C.OpenCase, (c) => ({
    stations: [c.station],
    subjects: [household(c.household)],
    workers: [c.worker]
  })),
  RecordAssessment: field(C.RecordAssessment, (c) => ({ subjects: [caseStream(c.case)] })),
  RecordPlan: field(C.RecordPlan, (c) => ({ subjects: [caseStream(c.case)] })),
  DeliverService: field(C.DeliverService, (c) => ({ subjects: [caseStream(c.case)] })),
  MakeReferral: field(C.MakeReferral, (c) => ({ subjects: [caseStream(c.case)] })),
  AcceptReferral: field(C.AcceptReferral, (c) => ({ subjects: [caseStream(c.case)] })),
  RejectReferral: field(C.RejectReferral, (c) => ({ subjects: [caseStream(c.case)] })),
  RecordFollowUp: field(C.RecordFollowUp, (c) => ({ subjects: [caseStream(c.case)] })),
  RecordEvaluation: field(C.RecordEvaluation, (c) => ({ subjects: [caseStream(c.case)] })),
  CloseCase: field(C.CloseCase, (c) => ({ subjects: [caseStream(c.case)] })),
  ReopenCase: field(C.ReopenCase, (c) => ({ subjects: [caseStream(c.case)] })),
  // handing a case to another worker or station is the lead's decision, for a case of their station
  TransferCase: lead(C.TransferCase, (c) => ({ subjects: [caseStream(c.case)] })),
  // activities
  PlanActivity: field(A.PlanActivity, (c) => ({ stations: [c.station], subjects: [activity(c.activity)] })),
  RecordActivity: field(A.RecordActivity, (c) => ({ subjects: [activity(c.activity)] })),
  CancelActivity: field(A.CancelActivity, (c) => ({ subjects: [activity(c.activity)] })),
  // relief: the bureau runs a campaign, the stations do its field work
  LaunchCampaign: county(F.LaunchCampaign),
  ReceiveSupplies: county(F.ReceiveSupplies),
  DistributeSupplies: field(F.DistributeSupplies, (c) => ({
    stations: [c.station],
    subjects: [household(c.household)],
    workers: [c.worker]
  })),
  VisitRecipient: field(F.VisitRecipient, (c) => ({
    stations: [c.station],
    subjects: c.visit === undefined ? [household(c.household)] : [household(c.household), visit(c.visit)],
    workers: [c.worker]
  })),
  AssistRelocation: field(F.AssistRelocation, (c) => ({
    stations: [c.station],
    subjects: [household(c.household)],
    workers: [c.worker]
  })),
  CloseCampaign: county(F.CloseCampaign),
  // training, exchange and publicity
  RecordCourse: county(T.RecordCourse),
  RecordExchangeVisit: county(T.RecordExchangeVisit),
  RecordPrintRun: county(T.RecordPrintRun)
}

/** The rule for a command tag, if the policy has one. */
export const commandRule = (tag: string): CommandRule<Domain.Command> | undefined =>
  Object.hasOwn(commandRules, tag) ? (commandRules[tag as CommandTag] as CommandRule<Domain.Command>) : undefined

// ---- reads ------------------------------------------------------------------------------------------

export type ReadTag = Read["_tag"]
type ReadOf<T extends ReadTag> = Extract<Read, { readonly _tag: T }>

export interface ReadRule<R> {
  readonly roles: ReadonlyArray<Role>
  readonly targets: (read: R) => Targets
}

/** A report of one station, or of the county when none is named. */
const stationOrCounty = (read: { readonly station?: string }): Targets =>
  read.station === undefined ? about({ county: true }) : about({ stations: [read.station] })

/**
 * Who may read each stream category, and whether the stream belongs to a station (its station is loaded
 * and station staff read their own only). A worker reads their own worker stream only. A category not
 * listed (none of the domain's: Policy.test.ts checks) is the auditor's alone.
 */
export const streamRules: Readonly<Record<string, { readonly roles: ReadonlyArray<Role>; readonly owned: boolean }>> = {
  [Registry.category]: { roles: ["worker", "stationLead", "auditor"], owned: true },
  [Visits.category]: { roles: ["worker", "stationLead", "auditor"], owned: true },
  [Casework.category]: { roles: ["worker", "stationLead", "auditor"], owned: true },
  [Activities.category]: { roles: ["worker", "stationLead", "auditor"], owned: true },
  [Workforce.category]: { roles: ["worker", "stationLead", "bureau", "auditor"], owned: true },
  [Workforce.quotaCategory]: { roles: ["stationLead", "bureau", "auditor", "admin"], owned: false },
  [Stations.category]: { roles: ["bureau", "auditor", "admin"], owned: false },
  [Stations.countyCategory]: { roles: ["bureau", "auditor", "admin"], owned: false },
  [Recruitment.category]: { roles: ["bureau", "auditor"], owned: false },
  [Relief.category]: { roles: ["bureau", "auditor"], owned: false },
  ...Object.fromEntries(Training.categories.map((c) => [c, { roles: ["bureau", "auditor"] as const, owned: false }]))
}

/** The categories whose streams belong to a station, and so need their station loaded. */
export const ownedCategories = [
  Registry.category,
  Visits.category,
  Casework.category,
  Activities.category,
  Workforce.category
] as const
export type OwnedCategory = (typeof ownedCategories)[number]

const auditorOnly = { roles: ["auditor"] as ReadonlyArray<Role>, owned: false }

const streamRule = (stream: StreamId.StreamId): ReadRule<ReadOf<"Stream">> => {
  const rule = Object.hasOwn(streamRules, stream.category) ? streamRules[stream.category]! : auditorOnly
  return {
    roles: rule.roles,
    targets: () =>
      about({
        subjects: rule.owned ? [stream] : [],
        // a post quota's stream id is its station's
        stations: stream.category === Workforce.quotaCategory ? [stream.id] : [],
        workers: stream.category === Workforce.category ? [stream.id] : []
      })
  }
}

/**
 * Every read but a stream's (`streamRules`). Bureau staff read the county's figures and its oversight
 * reports (visit schedule, caseloads), never a household's file; the administrator reads the county's
 * figures and its configuration, no report that names a household or a person.
 */
export const readRules: { readonly [T in Exclude<ReadTag, "Stream">]: ReadRule<ReadOf<T>> } = {
  CountyDashboard: { roles: ["bureau", "auditor", "admin"], targets: () => about({ county: true }) },
  StationDashboard: {
    roles: ["worker", "stationLead", "bureau", "auditor", "admin"],
    targets: (r) => about({ stations: [r.station] })
  },
  VisitSchedule: { roles: ["worker", "stationLead", "bureau", "auditor"], targets: stationOrCounty },
  WorkerCaseloads: { roles: ["stationLead", "bureau", "auditor"], targets: stationOrCounty },
  RecruitmentStatus: { roles: ["bureau", "auditor", "admin"], targets: () => about({ county: true }) },
  TrainingParticipation: { roles: ["bureau", "auditor", "admin"], targets: () => about({ county: true }) },
  HouseholdHistory: {
    roles: ["worker", "stationLead", "auditor"],
    targets: (r) => about({ subjects: [household(r.household)] })
  },
  Log: { roles: ["auditor"], targets: () => about({ county: true }) },
  AccessLog: { roles: ["auditor"], targets: () => about({ county: true }) }
}

export const readRule = (read: Read): ReadRule<Read> =>
  read._tag === "Stream" ? (streamRule(read.stream) as ReadRule<Read>) : (readRules[read._tag] as ReadRule<Read>)

// ---- deciding ---------------------------------------------------------------------------------------

/** Why a station role may not, or undefined when it may. */
const stationCheck = (
  principal: Principal,
  role: Role,
  targets: Targets,
  facts: Facts,
  what: string
): AccessDenied | undefined => {
  const no = <D>(rule: Parameters<typeof deny<D>>[0], details: D) => deny(rule, details, principal.id, what)
  const own = principal.station
  if (own === undefined) return no(Refusals.NoStationAssigned, { role })
  if (targets.county) return no(Refusals.StationNotNamed, { station: own })
  if (role === "worker" && facts.onPost !== own) {
    return no(Refusals.NotOnPost, { station: own, onPost: facts.onPost })
  }
  for (const station of targets.stations) {
    if (station !== own) return no(Refusals.OtherStation, { subject: `station ${station}`, station, own })
  }
  for (const subject of targets.subjects) {
    const key = StreamId.format(subject)
    if (!facts.owners.has(key)) return no(Refusals.FactsNotLoaded, { subject: key })
    const station = facts.owners.get(key)
    if (station !== null && station !== undefined && station !== own) {
      return no(Refusals.OtherStation, { subject: key, station, own })
    }
  }
  if (role === "worker") {
    for (const worker of targets.workers) {
      if (worker !== principal.id) return no(Refusals.OtherWorkersWork, { worker })
    }
  }
  return undefined
}

/**
 * The one decision behind commands and reads: another tenant is refused first; then the first of the
 * principal's roles that the rule allows and whose conditions hold grants, and is the role recorded.
 */
const decide = (
  principal: Principal,
  tenant: string,
  what: string,
  rule: { readonly roles: ReadonlyArray<Role> },
  targets: () => Targets,
  facts: Facts
): Result.Result<Role, AccessDenied> => {
  if (tenant !== principal.tenant) {
    return Result.fail(deny(Refusals.OtherTenant, { tenant, own: principal.tenant }, principal.id, what))
  }
  const permitted = principal.roles.filter((role) => rule.roles.includes(role))
  if (permitted.length === 0) {
    const allowed = rule.roles.length === 0 ? "none" : rule.roles.join(", ")
    return Result.fail(deny(Refusals.RoleNotPermitted, { allowed }, principal.id, what))
  }
  let first: AccessDenied | undefined
  for (const role of permitted) {
    const refused = stationRoles.has(role) ? stationCheck(principal, role, targets(), facts, what) : undefined
    if (refused === undefined) return Result.succeed(role)
    first ??= refused
  }
  return Result.fail(first!)
}

/**
 * May the principal send this command (decoded) to `facts.tenant`? Succeeds with the role that grants
 * it: the role Access.handle records as the actor's. Total: a tag the policy does not know is refused.
 */
export const decideCommand = (
  principal: Principal,
  command: { readonly _tag: string },
  facts: CommandFacts
): Result.Result<Role, AccessDenied> => {
  const rule = commandRule(command._tag)
  if (rule === undefined) {
    return Result.fail(deny(Refusals.NoPolicy, {}, principal.id, command._tag))
  }
  return decide(principal, facts.tenant, command._tag, rule, () => rule.targets(command as Domain.Command), facts)
}

/** May the principal make this read? Succeeds with the role that grants it. */
export const decideRead = (principal: Principal, read: Read, facts: Facts): Result.Result<Role, AccessDenied> => {
  const rule = readRule(read)
  return decide(principal, read.tenant, describe(read), rule, () => rule.targets(read), facts)
}

/**
 * Who may erase a data subject (crypto-shredding, PIPL art. 47): the tenant's `admin` alone, the role that
 * answers for the tenant's data; an erasure is irreversible, so no station role and not the auditor.
 */
export const erasureRule: { readonly roles: ReadonlyArray<Role> } = { roles: ["admin"] }

/** May the principal erase a subject of `tenant`? Succeeds with the role recorded as the erasure's actor. */
export const decideErasure = (
  principal: Principal,
  tenant: string,
  subject: string
): Result.Result<Role, AccessDenied> =>
  decide(principal, tenant, `erase ${subject}`, erasureRule, () => about(), noFacts)

/** The targets of a decoded command, for the loader (Facts.ts). */
export const targetsOfCommand = (command: { readonly _tag: string }): Targets =>
  commandRule(command._tag)?.targets(command as Domain.Command) ?? about()
