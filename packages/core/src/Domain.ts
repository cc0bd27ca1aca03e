import {
  CommandHandler,
  type Envelope,
  Erasure,
  EventCodec,
  type EventStore,
  type IdGenerator,
  InvalidCommand,
  type Rule
} from "@shuangbai/eventsourcing"
import { Effect, type Schema } from "effect"
import * as Activities from "./activities/index.ts"
import * as Casework from "./casework/index.ts"
import * as Recruitment from "./recruitment/index.ts"
import * as Registry from "./registry/index.ts"
import * as Relief from "./relief/index.ts"
import type { AfterWithdrawal } from "./shared/Consent.ts"
import type { Label, Labels } from "./shared/Labels.ts"
import * as Stations from "./stations/index.ts"
import * as Training from "./training/index.ts"
import * as Visits from "./visits/index.ts"
import * as Workforce from "./workforce/index.ts"

// The whole domain as data: what a host app, a docs generator or a replay tool needs to treat every
// context alike — one codec for the whole log, one `handle` for every command, the labels and the rules.

/** Every event of every context. */
export type Event =
  | Registry.Events.Event
  | Visits.Events.Event
  | Stations.Events.Event
  | Workforce.Events.Event
  | Recruitment.Events.Event
  | Casework.Events.Event
  | Activities.Events.Event
  | Relief.Events.Event
  | Training.Events.Event
  /** An erasure of a data subject (kernel `Erasure`): in the tenant's own log, so that its chain covers it. */
  | Erasure.SubjectErased

/** Every command of the domain, decoded (the command classes). */
export type Command =
  | Registry.Commands.Command
  | Visits.Commands.Command
  | Stations.Commands.Command
  | Stations.Commands.CountyCommand
  | Workforce.Commands.Command
  | Recruitment.Commands.Command
  | Casework.Commands.Command
  | Activities.Commands.Command
  | Relief.Commands.Command
  | Training.Commands.Command

/**
 * Every command a host app sends through `handle`, as plain data (the encoded side of each context's command
 * Schema): `{ _tag: "RecordVisit", visit: "v-1", … }`. A misspelt tag or field is a compile error.
 */
export type CommandInput =
  | typeof Registry.Commands.Command.Encoded
  | typeof Visits.Commands.Command.Encoded
  | typeof Stations.Commands.Command.Encoded
  | typeof Stations.Commands.CountyCommand.Encoded
  | typeof Workforce.Commands.Command.Encoded
  | typeof Recruitment.Commands.Command.Encoded
  | typeof Casework.Commands.Command.Encoded
  | typeof Activities.Commands.Command.Encoded
  | typeof Relief.Commands.Command.Encoded
  | typeof Training.Commands.Command.Encoded

/** Commands (a union of tagged classes) and the handler that takes them. */
interface Route {
  readonly commands: Schema.Union<ReadonlyArray<Schema.Top & { readonly identifier: string }>>
  readonly handle: CommandHandler.Handle<any, unknown, CommandHandler.LoadError, EventStore.EventStore>
}

/** One bounded context, described for generic use. */
export interface Context {
  /** The folder and namespace name: `registry`, `visits`… */
  readonly name: string
  readonly title: Label
  /** The stream categories its events are written to. */
  readonly streams: ReadonlyArray<string>
  readonly codec: EventCodec.EventCodec<Event>
  /** The event types it owns (its codec's). */
  readonly events: ReadonlyArray<string>
  /** The command tags `handle` routes to it. */
  readonly commands: ReadonlyArray<string>
  readonly eventLabels: Labels<string>
  readonly commandLabels: Labels<string>
  /**
   * The rules its Decide.ts defines (`Rule.define`), the values a host branches on:
   * `Visits.Decide.VisitAlreadyConducted.is(error)`. Its Decide.ts also holds the decisions and the decider.
   */
  readonly rules: ReadonlyArray<Rule.Rule<any>>
  /**
   * What each command does for a person who withdrew consent to the processing of their data, for the
   * contexts whose commands name people on file (registry, visits, casework, activities, relief).
   */
  readonly afterWithdrawal?: Readonly<Record<string, AfterWithdrawal>>
}

const isRule = (value: unknown): value is Rule.Rule<any> =>
  typeof value === "function" && typeof (value as { code?: unknown }).code === "string" && "is" in value

/** The rules among a Decide module's exports (the rest are its decisions, decider and context types). */
const rulesOf = (module: Readonly<Record<string, unknown>>): ReadonlyArray<Rule.Rule<any>> =>
  Object.values(module).filter(isRule)

