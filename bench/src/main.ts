// `npm run bench` runs every benchmark at the quick size; `npm run bench:full` at the full size.
// `npm run bench -- replay` or `-- store` runs one. Figures print as tables with ratios against a
// baseline measured in the same run, never against numbers from another machine.
const args = process.argv.slice(2)
const full = args.includes("--full")
const only = args.filter((a) => !a.startsWith("--"))
const suites: Record<string, () => Promise<{ run: (options: { full: boolean }) => Promise<void> }>> = {
  audit: () => import("./audit.ts"),
  handle: () => import("./handle.ts"),
  http: () => import("./http.ts"),
  replay: () => import("./replay.ts"),
  sealing: () => import("./sealing.ts"),
  spans: () => import("./spans.ts"),
  store: () => import("./store.ts")
}
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue
  console.log(`\n## ${name} (${full ? "full" : "quick"})\n`)
  await (await load()).run({ full })
}
