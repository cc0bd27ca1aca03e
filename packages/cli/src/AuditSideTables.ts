import type { Access } from "@shuangbai/core"
import type { Audit, CommandHandler, EventStoreError } from "@shuangbai/eventsourcing"
import { SideTables } from "@shuangbai/postgres"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { flags as common, onStore, purpose } from "./Common.ts"
import { type CliFailure, fail } from "./Failure.ts"
import * as Principal from "./Principal.ts"
import * as Store from "./Store.ts"

// `shuangbai audit side-tables [--rebuild]`: SideTables.verify and SideTables.rebuild of packages/postgres
// (docs/audit.md, "Side tables"). Each disagreeing row is printed on stdout, one line each, so that a
// script or a person sees every one; the exit code says whether there were any.

/** One disagreement as a line: table, problem, the row, and for Differs what the events say it should be. */
export const line = (d: SideTables.Disagreement): string =>
  `${d.table} ${d.problem} ${JSON.stringify(d.row)}${d.expected === undefined ? "" : ` expected ${JSON.stringify(d.expected)}`}`

/** What stops the command (Main.toFailure gives each its exit code). */
type Failure =
  | CliFailure
  | Access.AccessDenied
  | Access.AccessLog.MissingPurpose
  | CommandHandler.LoadError
  | Audit.ChainBroken
  | EventStoreError

export const command = Command.make(
  "side-tables",
  {
    ...common,
    rebuild: Flag.Boolean("rebuild").pipe(
      Flag.withDescription(
        "Derive subjects, commands, streams and heads again from the events (SideTables.rebuild, the administrator's), then check them. Refused, changing nothing, if the events do not verify as a chain."
      ),
      Flag.withDefault(false)
    ),
    purpose
  },
  (flags): Effect.Effect<void, Failure> =>
    onStore(flags, (target) =>
      Effect.gen(function* () {
        const tenant = yield* Store.knownTenant(flags.tenant)
        const principal = yield* Principal.of(flags, tenant)
        if (flags.rebuild) yield* Principal.authorizeRebuild(principal)
        // both walk every event
        yield* Principal.authorizeLog(principal, Option.getOrUndefined(flags.purpose))
        const options = { schema: target.schema }
        if (flags.rebuild) {
          const rebuilt = yield* SideTables.rebuild(tenant, options)
          yield* Console.log(
            `rebuilt the side tables of ${tenant} from ${rebuilt.events.toLocaleString("en-US")} events (${rebuilt.commands.toLocaleString("en-US")} commands)`
          )
        }
        const verified = yield* SideTables.verify(tenant, options).pipe(
          Effect.catchTag("SideTablesDisagree", (error) =>
            Effect.andThen(
              Effect.sync(() => process.stdout.write(error.disagreements.map((d) => `${line(d)}\n`).join(""))),
              Effect.fail(
                fail(
                  "SideTablesDisagree",
                  `${error.disagreements.length} rows of the side tables of ${tenant} disagree with its events (listed on stdout): check the log against its anchors (\`shuangbai audit verify --anchors\`), then \`shuangbai audit side-tables --rebuild\` derives them again`
                )
              )
            )
          )
        )
        yield* Console.log(
          `the side tables of ${tenant} agree with its ${verified.checked.toLocaleString("en-US")} events: subjects, commands, streams, heads`
        )
      })
    )
).pipe(
  Command.withShortDescription("Check (or rebuild) subjects, commands, streams and heads against the events"),
  Command.withDescription(
    "Walks the tenant's events, checking the chain, derives the side tables beside them (subjects, commands, streams, heads) and compares them with the stored rows (SideTables.verify): exit 0 when they agree; otherwise every disagreeing row on stdout, `<table> <Missing|Extra|Differs> <row>[ expected <row>]`, and exit 15. With --rebuild (the administrator's) it first derives them again in one transaction that holds the tenant's head lock (SideTables.rebuild). Events that do not verify as a chain exit 9 and nothing is rebuilt. It reads every event: --purpose is required and recorded in the access log."
  ),
  Command.withExamples([
    { command: 'shuangbai audit side-tables --tenant yangshan --purpose "monthly audit"' },
    {
      command: 'shuangbai audit side-tables --tenant yangshan --rebuild --purpose "repair after audit finding 12"',
      description: "after `audit verify --anchors` passed"
    }
  ])
)
