// Every package under packages/ must declare exactly the packages its built dist imports (JavaScript and
// declarations), as dependencies or peerDependencies, and take `effect` as a peer so a host has one copy of it.
// Run after `npm run build`; exits 1 naming each package and dependency that is missing, unused or misplaced.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { isBuiltin } from "node:module"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const packagesDir = join(root, "packages")
const peersOnly = ["effect"]

// import … from "x", export … from "x", import "x", import("x"), require("x")
const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'.\s][^"'\s]*)["']/g
// /// <reference types="x" />, which a host resolves to @types/x
const typesReference = /^\/\/\/\s*<reference\s+types="([^"]+)"/gm
const packageOf = (name: string) =>
  name
    .split("/")
    .slice(0, name.startsWith("@") ? 2 : 1)
    .join("/")

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )

const problems: Array<string> = []
for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
  const dir = join(packagesDir, entry.name)
  if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const dist = join(dir, "dist")
  if (!existsSync(dist)) {
    problems.push(`${manifest.name}: no dist/ (run npm run build first)`)
    continue
  }
  const imported = new Set<string>()
  for (const file of filesUnder(dist).filter((f) => /\.(c|m)?js$|\.d\.(c|m)?ts$/.test(f))) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(specifier)) {
      if (!isBuiltin(name)) imported.add(packageOf(name))
    }
    for (const [, name] of readFileSync(file, "utf8").matchAll(typesReference)) imported.add(`@types/${name}`)
  }
  const dependencies = Object.keys(manifest.dependencies ?? {})
  const peers = Object.keys(manifest.peerDependencies ?? {})
  const declared = new Set([...dependencies, ...peers])
  for (const name of [...imported].sort()) {
    if (!declared.has(name))
      problems.push(`${manifest.name}: dist imports ${name}, which package.json does not declare`)
  }
  for (const name of [...declared].sort()) {
    if (!imported.has(name)) problems.push(`${manifest.name}: declares ${name}, which dist never imports`)
  }
  for (const name of peersOnly) {
    if (dependencies.includes(name)) problems.push(`${manifest.name}: ${name} belongs in peerDependencies`)
    if (imported.has(name) && !peers.includes(name)) problems.push(`${manifest.name}: ${name} must be a peer`)
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"))
  process.exit(1)
}
console.log("every package declares exactly what its dist imports")
