import { Access, Reports, type Shared } from "@shuangbai/core"
import { Anchor, Audit, Erasure, EventStore, Scalars } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Clock, Console, Effect, Layer, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as AuditBundle from "./AuditBundle.ts"
import * as AuditSideTables from "./AuditSideTables.ts"
import { anchorsFlag, flags as common, onStore, publicKeyFlag, purpose } from "./Common.ts"
import * as Exchange from "./Exchange.ts"
import { type CliFailure, fail } from "./Failure.ts"
import * as Log from "./Log.ts"
import * as Principal from "./Principal.ts"
import * as Progress from "./Progress.ts"
import * as Report from "./Report.ts"
import * as Store from "./Store.ts"

// The `shuangbai` command. Every subcommand takes the common flags (Common.flags: the store, `--tenant`
// and the principal); docs/cli.md is generated from these definitions (scripts/cli-docs.ts).

export const version = "0.1.0"

/** The bureaus' calendar day (China time). */
const today = Effect.map(Clock.currentTimeMillis, Scalars.chinaDateOf)

const cutText =
  "a position (1234: the log up to it) or a store instant (2024-08-08T16:00:00.000Z: what had been recorded by then)"

/** An --as-of text: Reports.Snapshot.parseAsOf, its error as BadDate. */
const parseAsOf = (text: string): Effect.Effect<Reports.Snapshot.AsOf, CliFailure> => {
  // a day that does not exist is refused as every date flag refuses it
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return Effect.map(Report.parseDate("--as-of", text), (day) => ({ bound: undefined, day }))
  }
  const parsed = Reports.Snapshot.parseAsOf(text)
  return Result.isSuccess(parsed)
    ? Effect.succeed(parsed.success)
    : Effect.fail(fail("BadDate", `--as-of ${parsed.failure}`))
}

/** An --as-of that cuts the log (history, export): a position or a store instant, never a day. */
const cutFlag = (what: string) =>
  Flag.String("as-of").pipe(
    Flag.withMetavar("WHEN"),
    Flag.withDescription(`The ${what} as it stood at ${cutText}.`),
    Flag.optional
  )

/** The cut an --as-of of `cutFlag` names, or none; a day is refused as BadDate naming the command. */
const parseCut = (asOf: Option.Option<string>, command: string) =>
  Effect.gen(function* () {
    if (Option.isNone(asOf)) return undefined
    const parsed = yield* parseAsOf(asOf.value)
    if (parsed.bound === undefined) {
      return yield* Effect.fail(fail("BadDate", `--as-of of ${command} is ${cutText}, not a day`))
    }
    return parsed
  })

/** The digest two auditors compare, on stderr so that standard output stays the report. */
const printDigest = (value: unknown, through: Reports.Snapshot.Through) =>
  Console.error(
    `sha256 ${Reports.Snapshot.digest(value)} (through position ${through.position}${through.recordedAt === undefined ? "" : `, recorded ${through.recordedAt}`})`
  )

const language = Flag.Literals("lang", ["zh-CN", "en"]).pipe(
  Flag.withDescription("Language of labels and headings."),
  Flag.withDefault("zh-CN" as const)
)

// ---- migrate ---------------------------------------------------------------------------------------------

const migrate = Command.make("migrate", common, (flags) =>
  onStore(
    flags,
    (target) =>
      Effect.gen(function* () {
        const ran = yield* PgEventStore.migrate(target.schema)
        yield* Console.log(
          ran.length === 0
            ? `${Store.describe(target)}: the event store is up to date`
            : `${Store.describe(target)}: ran ${ran.map(([id, name]) => `${id} ${name}`).join(", ")}`
        )
      }),
    { migrate: false }
  )
).pipe(
  Command.withShortDescription("Create or update the event store's tables"),
  Command.withDescription(
    "Creates the event store's schema and tables, or brings them up to date. Safe to run again: it runs only the migrations not yet run."
  ),
  Command.withExamples([
    { command: "shuangbai migrate --database-url postgres://postgres@127.0.0.1:5432/shuangbai" },
    { command: "shuangbai migrate --data-dir ./county-db", description: "the embedded database" }
  ])
)