const context = (
  definition: Omit<Context, "events" | "commands" | "codec"> & {
    readonly codec: EventCodec.EventCodec<any>
    readonly routes: ReadonlyArray<Route>
  }
): Context & { readonly routes: ReadonlyArray<Route> } => ({
  ...definition,
  events: definition.codec.types,
  commands: definition.routes.flatMap((route) => route.commands.members.map((member) => member.identifier))
})

const definitions = [
  context({
    name: "registry",
    title: { "zh-CN": "服务对象建档", en: "household registry" },
    streams: [Registry.category],
    codec: Registry.codec,
    eventLabels: Registry.Labels.eventLabels,
    commandLabels: Registry.Labels.commandLabels,
    rules: rulesOf(Registry.Decide),
    afterWithdrawal: Registry.Decide.afterWithdrawal,
    routes: [{ commands: Registry.Commands.Command, handle: Registry.handle }]
  }),
  context({
    name: "visits",
    title: { "zh-CN": "入户探访", en: "home visits" },
    streams: [Visits.category],
    codec: Visits.codec,
    eventLabels: Visits.Labels.eventLabels,
    commandLabels: Visits.Labels.commandLabels,
    rules: rulesOf(Visits.Decide),
    afterWithdrawal: Visits.Decide.afterWithdrawal,
    routes: [{ commands: Visits.Commands.Command, handle: Visits.handle }]
  }),
  context({
    name: "stations",
    title: { "zh-CN": "社工站点", en: "stations" },
    streams: [Stations.category, Stations.countyCategory],
    codec: Stations.codec,
    eventLabels: Stations.Labels.eventLabels,
    commandLabels: Stations.Labels.commandLabels,
    rules: rulesOf(Stations.Decide),
    routes: [
      { commands: Stations.Commands.Command, handle: Stations.handle },
      { commands: Stations.Commands.CountyCommand, handle: Stations.handleCounty }
    ]
  }),
  context({
    name: "workforce",
    title: { "zh-CN": "社工队伍", en: "workforce" },
    streams: [Workforce.category, Workforce.quotaCategory],
    codec: Workforce.codec,
    eventLabels: Workforce.Labels.eventLabels,
    commandLabels: Workforce.Labels.commandLabels,
    rules: rulesOf(Workforce.Decide),
    // AllotPosts goes to the quota stream, the worker commands fill and free posts on the way (Workforce.handle).
    // FillPost and VacatePost are steps of those commands, not for host apps: see `steps` below.
    routes: [{ commands: Workforce.Commands.Command, handle: Workforce.handle }]
  }),
  context({
    name: "recruitment",
    title: { "zh-CN": "社工招聘", en: "recruitment" },
    streams: [Recruitment.category],
    codec: Recruitment.codec,
    eventLabels: Recruitment.Labels.eventLabels,
    commandLabels: Recruitment.Labels.commandLabels,
    rules: rulesOf(Recruitment.Decide),
    routes: [{ commands: Recruitment.Commands.Command, handle: Recruitment.handle }]
  }),
  context({
    name: "casework",
    title: { "zh-CN": "个案服务", en: "casework" },
    streams: [Casework.category],
    codec: Casework.codec,
    eventLabels: Casework.Labels.eventLabels,
    commandLabels: Casework.Labels.commandLabels,
    rules: rulesOf(Casework.Decide),
    afterWithdrawal: Casework.Decide.afterWithdrawal,
    routes: [{ commands: Casework.Commands.Command, handle: Casework.handle }]
  }),
  context({
    name: "activities",
    title: { "zh-CN": "社区活动", en: "activities" },
    streams: [Activities.category],
    codec: Activities.codec,
    eventLabels: Activities.Labels.eventLabels,
    commandLabels: Activities.Labels.commandLabels,
    rules: rulesOf(Activities.Decide),
    afterWithdrawal: Activities.Decide.afterWithdrawal,
    routes: [{ commands: Activities.Commands.Command, handle: Activities.handle }]
  }),
  context({
    name: "relief",
    title: { "zh-CN": "防灾救助", en: "relief campaigns" },
    streams: [Relief.category],
    codec: Relief.codec,
    eventLabels: Relief.Labels.eventLabels,
    commandLabels: Relief.Labels.commandLabels,
    rules: rulesOf(Relief.Decide),
    afterWithdrawal: Relief.Decide.afterWithdrawal,
    routes: [{ commands: Relief.Commands.Command, handle: Relief.handle }]
  }),
  context({
    name: "training",
    title: { "zh-CN": "培训、交流与宣传", en: "training, exchange and publicity" },
    streams: Training.categories,
    codec: Training.codec,
    eventLabels: Training.Labels.eventLabels,
    commandLabels: Training.Labels.commandLabels,
    rules: rulesOf(Training.Decide),
    routes: [{ commands: Training.Commands.Command, handle: Training.handle }]
  })
]

