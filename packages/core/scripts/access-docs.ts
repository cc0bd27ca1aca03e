// Writes docs/authorization.md: the prose of docs/authorization.prose.md, then the decision table
// generated from the access policy (accessTable.ts). `--check` fails when the file is out of date.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { render } from "./accessTable.ts"
import { root, writeOrCheck } from "./generatedDoc.ts"

writeOrCheck({
  outputPath: join(root, "docs", "authorization.md"),
  generated: render(readFileSync(join(root, "docs", "authorization.prose.md"), "utf8")),
  fix: "Run `npm run docs` and commit docs/authorization.md (edit docs/authorization.prose.md for the prose)."
})