// ---- serve -----------------------------------------------------------------------------------------------

const serve = Command.make(
  "serve",
  {
    ...common,
    port: Flag.Int("port").pipe(
      Flag.withDescription("TCP port to listen on (0: any free port)."),
      Flag.withDefault(8080)
    ),
    host: Flag.String("host").pipe(
      Flag.withDescription("Address to listen on (expose it deliberately)."),
      Flag.withDefault("127.0.0.1")
    ),
    apiKeys: Flag.String("api-keys").pipe(
      Flag.withDescription(
        "JSON file of API keys, each naming its principal (env SHUANGBAI_API_KEYS): the development authentication."
      ),
      Flag.withMetavar("FILE"),
      Flag.optional
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const target = yield* Store.target(flags)
      const Serve = yield* Effect.promise(() => import("./Serve.ts"))
      return yield* Serve.serve(target, {
        port: flags.port,
        host: flags.host,
        apiKeys: Option.getOrUndefined(flags.apiKeys)
      })
    })
).pipe(
  Command.withShortDescription("Serve the HTTP API"),
  Command.withDescription(
    "Serves the HTTP API of @shuangbai/server on the store until stopped (Ctrl-C ends live feeds, then lets commands in flight finish). --tenant is not used: each API key names its principal's tenant."
  ),
  Command.withExamples([{ command: "shuangbai serve --port 8080 --api-keys keys.json --data-dir ./county-db" }])
)

// ---- demo ------------------------------------------------------------------------------------------------

const demo = Command.make(
  "demo",
  {
    ...common,
    scale: Flag.Finite("scale").pipe(
      Flag.withDescription(
        "A smaller county, 0 < S ≤ 1 (1: the article's, some 73,000 commands; below 1 the article's figures are not expected)."
      ),
      Flag.withDefault(1)
    ),
    concurrency: Flag.Int("concurrency").pipe(
      Flag.withDescription("Commands in flight at once (concurrent appends share a commit)."),
      Flag.withDefault(64)
    )
  },
  (flags) =>
    Effect.gen(function* () {
      // the scenario is large: loaded only for this command
      const Demo = yield* Effect.promise(() => import("./Demo.ts"))
      const tenant = Option.getOrElse(flags.tenant, () => Demo.tenant)
      if (tenant !== Demo.tenant) {
        return yield* Effect.fail(fail("Usage", `the demo county is the tenant ${Demo.tenant}: leave out --tenant`))
      }
      if (!(flags.scale > 0 && flags.scale <= 1)) {
        return yield* Effect.fail(fail("Usage", `--scale takes a number above 0 and at most 1, not ${flags.scale}`))
      }
      if (flags.concurrency < 1) return yield* Effect.fail(fail("Usage", "--concurrency takes a whole number ≥ 1"))
      // as the administrator only, checked before the store is opened
      yield* Principal.authorizeDemo(yield* Principal.of(flags, tenant))
      yield* onStore(flags, (target) => Demo.run(target, { scale: flags.scale, concurrency: flags.concurrency }))
    })
).pipe(
  Command.withShortDescription("Build the Yangshan demo county and print its figures"),
  Command.withDescription(
    "Sends the commands of Yangshan county (examples/yangshan: the article's 13 stations, 2021 to 8 August 2024) to the store, then reads the log back and prints the dashboard beside the article's figures. A second run only reads back."
  ),
  Command.withExamples([
    { command: "shuangbai demo", description: "the whole county on ./.shuangbai (about a minute)" },
    { command: "shuangbai demo --scale 0.02 --data-dir /tmp/small", description: "a small county, seconds" }
  ])
)

// ---- report ----------------------------------------------------------------------------------------------

