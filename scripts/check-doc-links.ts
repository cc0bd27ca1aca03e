// Every `docs/<name>.md` path named in the repository's code and docs must exist: a comment or README that cites a
// doc nobody wrote sends its reader nowhere. A path that starts with `../` is resolved from the file that names
// it (a Markdown link); any other from the repository's root (a citation in a comment).
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"

const root = join(import.meta.dirname, "..")
const scanned = /\.(?:[cm]?[jt]s|md|json|sh)$/
// `docs/<name>.md` or `../../docs/<name>.md`, not a `docs` folder deeper in some other path
const docPath = /(?<![\w./-])((?:\.\.\/)*)(docs\/[\w./-]*?\.md)\b/g

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8"
})
  .split("\n")
  .filter((file) => scanned.test(file) && file !== "package-lock.json" && existsSync(join(root, file)))

const missing: Array<string> = []
for (const file of files) {
  const lines = readFileSync(join(root, file), "utf8").split("\n")
  lines.forEach((line, index) => {
    for (const [named, up, path] of line.matchAll(docPath)) {
      const target = up === "" ? join(root, path!) : join(root, dirname(file), up!, path!)
      if (!existsSync(target)) missing.push(`${file}:${index + 1}: ${named} (no ${relative(root, target)})`)
    }
  })
}

if (missing.length > 0) {
  console.error(`docs named but not in the repository:\n${missing.join("\n")}`)
  process.exit(1)
}
console.log(`every docs/*.md named in ${files.length} files exists`)