/** The contexts, in the order the domain is usually told: who is served, then who serves them. */
export const contexts: ReadonlyArray<Context> = definitions.map(({ routes: _routes, ...rest }) => rest)

/**
 * One codec for the whole log: decodes every event type of every context (what `readAll` returns). Types
 * are unique across contexts; a clash throws here, when the module loads.
 */
export const codec: EventCodec.EventCodec<Event> = EventCodec.combine(
  Registry.codec,
  Visits.codec,
  Stations.codec,
  Workforce.codec,
  Recruitment.codec,
  Casework.codec,
  Activities.codec,
  Relief.codec,
  Training.codec,
  Erasure.codec
)

/** The context that owns an event type, by type. */
export const contextOfEvent: ReadonlyMap<string, Context> = new Map(
  contexts.flatMap((c) => c.events.map((type) => [type, c] as const))
)

const routes = new Map<
  string,
  {
    readonly context: Context
    readonly handle: CommandHandler.Handle<unknown, unknown, CommandHandler.LoadError, EventStore.EventStore>
  }
>()
for (const definition of definitions) {
  const described = contexts.find((c) => c.name === definition.name)!
  for (const route of definition.routes) {
    for (const member of route.commands.members) {
      if (routes.has(member.identifier)) {
        throw new Error(`command ${member.identifier} is routed by two contexts`)
      }
      routes.set(member.identifier, { context: described, handle: CommandHandler.acceptUnknown(route.handle) })
    }
  }
}

/** Commands that are steps of others and never sent on their own, with the commands that take them. */
const steps: ReadonlyMap<string, string> = new Map([
  ["FillPost", "HireWorker or TransferWorker"],
  ["VacatePost", "TransferWorker or EndEmployment"]
])

/** The context `handle` sends a command tag to, if any. */
export const contextOfCommand = (tag: string): Context | undefined => routes.get(tag)?.context

const tagOf = (input: unknown): string | undefined =>
  typeof input === "object" && input !== null && "_tag" in input && typeof input._tag === "string"
    ? input._tag
    : undefined

/**
 * Sends any command of the domain: `handle(tenant, { _tag: "RecordVisit", … }, { actor, commandId })` goes
 * to the context that owns the tag (stations' county settings to `handleCounty`, posts and workers through
 * workforce's `handle`). The command is typed (`CommandInput`); input not checked at compile time (a
 * request body) goes through `handleUnknown`.
 */
export const handle = (
  tenant: Envelope.Tenant,
  command: CommandInput,
  metadata: CommandHandler.CommandMetadata
): Effect.Effect<
  CommandHandler.Handled<unknown>,
  CommandHandler.HandleError,
  EventStore.EventStore | IdGenerator.IdGenerator
> => handleUnknown(tenant, command, metadata)

/**
 * `handle` for input not checked at compile time (a request body, a queue message): the same route, with
 * every check at run time. A tag no context owns, or a value that is not an object with a string `_tag`,
 * fails with InvalidCommand naming it; a malformed command fails with InvalidCommand naming each field,
 * before anything is read.
 */
export const handleUnknown = (
  tenant: Envelope.Tenant,
  input: unknown,
  metadata: CommandHandler.CommandMetadata
): Effect.Effect<
  CommandHandler.Handled<unknown>,
  CommandHandler.HandleError,
  EventStore.EventStore | IdGenerator.IdGenerator
> => {
  const tag = tagOf(input)
  const route = tag === undefined ? undefined : routes.get(tag)
  if (route !== undefined) return route.handle(tenant, input, metadata)
  const step = tag === undefined ? undefined : steps.get(tag)
  const message =
    tag === undefined
      ? "a command is an object with a string _tag"
      : step !== undefined
        ? `${tag} is a step of ${step}, which records it: send that command instead`
        : `unknown command ${tag}`
  return Effect.fail(new InvalidCommand({ command: tag ?? "command", issues: [{ path: "_tag", message }] }))
}