const report = Command.make(
  "report",
  {
    ...common,
    name: Argument.String("name").pipe(Argument.withDescription(`The report: ${Report.names.join(", ")}.`)),
    period: Flag.String("period").pipe(
      Flag.withMetavar("PERIOD"),
      Flag.withDescription("Period: YYYY, YYYY-H1, YYYY-H2, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD."),
      Flag.optional
    ),
    station: Flag.String("station").pipe(
      Flag.withMetavar("ID"),
      Flag.withDescription("Only this station."),
      Flag.optional
    ),
    asOf: Flag.String("as-of").pipe(
      Flag.withMetavar("WHEN"),
      Flag.withDescription(
        `The report's day, YYYY-MM-DD (default: today, China time), or ${cutText}, on that moment's day. The digest of the result is printed on stderr.`
      ),
      Flag.optional
    ),
    format: Flag.Literals("format", ["table", "json", "csv"]).pipe(
      Flag.withDescription("table for people, json or csv for programs and spreadsheets."),
      Flag.withDefault("table" as const)
    ),
    lang: language,
    purpose
  },
  (flags) =>
    Effect.gen(function* () {
      const definition = yield* Report.definition(flags.name)
      const asOf = Option.isSome(flags.asOf) ? yield* parseAsOf(flags.asOf.value) : { bound: undefined, day: undefined }
      const period = Option.isSome(flags.period) ? yield* Report.parsePeriod(flags.period.value) : undefined
      if (period !== undefined && !definition.period) {
        return yield* Effect.fail(fail("Usage", `report ${flags.name} takes no --period`))
      }
      const station = Option.getOrUndefined(flags.station)
      if (station !== undefined && !definition.station) {
        return yield* Effect.fail(fail("Usage", `report ${flags.name} takes no --station (try report stations)`))
      }
      yield* onStore(flags, () =>
        Effect.gen(function* () {
          const tenant = yield* Store.knownTenant(flags.tenant)
          yield* Principal.authorizeReport(
            yield* Principal.of(flags, tenant),
            flags.name,
            station,
            Option.getOrUndefined(flags.purpose)
          )
          // a cut's day is the day of its moment, so the same question gives the same report whenever asked
          const day = asOf.day ?? (yield* Reports.Snapshot.dayOf(tenant, asOf.bound)) ?? (yield* today)
          const request = { asOf: day, period, station, language: flags.lang }
          const prepared = definition.make({ ...request, format: flags.format })
          const { state, through } = yield* Log.fold(tenant, prepared.projection, flags.name, asOf.bound)
          yield* Effect.sync(() => process.stdout.write(prepared.render(state)))
          // the digest is of the report's JSON (what --format json prints), whatever the format
          const json = flags.format === "json" ? prepared : definition.make({ ...request, format: "json" })
          yield* printDigest(JSON.parse(json.render(state)), through)
        })
      )
    })
).pipe(
  Command.withShortDescription("Print a report: table, JSON or CSV, zh-CN or en"),
  Command.withDescription(
    `Folds the tenant's log into a report and prints it. The reports: ${Report.names.map((n) => `${n}, ${Report.definitions[n]!.description}`).join("; ")}.`
  ),
  Command.withExamples([
    { command: "shuangbai report county --tenant yangshan --as-of 2024-08-08 --lang en" },
    { command: "shuangbai report stations --tenant yangshan --station sgz-yangcheng --format csv" },
    { command: "shuangbai report training --tenant yangshan --period 2023 --format json" }
  ])
)

// ---- history ---------------------------------------------------------------------------------------------

