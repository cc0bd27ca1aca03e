// Writes docs/domain.md: the prose of docs/domain.prose.md, then the event catalog generated from the code
// (domainCatalog.ts). `--check` writes nothing: it fails when docs/domain.md is not what the code gives.
//
//   npm run docs          (root) regenerates docs/domain.md
//   npm run docs:check    (root) fails if docs/domain.md is out of date
import { readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { render } from "./domainCatalog.ts"

const root = join(import.meta.dirname, "..", "..", "..")
const prosePath = join(root, "docs", "domain.prose.md")
const outputPath = join(root, "docs", "domain.md")
const shown = (path: string) => relative(root, path)

const generated = render(readFileSync(prosePath, "utf8"))

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
    console.error("Run `npm run docs` and commit docs/domain.md (edit docs/domain.prose.md for the prose).")
    process.exitCode = 1
  }
} else {
  writeFileSync(outputPath, generated)
  console.log(`wrote ${shown(outputPath)}`)
}
