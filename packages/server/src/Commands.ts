import {
  Activities,
  Casework,
  Domain,
  Recruitment,
  Registry,
  Relief,
  Stations,
  Training,
  Visits,
  Workforce
} from "@shuangbai/core"
import type { Schema } from "effect"

// Which commands the API offers and where: Domain routes every command to its context, the contexts'
// Commands modules give their Schemas (for the OpenAPI document). A route Domain does not know, or a
// Domain command without a Schema here, throws when the module loads.

type CommandSchema = Schema.Top & { readonly identifier: string }

const unions: ReadonlyArray<{ readonly members: ReadonlyArray<CommandSchema> }> = [
  Registry.Commands.Command,
  Visits.Commands.Command,
  Stations.Commands.Command,
  Stations.Commands.CountyCommand,
  Workforce.Commands.Command,
  Recruitment.Commands.Command,
  Casework.Commands.Command,
  Activities.Commands.Command,
  Relief.Commands.Command,
  Training.Commands.Command
]

export interface CommandRoute {
  /** The command's tag, also the last segment of its path. */
  readonly tag: string
  /** The context that owns it (Domain.contextOfCommand). */
  readonly context: Domain.Context
  /** `/commands/<context>/<tag>` */
  readonly path: `/${string}`
  readonly schema: CommandSchema
}

const schemas = new Map(unions.flatMap((union) => union.members.map((member) => [member.identifier, member] as const)))

/** Every command a client may send, in the order of Domain.contexts. */
export const routes: ReadonlyArray<CommandRoute> = Domain.contexts.flatMap((context) =>
  context.commands.map((tag) => {
    const schema = schemas.get(tag)
    if (schema === undefined) throw new Error(`command ${tag} of ${context.name} has no Schema in the server's list`)
    return { tag, context, path: `/commands/${context.name}/${tag}`, schema }
  })
)

for (const tag of schemas.keys()) {
  if (Domain.contextOfCommand(tag) === undefined) throw new Error(`command ${tag} is not routed by Domain`)
}

export const byTag: ReadonlyMap<string, CommandRoute> = new Map(routes.map((route) => [route.tag, route]))