const history = Command.make(
  "history",
  {
    ...common,
    subject: Argument.String("subject").pipe(Argument.withDescription("The household's id.")),
    format: Flag.Literals("format", ["table", "json"]).pipe(
      Flag.withDescription("table: one line per event; json: every entry with its event."),
      Flag.withDefault("table" as const)
    ),
    lang: language,
    asOf: cutFlag("history"),
    purpose
  },
  (flags) =>
    onStore(flags, () =>
      Effect.gen(function* () {
        const asOf = yield* parseCut(flags.asOf, "a history")
        const tenant = yield* Store.knownTenant(flags.tenant)
        yield* Principal.authorizeHistory(
          yield* Principal.of(flags, tenant),
          flags.subject,
          Option.getOrUndefined(flags.purpose)
        )
        const found = yield* Reports.HouseholdHistory.read(tenant, flags.subject as Shared.HouseholdId, asOf?.bound)
        if (found.entries.length === 0) {
          return yield* Effect.fail(
            fail("NothingFound", `no event of tenant ${tenant} names the household ${flags.subject}`)
          )
        }
        yield* Effect.sync(() =>
          process.stdout.write(
            flags.format === "json"
              ? `${JSON.stringify(found, null, 2)}\n`
              : Reports.HouseholdHistory.print(found, flags.lang)
          )
        )
        const last = found.entries[found.entries.length - 1]!
        yield* printDigest(found, { position: last.position, recordedAt: last.recordedAt })
      })
    )
).pipe(
  Command.withShortDescription("Everything recorded about a household"),
  Command.withDescription(
    "Everything recorded about a household and its members, across streams, in order: what, when it happened, who recorded it and when; then who read it, when and why (the access log). Reading it is recorded there too, with --purpose. The digest of the history is printed on stderr."
  ),
  Command.withExamples([
    { command: 'shuangbai history hh-yangcheng-00024 --tenant yangshan --lang en --purpose "home visit on 8 August"' },
    {
      command:
        'shuangbai history hh-yangcheng-00024 --tenant yangshan --as-of 2024-08-08T16:00:00.000Z --purpose "annual audit"',
      description: "as it stood at a store time"
    }
  ])
)

// ---- replay ----------------------------------------------------------------------------------------------

const replay = Command.make("replay", { ...common, purpose }, (flags) =>
  onStore(flags, () =>
    Effect.gen(function* () {
      const tenant = yield* Store.knownTenant(flags.tenant)
      yield* Principal.authorizeLog(yield* Principal.of(flags, tenant), Option.getOrUndefined(flags.purpose))
      const started = yield* Clock.currentTimeMillis
      const asOf = yield* today
      const { state, events } = yield* Log.fold(
        tenant,
        Reports.CountyDashboard.projection(Reports.CountyDashboard.periods(asOf))
      )
      const ms = (yield* Clock.currentTimeMillis) - started
      const dashboard = Reports.CountyDashboard.view(state)
      yield* Console.log(
        `replayed ${events.toLocaleString("en-US")} events of ${tenant} in ${(ms / 1000).toFixed(1)} s: every event decoded, ${dashboard.figures.length} figures folded`
      )
    })
  )
).pipe(
  Command.withShortDescription("Read, decode and fold the whole log"),
  Command.withDescription(
    "Reads the tenant's whole log, decodes every event with the domain's codec and folds the county dashboard: a check that every stored event still reads. It reads everyone's data: --purpose is required and the read is recorded in the access log. A progress bar on stderr when it is a terminal."
  ),
  Command.withExamples([
    { command: 'shuangbai replay --tenant yangshan --purpose "check every event still reads after the upgrade"' }
  ])
)

// ---- export / import -------------------------------------------------------------------------------------

/** The subject keys that go with an export: without them an imported log's personal fields do not open. */
const keysFlag = (what: string) =>
  Flag.String("keys").pipe(
    Flag.withMetavar("FILE"),
    Flag.withDescription(`${what}: personal data an erasure cannot reach; keep it as the backups are kept.`),
    Flag.optional
  )

