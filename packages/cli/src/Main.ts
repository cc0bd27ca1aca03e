import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Access } from "@shuangbai/core"
import { Anchor, Audit, Erasure, EventStoreError } from "@shuangbai/eventsourcing"
import { Cause, Console, Effect, Exit } from "effect"
import { CliError } from "effect/cli"
import * as Cli from "./Cli.ts"
import { CliFailure, exitCodes, fail } from "./Failure.ts"
import { fromStoreError } from "./Store.ts"

/** Any failure as the CLI reports it: the reason (hence the exit code) and a message for people. */
export const toFailure = (error: unknown): CliFailure => {
  if (error instanceof CliFailure) return error
  if (error instanceof EventStoreError) return fromStoreError(error)
  if (error instanceof Audit.ChainBroken) return fail("ChainBroken", error.message)
  if (error instanceof Anchor.AnchorRefused) return fail("AnchorRefused", error.message)
  if (error instanceof Anchor.KeyFileError) return fail("BadInput", error.message)
  if (error instanceof Anchor.AnchorStoreError) return fail("BadInput", error.message)
  if (error instanceof Access.AccessDenied) {
    return fail(
      "AccessDenied",
      `${error.principal} may not read or write ${error.what}: ${error.messages.en} (${error.code})`
    )
  }
  if (error instanceof Erasure.InvalidErasure) return fail("ErasureRefused", error.message)
  if (error instanceof Erasure.SubjectNotFound) return fail("NothingFound", error.message)
  if (error instanceof Access.AccessLog.MissingPurpose) return fail("Usage", `${error.message}: add --purpose TEXT`)
  if (error instanceof Error)
    return fail("Failed", `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`)
  return fail("Failed", String(error))
}

/**
 * Runs the command line to an exit code, printing a failure's message on stderr. effect/cli has printed
 * the help and its parse errors already; those exit with the usage code.
 */
export const exitCode = (args: ReadonlyArray<string>) =>
  Cli.run(args).pipe(
    Effect.as(0),
    Effect.catchCause((cause) => {
      if (Cause.hasInterruptsOnly(cause)) return Effect.succeed(130)
      const error = Cause.squash(cause)
      if (CliError.isCliError(error))
        return Effect.succeed(error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : exitCodes.Usage)
      const failure = toFailure(error)
      return Effect.as(Console.error(`shuangbai: ${failure.message}`), failure.exitCode)
    })
  )

/** The bin: exits with the command's code; Ctrl-C interrupts it (finalizers run, the data directory is unlocked). */
export const run = (args: ReadonlyArray<string>): void =>
  NodeRuntime.runMain(exitCode(args).pipe(Effect.provide(NodeServices.layer)), {
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? (exit.value as number) : 1)
  })
