// Writes docs/domain.md: the prose of docs/domain.prose.md, then the event catalog generated from the code
// (domainCatalog.ts). `--check` writes nothing: it fails when docs/domain.md is not what the code gives.
//
//   npm run docs          (root) regenerates docs/domain.md and docs/authorization.md
//   npm run docs:check    (root) fails if either is out of date
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { render } from "./domainCatalog.ts"
import { root, writeOrCheck } from "./generatedDoc.ts"

writeOrCheck({
  outputPath: join(root, "docs", "domain.md"),
  generated: render(readFileSync(join(root, "docs", "domain.prose.md"), "utf8")),
  fix: "Run `npm run docs` and commit docs/domain.md (edit docs/domain.prose.md for the prose)."
})