const exportCommand = Command.make(
  "export",
  {
    ...common,
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription("File to write (default: standard output)."),
      Flag.optional
    ),
    asOf: cutFlag("log"),
    keys: keysFlag("Also write the subject keys the exported personal fields are sealed under to FILE (mode 600)"),
    purpose,
    ...AuditBundle.exportFlags
  },
  (flags) =>
    Effect.andThen(
      AuditBundle.checkExportFlags(flags),
      onStore(flags, () =>
        Effect.gen(function* () {
          const asOf = yield* parseCut(flags.asOf, "an export")
          const tenant = yield* Store.knownTenant(flags.tenant)
          if (Option.isSome(flags.bundle))
            return yield* AuditBundle.exportBundle({ ...flags, bundle: flags.bundle }, tenant)
          yield* Principal.authorizeLog(yield* Principal.of(flags, tenant), Option.getOrUndefined(flags.purpose))
          const written = yield* Exchange.exportLog(tenant, Option.getOrUndefined(flags.output), asOf?.bound)
          if (Option.isSome(flags.output)) {
            yield* Console.error(
              `exported ${written.events.toLocaleString("en-US")} events of ${tenant} to ${flags.output.value}`
            )
          }
          // the chain's hash at the last position exported stands for everything before it
          yield* Console.error(`through position ${written.position}, hash ${written.hash}`)
          if (Option.isSome(flags.keys)) {
            const keys = yield* Exchange.exportKeys(tenant, written.subjects, flags.keys.value)
            yield* Console.error(`wrote the keys of ${keys} subjects to ${flags.keys.value}`)
          }
        })
      )
    )
).pipe(
  Command.withShortDescription("Write the log as JSONL"),
  Command.withDescription(
    "Writes the tenant's log as JSONL: one stored envelope per line, in position order, hashes included, so that the file verifies on its own (shuangbai import checks it). With --bundle, an export bundle instead (docs/audit.md): the log, or with --subject one subject's events, each line the canonical text of an event with its chained hash (a version-1 row an erasure rewrote: its content now, with the erasure event that attests it), with the anchors in --anchors that cover it; `shuangbai audit bundle` and tools/verify_bundle.py verify it offline. A bundle is written whole or not at all: a log that does not verify exits 9, an anchor --public-key did not sign exits 14, a subject no event names exits 13."
  ),
  Command.withExamples([
    { command: 'shuangbai export --tenant yangshan -o yangshan.jsonl --purpose "off-site backup"' },
    {
      command:
        'shuangbai export --tenant yangshan --bundle yangshan.bundle.jsonl --anchors /srv/anchors --public-key anchor.pub --purpose "annual audit"',
      description: "a bundle an outsider verifies"
    },
    {
      command:
        'shuangbai export --tenant yangshan --bundle hh-00024.bundle.jsonl --subject hh-yangcheng-00024 --purpose "the household asked for a copy of its record"',
      description: "one household's events"
    }
  ])
)

const importCommand = Command.make(
  "import",
  {
    ...common,
    file: Argument.String("file").pipe(
      Argument.withDescription("JSONL written by shuangbai export (- reads standard input).")
    ),
    keys: keysFlag("Restore the subject keys `shuangbai export --keys` wrote to FILE, before the events")
  },
  (flags) =>
    Effect.gen(function* () {
      const events = yield* Exchange.readFile(flags.file)
      const tenant = Option.isSome(flags.tenant) ? flags.tenant.value : (events[0]?.tenant ?? "")
      yield* Exchange.check(events, tenant, flags.file)
      yield* Principal.authorizeImport(yield* Principal.of(flags, tenant))
      yield* onStore(flags, () =>
        Effect.gen(function* () {
          if (Option.isSome(flags.keys)) yield* Exchange.importKeys(tenant, flags.keys.value)
          const result = yield* Exchange.importLog(tenant, events)
          yield* Console.log(
            `imported ${result.events.toLocaleString("en-US")} events (${result.commands.toLocaleString("en-US")} commands) into ${tenant}${result.duplicates > 0 ? `; ${result.duplicates.toLocaleString("en-US")} commands were recorded already and wrote nothing` : ""}`
          )
        })
      )
    })
).pipe(
  Command.withShortDescription("Read a JSONL export into the store"),
  Command.withDescription(
    "Reads a JSONL export, verifies its hash chain from the first event (a file that does not verify is refused, and nothing is written), then appends its events command by command with their ids, streams, versions, actors and times. The store gives them its own recorded-at times and hash chain. Importing the same file again writes nothing (commands are idempotent by id)."
  ),
  Command.withExamples([{ command: "shuangbai import yangshan.jsonl --data-dir ./copy" }])
)

