import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs"
import type { Access } from "@shuangbai/core"
import {
  Anchor,
  type Audit,
  Bundle,
  type CommandHandler,
  type Envelope,
  type EventStore,
  type EventStoreError,
  type IdGenerator
} from "@shuangbai/eventsourcing"
import { Console, Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { anchorsFlag, type Flags, publicKeyFlag } from "./Common.ts"
import { type CliFailure, fail } from "./Failure.ts"
import * as Principal from "./Principal.ts"

// Export bundles from the command line (docs/audit.md, "Export bundles"): `shuangbai export --bundle FILE`
// writes one with Bundle.make, `shuangbai audit bundle FILE` checks one with Bundle.verify, offline, as
// tools/verify_bundle.py does.

/** The flags `export` takes for a bundle. */
export const exportFlags = {
  bundle: Flag.String("bundle").pipe(
    Flag.withMetavar("FILE"),
    Flag.withDescription(
      "Write an export bundle to FILE instead (Bundle.make): JSONL with the chain links and the anchors that cover it, which `shuangbai audit bundle` and tools/verify_bundle.py verify offline."
    ),
    Flag.optional
  ),
  subject: Flag.String("subject").pipe(
    Flag.withMetavar("ID"),
    Flag.withDescription("With --bundle: only the events that name this subject (a household or person id)."),
    Flag.optional
  ),
  anchors: anchorsFlag.pipe(
    Flag.withDescription(
      "With --bundle: include the tenant's anchors in DIR at or before the head; needs --public-key."
    ),
    Flag.optional
  ),
  publicKey: publicKeyFlag.pipe(
    Flag.withDescription(
      "With --anchors: the Ed25519 public key (PEM) that must have signed every anchor included (another is refused, exit 14)."
    ),
    Flag.optional
  )
}

export interface ExportFlags extends Flags {
  readonly bundle: Option.Option<string>
  readonly subject: Option.Option<string>
  readonly anchors: Option.Option<string>
  readonly publicKey: Option.Option<string>
  readonly output: Option.Option<string>
  readonly asOf: Option.Option<string>
  readonly purpose: Option.Option<string>
}

/** The flags of a plain export and of a bundle do not mix: a usage error naming the one that does not fit. */
export const checkExportFlags = (flags: ExportFlags) => {
  const usage = (message: string) => Effect.fail(fail("Usage", message))
  if (Option.isNone(flags.bundle)) {
    const stray = (["subject", "anchors", "publicKey"] as const).find((name) => Option.isSome(flags[name]))
    return stray === undefined
      ? Effect.void
      : usage(`--${stray === "publicKey" ? "public-key" : stray} belongs to an export bundle: add --bundle FILE`)
  }
  if (Option.isSome(flags.output)) return usage("--bundle FILE is where the bundle goes: leave out --output")
  if (Option.isSome(flags.asOf)) return usage("a bundle holds the log up to its head when made: leave out --as-of")
  if (Option.isSome(flags.anchors) !== Option.isSome(flags.publicKey)) {
    return usage("--anchors and --public-key go together: give both or neither")
  }
  return Effect.void
}

/**
 * Writes the bundle of the tenant's log (or of a subject's events) to a file beside `path` and renames it
 * into place once whole: a failed export (a chain that does not verify, an anchor the key did not sign)
 * leaves no file. The read is authorized and recorded first: the log as the auditor's read, a subject's
 * events as a read of that household's history.
 */
export const exportBundle = (
  flags: ExportFlags & { readonly bundle: Option.Some<string> },
  tenant: Envelope.Tenant
): Effect.Effect<
  void,
  | CliFailure
  | Access.AccessDenied
  | Access.AccessLog.MissingPurpose
  | CommandHandler.LoadError
  | Anchor.KeyFileError
  | Anchor.AnchorStoreError
  | Anchor.AnchorRefused
  | Audit.ChainBroken
  | EventStoreError,
  EventStore.EventStore | IdGenerator.IdGenerator
> =>
  Effect.gen(function* () {
    // the key is read before anything is recorded: a missing key file costs nothing
    const publicKey = Option.isSome(flags.publicKey) ? yield* Anchor.readPublicKey(flags.publicKey.value) : undefined
    const principal = yield* Principal.of(flags, tenant)
    const purpose = Option.getOrUndefined(flags.purpose)
    const subject = Option.getOrUndefined(flags.subject)
    if (subject === undefined) yield* Principal.authorizeLog(principal, purpose)
    else yield* Principal.authorizeHistory(principal, subject, purpose)
    const anchors = Option.isSome(flags.anchors)
      ? yield* Anchor.AnchorStore.use((store) => store.list(tenant)).pipe(
          Effect.provide(Anchor.layerAnchorsDirectory(flags.anchors.value))
        )
      : []
    const path = flags.bundle.value
    const partial = `${path}.partial`
    const fd = yield* Effect.try({
      try: () => openSync(partial, "w"),
      catch: (error) => fail("BadInput", `cannot write ${path}: ${(error as Error).message}`)
    })
    let lines = 0
    yield* Bundle.make(tenant, {
      ...(subject === undefined ? { scope: "log" } : { scope: "subject", subject }),
      anchors,
      ...(publicKey === undefined ? {} : { publicKey })
    }).pipe(
      Stream.runForEach((text) =>
        Effect.sync(() => {
          writeSync(fd, text)
          lines++
        })
      ),
      Effect.ensuring(Effect.sync(() => closeSync(fd))),
      Effect.onError(() => Effect.sync(() => rmSync(partial, { force: true })))
    )
    const trailer = JSON.parse(readLastLine(partial)) as {
      end: { anchors: number; events: number; head: { position: number; hash: string } }
    }
    if (trailer.end.events === 0) {
      rmSync(partial, { force: true })
      return yield* Effect.fail(
        fail(
          "NothingFound",
          subject === undefined
            ? `tenant ${tenant} has no events`
            : `no event of tenant ${tenant} names the subject ${subject}`
        )
      )
    }
    renameSync(partial, path)
    yield* Console.error(
      `bundled ${trailer.end.events.toLocaleString("en-US")} events of ${tenant}${subject === undefined ? "" : ` naming ${subject}`} and ${trailer.end.anchors} anchors into ${path} (${lines} lines), through position ${trailer.end.head.position}, hash ${trailer.end.head.hash}`
    )
  })

const readLastLine = (path: string): string => {
  const text = readFileSync(path, "utf8")
  return text.slice(text.lastIndexOf("\n", text.length - 2) + 1, -1)
}

// ---- audit bundle ----------------------------------------------------------------------------------------

export const command = Command.make(
  "bundle",
  {
    file: Argument.String("file").pipe(
      Argument.withDescription("The bundle (written by `shuangbai export --bundle`).")
    ),
    publicKey: publicKeyFlag.pipe(
      Flag.withDescription(
        "Ed25519 public key (PEM, as `openssl pkey -pubout` writes it) that must have signed every anchor in the bundle. Without it the signatures are not checked (and the output says so)."
      ),
      Flag.optional
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const publicKey = Option.isSome(flags.publicKey) ? yield* Anchor.readPublicKey(flags.publicKey.value) : undefined
      const bytes = yield* Effect.try({
        try: () => readFileSync(flags.file),
        catch: (error) => fail("BadInput", `cannot read ${flags.file}: ${(error as Error).message}`)
      })
      // Strictly: a byte that is not UTF-8 is refused, not replaced, and a byte-order mark is kept (and refused)
      const text = yield* Effect.try({
        try: () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes),
        catch: () => fail("BundleRejected", `${flags.file} is refused: it is not UTF-8 (a byte was changed)`)
      })
      const verified = yield* Bundle.verify(text, publicKey).pipe(
        Effect.catchTag("BundleRejected", (error) =>
          Effect.fail(fail("BundleRejected", `${flags.file} is refused: ${error.message}`))
        )
      )
      yield* Console.log(
        `ok ${flags.file}: ${verified.scope === "log" ? "the log" : "a subject's events"} of ${verified.tenant}, ${verified.events.toLocaleString("en-US")} events through position ${verified.head.position}, ${verified.anchors} anchors${verified.signaturesChecked ? " signed by the key" : " (signatures not checked: give --public-key)"}`
      )
    })
).pipe(
  Command.withShortDescription("Verify an export bundle offline"),
  Command.withDescription(
    "Checks an export bundle without the store (Bundle.verify, the rules tools/verify_bundle.py checks): every event against its hash (a version-1 row an erasure rewrote: against the attestation of a later erasure event in the bundle), the links and positions, the canonical header, anchor and trailer lines, the counts, and that the log passes through each anchor; with --public-key, each anchor's signature. Exit 0 when it verifies; 16 when it is cut short, reordered, edited or not a bundle (naming the line); 14 for an anchor the key did not sign or of another tenant; 12 when the bundle or the key file cannot be read."
  ),
  Command.withExamples([{ command: "shuangbai audit bundle yangshan.bundle.jsonl --public-key anchor.pub" }])
)
