// Writes docs/api.md from the server's OpenAPI document (apiDoc.ts). `--check` writes nothing: it fails
// when docs/api.md is not what the code gives.
//
//   npm run docs          (root) regenerates every generated page
//   npm run docs:check    (root) fails if one is out of date
import { join } from "node:path"
import { root, writeOrCheck } from "../../core/scripts/generatedDoc.ts"
import { render } from "./apiDoc.ts"

writeOrCheck({
  outputPath: join(root, "docs", "api.md"),
  generated: render(),
  fix: "Run `npm run docs` and commit docs/api.md."
})
