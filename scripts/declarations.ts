// Emits a package's declarations with tsc, one file per module, into dist/: `index.d.ts` for `import` and, when the
// package ships CommonJS, an `index.d.cts` tree for `require`. Run from the package's directory after tsup.
//
// Why not tsup's `dts: true`: its bundler (rollup-plugin-dts) rewrites `export * as X from "./X.ts"` into a
// `declare namespace X` that lists every name that is both a value and a type (a Schema and its type,
// `const HouseholdId` + `type HouseholdId`) in `export type { … }`, so a host could not use the library's Schemas
// as values; and it re-declares interfaces such as `Decider<in Command, …>` as type aliases that keep their
// variance annotations, which fails `skipLibCheck: false` (TS2637). tsc's own emit is what the sources say.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import ts from "typescript"

const packageDir = process.cwd()
const outDir = join(packageDir, "dist")
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"))
const withCommonJs = JSON.stringify(manifest.exports ?? {}).includes('"require"')

const config = ts.getParsedCommandLineOfConfigFile(
  join(packageDir, "tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic])
  }
)!
const { tsBuildInfoFile: _, ...inherited } = config.options
const options: ts.CompilerOptions = {
  ...inherited,
  rootDir: join(packageDir, "src"),
  outDir,
  declaration: true,
  declarationMap: true,
  emitDeclarationOnly: true,
  composite: false,
  incremental: false,
  // Resolve sibling packages through their built dist, as a host does, not through their sources.
  customConditions: []
}
// Only what the entry point reaches is the API; tests and test helpers in src stay out.
const program = ts.createProgram({ rootNames: [join(packageDir, "src", "index.ts")], options })
const diagnostics = ts.getPreEmitDiagnostics(program)
if (diagnostics.length > 0) fail(diagnostics)

// Sources import with `.ts` extensions; a declaration file names the module a host resolves: `.js` beside `.d.ts`,
// `.cjs` beside `.d.cts`.
const relativeTs = /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']+)\.ts\2/g
const retarget = (text: string, extension: ".js" | ".cjs") => text.replace(relativeTs, `$1$2$3${extension}$2`)

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

const emitted = program.emit(undefined, (path, text) => {
  if (path.endsWith(".d.ts")) {
    write(path, retarget(text, ".js"))
    if (withCommonJs) {
      const cts = path.replace(/\.d\.ts$/, ".d.cts")
      write(cts, retarget(text, ".cjs").replace(/(\/\/# sourceMappingURL=.*)\.d\.ts\.map$/m, "$1.d.cts.map"))
    }
  } else if (path.endsWith(".d.ts.map")) {
    write(path, text)
    if (withCommonJs) {
      const map = JSON.parse(text)
      map.file = String(map.file).replace(/\.d\.ts$/, ".d.cts")
      write(path.replace(/\.d\.ts\.map$/, ".d.cts.map"), JSON.stringify(map))
    }
  } else {
    throw new Error(`unexpected output ${relative(packageDir, path)}`)
  }
})
if (emitted.diagnostics.length > 0) fail(emitted.diagnostics)
if (!existsSync(join(outDir, "index.d.ts"))) throw new Error(`${manifest.name}: no dist/index.d.ts was emitted`)

function fail(found: ReadonlyArray<ts.Diagnostic>): never {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => packageDir,
    getNewLine: () => "\n"
  }
  console.error(ts.formatDiagnosticsWithColorAndContext(found, host))
  process.exit(1)
}