// ---- audit verify / anchor ------------------------------------------------------------------------------

const verify = Command.make(
  "verify",
  {
    ...common,
    anchors: anchorsFlag.pipe(
      Flag.withDescription(
        "Also check the log against every anchor of the tenant in DIR (written by `shuangbai audit anchor`); needs --public-key."
      ),
      Flag.optional
    ),
    publicKey: publicKeyFlag.pipe(
      Flag.withDescription(
        "Ed25519 public key (PEM, as `openssl pkey -pubout` writes it) that must have signed every anchor in --anchors."
      ),
      Flag.optional
    ),
    incremental: Flag.Boolean("incremental").pipe(
      Flag.withDescription(
        "With --anchors: start at the latest anchor and check only the events after it (a daily run); edits before that anchor are left to a full run."
      ),
      Flag.withDefault(false)
    ),
    purpose
  },
  (flags) =>
    Effect.gen(function* () {
      if (Option.isSome(flags.anchors) !== Option.isSome(flags.publicKey)) {
        return yield* Effect.fail(fail("Usage", "--anchors and --public-key go together: give both or neither"))
      }
      if (flags.incremental && Option.isNone(flags.anchors)) {
        return yield* Effect.fail(
          fail("Usage", "--incremental starts at the latest anchor: give --anchors and --public-key")
        )
      }
      // the key is read before the store is opened: a missing key file costs nothing
      const publicKey = Option.isSome(flags.publicKey) ? yield* Anchor.readPublicKey(flags.publicKey.value) : undefined
      yield* onStore(flags, () =>
        Effect.gen(function* () {
          const tenant = yield* Store.knownTenant(flags.tenant)
          yield* Principal.authorizeLog(yield* Principal.of(flags, tenant), Option.getOrUndefined(flags.purpose))
          const head = yield* (yield* EventStore.EventStore).head(tenant)
          const progress = Progress.bar("verify", head.position)
          const options = { pageSize: 2_000, onProgress: progress.update }
          const verified = yield* (
            publicKey === undefined || Option.isNone(flags.anchors)
              ? Audit.verifyChain(tenant, options)
              : Audit.verifyAnchored(tenant, { ...options, publicKey, incremental: flags.incremental }).pipe(
                  Effect.provide(Anchor.layerAnchorsDirectory(flags.anchors.value))
                )
          ).pipe(Effect.ensuring(progress.finish))
          yield* Console.log(
            `the log of ${tenant} verifies: ${verified.events.toLocaleString("en-US")} events${verified.from.position === 0 ? "" : ` after position ${verified.from.position}`}, head ${verified.head.hash}${publicKey === undefined ? "" : `, ${verified.anchors} anchors`}`
          )
        })
      )
    })
).pipe(
  Command.withShortDescription("Verify the hash chain, and the signed anchors"),
  Command.withDescription(
    "Walks the tenant's hash chain from the first event to the head (Audit.verifyChain): exit 0 when every event links to the one before and matches its hash, exit 9 naming the first position that does not (edited, deleted, inserted or reordered). With --anchors and --public-key (Audit.verifyAnchored), also that the log passes through every anchor there (with --incremental, only from the latest one on): a truncated or re-chained log exits 9, an anchor the key did not sign (or of another tenant) exits 14, a missing or unreadable key file exits 12. It reads every event: --purpose is required and the read is recorded in the access log."
  ),
  Command.withExamples([
    { command: 'shuangbai audit verify --tenant yangshan --purpose "annual audit"' },
    {
      command:
        'shuangbai audit verify --tenant yangshan --anchors /srv/anchors --public-key anchor.pub --purpose "annual audit"',
      description: "against the signed anchors"
    }
  ])
)

