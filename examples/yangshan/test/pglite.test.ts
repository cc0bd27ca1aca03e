import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { articleTime } from "../src/county.ts"
import { main, type Output, parseArgs } from "../src/main.ts"
import { clockFrom } from "../src/run.ts"

// The demo's own path on the embedded store, on a reduced county (scale 0.02, some 2,800 commands): sent
// through Domain.handle to PGlite on disk, read back, verified; then run again on the same directory.

const quiet = (): Output & { readonly lines: Array<string> } => {
  const lines: Array<string> = []
  return { lines, log: (line) => lines.push(line) }
}

const valuesOf = (
  figures: ReadonlyArray<{
    readonly measure: string
    readonly scope?: { readonly id: string }
    readonly value: number | undefined
  }>
) => figures.map((f) => [f.measure, f.scope?.id ?? "", f.value] as const)

describe("examples/yangshan on PGlite", () => {
  it.live(
    "sends the reduced county to PGlite on disk, reads back what the in-memory store gives, and a re-run only reads",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "yangshan-"))
        try {
          const args = parseArgs(["--data-dir", join(dir, "pglite"), "--scale", "0.02"])
          const first = yield* main(args, clockFrom(articleTime), quiet())
          assert.isTrue(first.sent)
          assert.isTrue(first.chainVerified)
          assert.isAbove(first.events, 2_000)

          const inMemory = yield* main({ ...args, memory: true }, clockFrom(articleTime), quiet())
          assert.deepStrictEqual(valuesOf(first.dashboard.figures), valuesOf(inMemory.dashboard.figures))
          assert.strictEqual(first.events, inMemory.events)

          const out = quiet()
          const second = yield* main(args, clockFrom(articleTime), out)
          assert.isFalse(second.sent)
          assert.isTrue(second.chainVerified)
          assert.strictEqual(second.events, first.events)
          assert.deepStrictEqual(valuesOf(second.dashboard.figures), valuesOf(first.dashboard.figures))
          assert.isTrue(out.lines.some((line) => line.includes("nothing to send")))
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }),
    600_000
  )
})
