import { Schema } from "effect"

// What stops a command, each with its own exit code so that a script can tell them apart. The message
// says what was wrong and what to do; `exitCodes` is the one table (docs/cli.md prints it).

export const exitCodes = {
  /** A flag or argument the parser refused (unknown flag, missing value): effect/cli prints the help. */
  Usage: 2,
  BadDatabaseUrl: 3,
  DatabaseUnavailable: 4,
  DataDirLocked: 5,
  UnknownTenant: 6,
  BadDate: 7,
  UnknownReport: 8,
  ChainBroken: 9,
  AccessDenied: 10,
  NotMigrated: 11,
  BadInput: 12,
  NothingFound: 13,
  AnchorRefused: 14,
  SideTablesDisagree: 15,
  BundleRejected: 16,
  ErasureRefused: 17,
  /** Anything else: a store error, a bug. */
  Failed: 1
} as const

export type Reason = keyof typeof exitCodes

export const exitCodeMeanings: Readonly<Record<Reason, string>> = {
  Usage: "a flag or argument is missing, unknown or of the wrong type (the command's help is printed)",
  BadDatabaseUrl: "`--database-url` is not a `postgres://` or `postgresql://` URL",
  DatabaseUnavailable: "PostgreSQL cannot be reached or refused the login, or the data directory cannot be opened",
  DataDirLocked: "another process has the data directory open (its pid is in `shuangbai.lock` there)",
  UnknownTenant: "the tenant has no events in the store (or `--tenant` is missing)",
  BadDate: "`--as-of` or `--period` does not parse, or is not a calendar date",
  UnknownReport: "`report` was given a name it does not know",
  ChainBroken:
    "the hash chain does not verify (`audit verify`), or the log does not reach or match a signed anchor (truncated or re-chained: `audit verify --anchors`, `audit anchor`), or `import` refused a file whose chain does not verify, or `export --bundle` found a log that does not verify (no bundle is written)",
  AccessDenied: "the principal (`--as`, `--as-role`, `--as-station`) may not do this",
  NotMigrated: "the database has no event store tables yet: run `shuangbai migrate`",
  BadInput:
    "an input file is not JSONL of event envelopes, or names another tenant; a bundle (`audit bundle`) or an anchors directory cannot be read; or a key file (`--key`, `--public-key`) is missing, unreadable or not an Ed25519 key of the right kind",
  NothingFound:
    "`history` or `export --bundle --subject` found no event naming the subject, or `erase` a subject that no event names",
  AnchorRefused:
    "`audit verify --anchors`, `export --bundle --anchors` or `audit bundle` found an anchor the `--public-key` did not sign, or one of another tenant: forged, altered or another key's",
  SideTablesDisagree:
    "`audit side-tables` found rows of `subjects`, `commands`, `streams` or `heads` that do not agree with the events (each is listed on stdout)",
  BundleRejected:
    "`audit bundle` found the bundle cut short, reordered, edited or not a bundle (the message names the line)",
  ErasureRefused:
    "`erase` was given no legal basis, a `--legal-basis` that is not a ground of PIPL art. 47, or no `--reason`: nothing was written",
  Failed: "any other failure (the message says which)"
}

/** A command stopped for a reason a user can act on. */
export class CliFailure extends Schema.TaggedError<CliFailure>()("CliFailure", {
  reason: Schema.Literals(Object.keys(exitCodes) as [Reason, ...Array<Reason>]),
  message: Schema.String
}) {
  get exitCode(): number {
    return exitCodes[this.reason]
  }
}

export const fail = (reason: Reason, message: string) => new CliFailure({ reason, message })