const anchor = Command.make(
  "anchor",
  {
    ...common,
    anchors: anchorsFlag.pipe(Flag.withDescription("Directory the anchor is written to (created if need be).")),
    key: Flag.String("key").pipe(
      Flag.withMetavar("FILE"),
      Flag.withDescription(
        "Ed25519 private key (PEM, as `openssl genpkey -algorithm ed25519` writes it) that signs the anchor."
      )
    ),
    full: Flag.Boolean("full").pipe(
      Flag.withDescription("Verify the whole log before signing, not only what follows this key's latest anchor."),
      Flag.withDefault(false)
    ),
    purpose
  },
  (flags) =>
    Effect.gen(function* () {
      // the key is read before the store is opened: a missing key file costs nothing
      const signer = yield* Layer.build(Anchor.layerSignerKeyFile(flags.key))
      yield* onStore(flags, () =>
        Effect.gen(function* () {
          const tenant = yield* Store.knownTenant(flags.tenant)
          yield* Principal.authorizeLog(yield* Principal.of(flags, tenant), Option.getOrUndefined(flags.purpose))
          const { anchor: signed, verified } = yield* Audit.checkpoint(tenant, { full: flags.full }).pipe(
            Effect.provide(Anchor.layerAnchorsDirectory(flags.anchors)),
            Effect.provideContext(signer)
          )
          yield* Console.log(
            `anchored ${tenant} at position ${signed.position}, hash ${signed.hash} (${verified.events.toLocaleString("en-US")} events verified from position ${verified.from.position}) in ${flags.anchors}`
          )
        })
      )
    }).pipe(Effect.scoped)
).pipe(
  Command.withShortDescription("Sign the log's head into an anchors directory"),
  Command.withDescription(
    "Verifies the tenant's log from the latest anchor this key signed (in full with --full, or when there is none), signs its head with the private key and writes the anchor into --anchors (Audit.checkpoint). A log that does not extend that anchor is not signed (exit 9); a missing or unreadable key file exits 12. Run it daily from a host that holds the key, and publish the directory where the database's writers cannot reach (docs/audit.md). It reads the events it verifies: --purpose is required and the read is recorded in the access log."
  ),
  Command.withExamples([
    {
      command:
        'shuangbai audit anchor --tenant yangshan --anchors /srv/anchors --key /etc/shuangbai/anchor.key --purpose "daily checkpoint"'
    }
  ])
)

const accessLog = Command.make(
  "access-log",
  {
    ...common,
    format: Flag.Literals("format", ["table", "json"]).pipe(
      Flag.withDescription("table: one line per read; json: every entry."),
      Flag.withDefault("table" as const)
    )
  },
  (flags) =>
    onStore(flags, () =>
      Effect.gen(function* () {
        const tenant = yield* Store.knownTenant(flags.tenant)
        yield* Principal.authorizeAccessLog(yield* Principal.of(flags, tenant))
        const entries: Array<Access.AccessLog.Entry> = []
        for (;;) {
          const page = yield* Access.AccessLog.list(tenant, { after: entries.at(-1)?.position ?? 0, limit: 1_000 })
          entries.push(...page)
          if (page.length < 1_000) break
        }
        yield* Effect.sync(() =>
          process.stdout.write(
            flags.format === "json"
              ? `${JSON.stringify(entries, null, 2)}\n`
              : entries
                  .map(
                    (e) =>
                      `#${e.position}  ${e.recordedAt}  ${e.actor.id} (${e.actor.role}${e.actor.station === undefined ? "" : `, ${e.actor.station}`})  ${e.what}  purpose: ${e.purpose}\n`
                  )
                  .join("")
          )
        )
      })
    )
).pipe(
  Command.withShortDescription("List who read personal data, when and why"),
  Command.withDescription(
    "Lists the tenant's access log (Access.AccessLog): every read of personal data through the library, the API or this CLI, with who read it, in which role, when, what and the stated purpose, oldest first. For auditors."
  ),
  Command.withExamples([{ command: "shuangbai audit access-log --tenant yangshan --as aud-1 --as-role auditor" }])
)

