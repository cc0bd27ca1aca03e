import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"

// Imports each package the way a host app would: by name, without the "@shuangbai/source" condition, so the
// `exports` map, the ESM and CJS builds and their runtime dependencies are what gets exercised.
const root = join(import.meta.dirname, "..")
// The testing kit is ESM only: vitest, which it builds on, cannot be required; the server is ESM only as
// @effect/platform-node is.
const packages = [
  { name: "eventsourcing", cjs: true },
  { name: "core", cjs: true },
  { name: "testing", cjs: false },
  { name: "postgres", cjs: true },
  { name: "server", cjs: false },
  { name: "cli", cjs: false }
] as const

const run = (args: ReadonlyArray<string>) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" })

describe("built packages", () => {
  for (const { name, cjs: hasCjs } of packages) {
    it(`@shuangbai/${name} loads from dist${hasCjs ? " as ESM and CJS" : ""} with the same exports as its source`, async () => {
      assert.isTrue(existsSync(join(root, "packages", name, "dist", "index.js")), "run `npm run build` first")
      const esm = JSON.parse(
        run([
          "--input-type=module",
          "-e",
          `const m = await import("@shuangbai/${name}"); console.log(JSON.stringify(Object.keys(m).sort()))`
        ])
      ) as Array<string>
      const source = Object.keys(await import(`../packages/${name}/src/index.ts`)).sort()
      assert.deepStrictEqual(esm, source)
      if (hasCjs) {
        const cjs = JSON.parse(
          run(["-e", `console.log(JSON.stringify(Object.keys(require("@shuangbai/${name}")).sort()))`])
        ) as Array<string>
        assert.deepStrictEqual(cjs, source)
      }
      assert.isAbove(source.length, 0)
    })
  }

  it("an append through the built in-memory store works end to end", () => {
    const out = run([
      "--input-type=module",
      "-e",
      `import { Effect } from "effect"
       import { EventStore, HashChain } from "@shuangbai/eventsourcing"
       const program = Effect.gen(function* () {
         const store = yield* EventStore.EventStore
         const result = yield* store.append({
           tenant: "t", stream: { category: "c", id: "1" }, expected: { _tag: "NoStream" },
           events: [{ eventId: "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b", type: "Happened", schemaVersion: 1, data: { n: 1 },
                      occurredAt: "2026-01-01T00:00:00.000Z", subjects: [] }],
           context: { actor: { id: "a", role: "worker" }, commandId: "c1", correlationId: "c1", causationId: "c1" }
         })
         return HashChain.verify(result.events) === undefined && result.events[0].position === 1
       })
       console.log(await Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory))))`
    ])
    assert.strictEqual(out.trim(), "true")
  })
})
