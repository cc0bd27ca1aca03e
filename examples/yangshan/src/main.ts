// The article's county, reproduced from commands on the embedded store (PGlite), then read back and printed
// beside the article. A second run on the same data directory only reads back and prints.
//
//   npm run demo                          # from the repository root
//   node --conditions=@shuangbai/source src/main.ts [--fresh] [--data-dir DIR] [--concurrency N] [--scale S] [--memory]
import { rmSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Cause, Effect, Exit } from "effect"
import { articleTime } from "./county.ts"
import { type Args, main } from "./demo.ts"
import { clockFrom } from "./run.ts"

export type { Args, Outcome, Output } from "./demo.ts"
export { layer, main, program, stdout } from "./demo.ts"

const here = dirname(fileURLToPath(import.meta.url))

/** Flags, then environment (YANGSHAN_DATA_DIR), then defaults (examples/yangshan/.data/pglite). */
export const parseArgs = (argv: ReadonlyArray<string>, env: Record<string, string | undefined> = {}): Args => {
  const value = (flag: string) => {
    const i = argv.indexOf(flag)
    if (i === -1) return undefined
    const v = argv[i + 1]
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`)
    return v
  }
  const known = new Set(["--fresh", "--memory", "--data-dir", "--concurrency", "--scale"])
  argv.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}`)
    if (!a.startsWith("--") && !["--data-dir", "--concurrency", "--scale"].includes(argv[i - 1] ?? "")) {
      throw new Error(`unexpected argument ${a}`)
    }
  })
  const scale = Number(value("--scale") ?? 1)
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale takes a number in (0, 1]")
  const concurrency = Number(value("--concurrency") ?? 64)
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("--concurrency takes a whole number ≥ 1")
  const fallback = join(here, "..", ".data", scale === 1 ? "pglite" : `pglite-scale-${scale}`)
  return {
    fresh: argv.includes("--fresh"),
    memory: argv.includes("--memory"),
    dataDir: resolve(value("--data-dir") ?? env.YANGSHAN_DATA_DIR ?? fallback),
    concurrency,
    scale
  }
}

const usage =
  "usage: node --conditions=@shuangbai/source src/main.ts [--fresh] [--data-dir DIR] [--concurrency N] [--scale S] [--memory]"

const argsOrExit = (): Args => {
  try {
    return parseArgs(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    process.exit(2)
  }
}

if (import.meta.main) {
  const args = argsOrExit()
  if (!args.memory && args.fresh) rmSync(args.dataDir, { recursive: true, force: true })
  const exit = await Effect.runPromiseExit(main(args, clockFrom(articleTime)))
  if (Exit.isSuccess(exit)) {
    const { chainVerified, matched, checked } = exit.value
    process.exitCode = chainVerified && (args.scale !== 1 || matched === checked) ? 0 : 1
  } else {
    const error = Cause.squash(exit.cause)
    console.error(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