const audit = Command.make("audit").pipe(
  Command.withShortDescription("Audit of the log"),
  Command.withDescription("Audit of the log."),
  Command.withSubcommands([verify, anchor, AuditSideTables.command, AuditBundle.command, accessLog])
)

// ---- erase ------------------------------------------------------------------------------------------------

const erase = Command.make(
  "erase",
  {
    ...common,
    subject: Flag.String("subject").pipe(
      Flag.withMetavar("ID"),
      Flag.withDescription("The data subject to erase: a person's or a household's id.")
    ),
    legalBasis: Flag.Literals("legal-basis", Erasure.Ground.literals).pipe(
      Flag.withDescription("The ground of PIPL art. 47 the erasure rests on."),
      Flag.optional
    ),
    basisText: Flag.String("basis-text").pipe(
      Flag.withMetavar("TEXT"),
      Flag.withDescription(
        "The case in words: whose request, of which day, which decision (recorded with the ground)."
      ),
      Flag.optional
    ),
    reason: Flag.String("reason").pipe(
      Flag.withMetavar("TEXT"),
      Flag.withDescription("Why the subject is erased (recorded in the erasure event)."),
      Flag.optional
    )
  },
  (flags) =>
    onStore(flags, () =>
      Effect.gen(function* () {
        const tenant = yield* Store.knownTenant(flags.tenant)
        const ground = Option.getOrUndefined(flags.legalBasis)
        const request = {
          ...(ground === undefined
            ? {}
            : { legalBasis: { ground, text: Option.getOrElse(flags.basisText, () => ground) } }),
          reason: Option.getOrElse(flags.reason, () => "")
        } as Erasure.Request
        const erased = yield* Access.erase(yield* Principal.of(flags, tenant), tenant, flags.subject, request)
        const { event } = erased
        yield* Effect.sync(() =>
          process.stdout.write(
            erased.duplicate
              ? `${flags.subject} was erased already: event ${event.eventId} at position ${event.position}, recorded ${event.recordedAt}; nothing written\n`
              : `erased ${flags.subject}: its key is destroyed, ${erased.rewritten} version-1 row(s) rewritten sealed; event ${event.eventId} at position ${event.position}\n`
          )
        )
      })
    )
).pipe(
  Command.withShortDescription("Erase a data subject (crypto-shredding)"),
  Command.withDescription(
    "Destroys the subject's key, so that every personal field sealed under it reads as erased (已删除) in every copy of the log, rewrites the subject's version-1 rows to the sealed form, and appends an erasure event with the principal, the legal basis and the reason (docs/audit.md, \"Erasure\"). Only the admin role may. A second erasure of the same subject answers with the first and writes nothing."
  ),
  Command.withExamples([
    {
      command:
        "shuangbai erase --tenant yangshan --subject p-000306 --legal-basis PIPL-47-3-ConsentWithdrawn --basis-text '本人书面申请 2024-08-09' --reason '撤回同意并要求删除'"
    }
  ])
)

// ---- the root --------------------------------------------------------------------------------------------

export const command = Command.make("shuangbai").pipe(
  Command.withDescription(
    "双百 Shuangbai: the event store of the township social-work stations, from the command line. Every command works on a PostgreSQL server (--database-url) or on the embedded PGlite database (--data-dir, the default)."
  ),
  Command.withSubcommands([migrate, serve, demo, report, history, replay, exportCommand, importCommand, audit, erase])
)

export const run = (args: ReadonlyArray<string>) => Command.runWith(command, { version })(args)
