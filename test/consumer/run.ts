// The packages as a host app gets them: `npm pack` every package under packages/ (each tarball with its LICENSE and
// README, without tests), install the tarballs into a scratch app outside the workspace (no @shuangbai/source
// condition, no path mapping, no lockfile), and there, with strict, skipLibCheck false and module nodenext, once as
// ESM and once as CommonJS: type-check the probe in probe/ and a file naming every value the packages export, then
// run the probe on PGlite. Needs built packages (`npm run build`); `npm run test:consumer` builds first.
import { execFile } from "node:child_process"
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { promisify } from "node:util"

const root = join(import.meta.dirname, "..", "..")
const probeDir = join(import.meta.dirname, "probe")
const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
const pinned: Record<string, string> = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies

const started = Date.now()
const step = (title: string) => console.log(`-- ${title} (at ${((Date.now() - started) / 1000).toFixed(0)} s)`)
const exec = promisify(execFile)
const run = async (command: string, args: ReadonlyArray<string>, cwd: string) => {
  try {
    return (await exec(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}\n${stdout ?? ""}${stderr ?? ""}`)
  }
}
/** Every installed @shuangbai/* package, however deep. */
const shuangbaiDirs = (nodeModules: string): Array<string> =>
  readdirSync(nodeModules, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return []
    const dir = join(nodeModules, entry.name)
    const scoped = entry.name.startsWith("@")
      ? readdirSync(dir, { withFileTypes: true })
          .filter((inner) => inner.isDirectory())
          .map((inner) => join(dir, inner.name))
      : [dir]
    return scoped.flatMap((pkg) => [
      ...(entry.name === "@shuangbai" ? [pkg] : []),
      ...(existsSync(join(pkg, "node_modules")) ? shuangbaiDirs(join(pkg, "node_modules")) : [])
    ])
  })
const writeJson = (path: string, value: unknown) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)

/**
 * Every value each package exports, namespaces walked, as its sources have it (read through the
 * @shuangbai/source condition here in the workspace): `["Casework", "Events", "CaseType"]`.
 */
const valuePaths = async (names: ReadonlyArray<string>): Promise<Record<string, Array<Array<string>>>> => {
  const walk = `
    const walk = (ns, path) => Object.keys(ns).flatMap((key) =>
      Object.prototype.toString.call(ns[key]) === "[object Module]" ? walk(ns[key], [...path, key]) : [[...path, key]])
    const names = ${JSON.stringify(names)}
    console.log(JSON.stringify(Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, walk(await import(name), [])])))))`
  const args = ["--conditions=@shuangbai/source", "--input-type=module", "-e", walk]
  return JSON.parse(await run(process.execPath, args, root))
}

/** A file that names every exported value as a value: one that the declarations make a type only fails to compile. */
const valuesProbe = (packages: ReadonlyArray<{ readonly name: string; readonly paths: Array<Array<string>> }>) =>
  [
    ...packages.map((p, i) => `import * as p${i} from ${JSON.stringify(p.name)}`),
    "export const values: ReadonlyArray<unknown> = [",
    ...packages.flatMap((p, i) =>
      p.paths.map((path) => `  p${i}${path.map((key) => `[${JSON.stringify(key)}]`).join("")},`)
    ),
    "]",
    ""
  ].join("\n")

const scratch = mkdtempSync(join(tmpdir(), "shuangbai-consumer-"))
if (!relative(root, scratch).startsWith("..")) throw new Error(`the scratch app ${scratch} is inside the workspace`)

try {
  step("pack every package")
  const tarballs: Array<string> = []
  const manifests: Array<{ readonly name: string; readonly commonjs: boolean }> = []
  const problems: Array<string> = []
  for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
    const dir = join(root, "packages", entry.name)
    if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    if (manifest.private === true) continue
    if (!existsSync(join(dir, "dist"))) throw new Error(`${manifest.name} has no dist/: run npm run build first`)
    const [packed] = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", scratch], dir)) as Array<{
      filename: string
      files: Array<{ path: string }>
    }>
    const files = packed.files.map((file) => file.path)
    for (const required of ["LICENSE", "README.md", "package.json", "dist/index.d.ts"]) {
      if (!files.includes(required)) problems.push(`${manifest.name}: the tarball has no ${required}`)
    }
    for (const test of files.filter((file) => /\.test\.[cm]?[jt]s$/.test(file))) {
      problems.push(`${manifest.name}: the tarball ships the test ${test}`)
    }
    tarballs.push(join(scratch, packed.filename))
    manifests.push({ name: manifest.name, commonjs: manifest.exports?.["."]?.require !== undefined })
    console.log(`   ${packed.filename}: ${files.length} files`)
  }
  if (problems.length > 0) throw new Error(problems.join("\n"))
  const paths = await valuePaths(manifests.map((m) => m.name))
  const packages = manifests.map((m) => ({ ...m, paths: paths[m.name]! }))

  step("install the tarballs into a scratch app outside the workspace")
  const app = join(scratch, "app")
  mkdirSync(app)
  writeJson(join(app, "package.json"), { name: "consumer-app", version: "0.0.0", private: true })
  const tools = ["effect", "fast-check", "vitest", "@types/node"].map((name) => `${name}@${pinned[name]}`)
  await run(
    "npm",
    ["install", "--no-package-lock", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs, ...tools],
    app
  )
  // Every @shuangbai package must come from a tarball, none from the registry: one copy each, at the top.
  const copies = shuangbaiDirs(join(app, "node_modules"))
  if (
    copies.length !== tarballs.length ||
    copies.some((dir) => dirname(dir) !== join(app, "node_modules", "@shuangbai"))
  ) {
    throw new Error(`@shuangbai packages not from the tarballs:\n${copies.join("\n")}`)
  }

  // Both flavours at once: the type-checks (all of effect's declarations, skipLibCheck false) take most of the time.
  step("type-check and run the probe as ESM and as CommonJS")
  const probe = async (flavour: "module" | "commonjs") => {
    const dir = join(app, flavour)
    mkdirSync(dir)
    writeJson(join(dir, "package.json"), { type: flavour })
    writeJson(join(dir, "tsconfig.json"), {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2023",
        // effect's own declarations name DOM types (CryptoKey, JsonWebKey), so skipLibCheck false needs this lib.
        lib: ["es2023", "dom"],
        types: ["node"],
        rootDir: ".",
        outDir: "out"
      }
    })
    // The testing kit is ESM only (vitest cannot be required), so CommonJS runs the probe without it.
    const files = flavour === "module" ? ["probe.ts", "main.ts", "kit.ts"] : ["probe.ts", "main.ts"]
    for (const file of files) copyFileSync(join(probeDir, file), join(dir, file))
    writeFileSync(join(dir, "values.ts"), valuesProbe(packages.filter((p) => flavour === "module" || p.commonjs)))
    // Each flavour must reach the declarations of its own condition: .d.ts for import, .d.cts for require.
    const declarations = await run(process.execPath, [tsc, "-p", ".", "--listFiles"], dir)
    const wired = flavour === "module" ? "@shuangbai/core/dist/index.d.ts" : "@shuangbai/core/dist/index.d.cts"
    if (!declarations.split("\n").some((file) => file.endsWith(wired))) {
      throw new Error(`the ${flavour} probe did not load ${wired}`)
    }
    const entry = flavour === "module" ? "out/kit.js" : "out/main.js"
    const result = JSON.parse(await run(process.execPath, [entry], dir))
    const expected = {
      total: { householdsOnFile: 1, householdsVisited: 1, visitsHeld: 1 },
      referral: { household: "hh-1", on: "2025-02-01", caseType: "ElderlyCare" },
      refusesBadDate: true,
      ...(flavour === "module" ? { arbitraries: true } : {})
    }
    const { events, ...rest } = result
    if (JSON.stringify(rest) !== JSON.stringify(expected) || !(events > 0)) {
      throw new Error(`the probe answered ${JSON.stringify(result)}, expected ${JSON.stringify(expected)}`)
    }
    return `   ${flavour}: ${JSON.stringify(result)}`
  }
  for (const line of await Promise.all([probe("module"), probe("commonjs")])) console.log(line)
  console.log("the packed packages type-check and run as a host app uses them")
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
