// Writes a generated doc, or with `--check` writes nothing and fails when the file is not what the code
// gives: how `npm run docs` and `npm run docs:check` treat every page generated from the code.
import { readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

export const root = join(import.meta.dirname, "..", "..", "..")

export const writeOrCheck = (options: {
  readonly outputPath: string
  readonly generated: string
  /** What to do when the file is out of date, e.g. "Run `npm run docs` and commit docs/domain.md." */
  readonly fix: string
}): void => {
  const { outputPath, generated } = options
  const shown = relative(root, outputPath)
  if (!process.argv.includes("--check")) {
    writeFileSync(outputPath, generated)
    console.log(`wrote ${shown}`)
    return
  }
  let current: string | undefined
  try {
    current = readFileSync(outputPath, "utf8")
  } catch {
    current = undefined
  }
  if (current === generated) {
    console.log(`${shown} is up to date`)
    return
  }
  const want = generated.split("\n")
  const have = (current ?? "").split("\n")
  let line = 0
  while (line < want.length && want[line] === have[line]) line++
  console.error(
    current === undefined
      ? `${shown} is missing.`
      : `${shown} is out of date with the code (first difference at line ${line + 1}):\n` +
          `  in the file:    ${have[line] ?? "(end of file)"}\n` +
          `  from the code:  ${want[line] ?? "(end of file)"}`
  )
  console.error(options.fix)
  process.exitCode = 1
}
