// Writes docs/cli.md from the command definitions: each command's help as effect/cli builds it (a
// presenter that keeps the HelpDoc instead of printing it), the exit codes from Failure.ts. `--check`
// writes nothing: it fails when docs/cli.md is not what the code gives.
//
//   npm run docs -w @shuangbai/cli         regenerates docs/cli.md
//   npm run docs:check -w @shuangbai/cli   fails if docs/cli.md is out of date
import { readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { Effect, Option } from "effect"
import { CliOutput, type Command, type HelpDoc } from "effect/cli"
import { exitCodeMeanings, exitCodes } from "../src/Failure.ts"
import { Cli } from "../src/index.ts"

const root = join(import.meta.dirname, "..", "..", "..")
const outputPath = join(root, "docs", "cli.md")
const shown = (path: string) => relative(root, path)

/** Every command path of the tree, parents before children. */
const paths = (command: Command.Command.Any, prefix: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> => [
  prefix,
  ...command.subcommands.flatMap((group) => group.commands.flatMap((sub) => paths(sub, [...prefix, sub.name])))
]

/** The HelpDoc effect/cli shows for `shuangbai <path> --help`. */
const helpOf = (path: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let doc: HelpDoc.HelpDoc | undefined
    yield* Cli.run([...path, "--help"]).pipe(
      Effect.provide(
        CliOutput.layerPresenter({
          present: (event) =>
            Effect.sync(() => {
              if (event._tag === "Help") doc = event.helpDoc
            })
        })
      )
    )
    if (doc === undefined) return yield* Effect.die(`no help for ${path.join(" ")}`)
    return doc
  })

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ")

const flagRows = (flags: ReadonlyArray<HelpDoc.FlagDoc>) =>
  flags.map((f) => {
    const names = [
      `--${f.name}`,
      ...f.aliases.map((a) => (a.startsWith("-") ? a : a.length === 1 ? `-${a}` : `--${a}`))
    ]
    return `| \`${names.join("`, `")}\` | ${cell(f.type)} | ${cell(Option.getOrElse(f.description, () => ""))} |`
  })

const section = (path: ReadonlyArray<string>, doc: HelpDoc.HelpDoc): string => {
  const out: Array<string> = []
  out.push(`## ${["shuangbai", ...path].join(" ")}`, "", doc.description, "", "```", doc.usage, "```", "")
  if (doc.args !== undefined && doc.args.length > 0) {
    out.push("| argument | type | description |", "| --- | --- | --- |")
    for (const a of doc.args) {
      out.push(
        `| \`${a.name}\`${a.required ? "" : " (optional)"} | ${cell(a.type)} | ${cell(Option.getOrElse(a.description, () => ""))} |`
      )
    }
    out.push("")
  }
  if (doc.flags.length > 0) {
    out.push("| flag | value | description |", "| --- | --- | --- |", ...flagRows(doc.flags), "")
  }
  for (const group of doc.subcommands ?? []) {
    out.push("| command | what it does |", "| --- | --- |")
    for (const sub of group.commands) {
      out.push(
        `| [\`${sub.name}\`](#${["shuangbai", ...path, sub.name].join("-")}) | ${cell(sub.shortDescription ?? sub.description)} |`
      )
    }
    out.push("")
  }
  if (doc.examples !== undefined && doc.examples.length > 0) {
    out.push("Examples:", "", "```sh")
    for (const e of doc.examples) {
      if (e.description !== undefined) out.push(`# ${e.description}`)
      out.push(e.command)
    }
    out.push("```", "")
  }
  return out.join("\n")
}

const render = Effect.gen(function* () {
  const all = paths(Cli.command)
  const docs = yield* Effect.forEach(all, helpOf)
  const top = docs[0]!
  const exitRows = (Object.keys(exitCodes) as Array<keyof typeof exitCodes>)
    .sort((x, y) => exitCodes[x] - exitCodes[y])
    .map((reason) => `| ${exitCodes[reason]} | ${reason} | ${cell(exitCodeMeanings[reason])} |`)
  return [
    "# shuangbai — the command line",
    "",
    "<!-- Generated from packages/cli/src (scripts/cli-docs.ts): edit the command definitions, then `npm run docs`. -->",
    "",
    "`shuangbai` is the bin of `@shuangbai/cli`. In this repository: `npm run build`, then",
    "`node packages/cli/dist/bin.js …`, or from the sources `node --conditions=@shuangbai/source packages/cli/src/bin.ts …`.",
    "",
    "**Where the events are.** Every command takes `--database-url URL` (a PostgreSQL server, env",
    "`SHUANGBAI_DATABASE_URL`) or `--data-dir DIR` (PGlite embedded in the process, env `SHUANGBAI_DATA_DIR`,",
    "default `./.shuangbai`), and `--schema` (default `shuangbai`). On a server, run `shuangbai migrate` first;",
    "the embedded database is migrated when opened. PGlite takes no lock of its own, so the CLI keeps one:",
    "`shuangbai.lock` in the data directory holds the pid of the process using it, and a second process is",
    "refused (exit 5) until the first ends; a lock left by a process that is gone is taken over.",
    "",
    "**Whose log.** `--tenant ID` (env `SHUANGBAI_TENANT`). A command that reads refuses a tenant with no",
    "events (exit 6): a tenant begins with its first event (`demo`, `import`).",
    "",
    "**Who is acting.** The CLI acts as a principal through the same Access API as the HTTP server",
    "(`Access.authorizeRead` before each read of the log, a household or a report). By default that",
    "principal is the *local operator*: id `local-operator` with the tenant-wide roles `admin`, `bureau`",
    "and `auditor` — whoever can run the CLI on the database holds the data anyway, so the default does not",
    "pretend to restrict them, but it names them. `--as ID`, `--as-role ROLES` (comma-separated) and",
    "`--as-station ID` (env `SHUANGBAI_AS`, `SHUANGBAI_ROLE`, `SHUANGBAI_STATION`) act as another principal,",
    "e.g. to see what a station's worker may read; a refusal exits 10 with the policy's rule code. Writes",
    "that are no principal's domain command — `import` (stored envelopes as recorded) and `demo` (a",
    "simulated county, each command recorded with the actor the scenario gives it) — need the `admin` role.",
    "",
    "**Progress.** `replay`, `report`, `export`, `import` and `audit verify` draw a progress bar on stderr",
    "when stderr is a terminal, and nothing otherwise.",
    "",
    "## Exit codes",
    "",
    "| code | reason | when |",
    "| --- | --- | --- |",
    "| 0 | | the command did what it says |",
    ...exitRows,
    "",
    "A failure prints one line on stderr, `shuangbai: <what was wrong and what to do>`; a usage error",
    "prints the command's help and the parser's message.",
    "",
    "## Flags every command takes",
    "",
    "Besides each command's own (below), effect/cli gives every command these:",
    "",
    "| flag | value | description |",
    "| --- | --- | --- |",
    ...flagRows(top.globalFlags ?? []),
    "",
    ...all.map((path, i) => section(path, docs[i]!))
  ]
    .join("\n")
    .replace(/\n+$/, "\n")
})

const generated = await Effect.runPromise(render.pipe(Effect.provide(NodeServices.layer)))

if (process.argv.includes("--check")) {
  let current: string | undefined
  try {
    current = readFileSync(outputPath, "utf8")
  } catch {
    current = undefined
  }
  if (current === generated) {
    console.log(`${shown(outputPath)} is up to date`)
  } else {
    const want = generated.split("\n")
    const have = (current ?? "").split("\n")
    let line = 0
    while (line < want.length && want[line] === have[line]) line++
    console.error(
      current === undefined
        ? `${shown(outputPath)} is missing.`
        : `${shown(outputPath)} is out of date with the code (first difference at line ${line + 1}):\n` +
            `  in the file:    ${have[line] ?? "(end of file)"}\n` +
            `  from the code:  ${want[line] ?? "(end of file)"}`
    )
    console.error("Run `npm run docs -w @shuangbai/cli` and commit docs/cli.md.")
    process.exitCode = 1
  }
} else {
  writeFileSync(outputPath, generated)
  console.log(`wrote ${shown(outputPath)}`)
}
