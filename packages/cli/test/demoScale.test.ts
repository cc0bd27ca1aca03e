import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { exitCodes } from "../src/Failure.ts"
import { run } from "./helpers.ts"

// `shuangbai demo --scale` takes any scale in (0, 1]: a county smaller than the scenario's case files
// still builds (examples/yangshan opens fewer cases), and a scale out of range is a usage error.

const dir = mkdtempSync(join(tmpdir(), "shuangbai-cli-scale-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("shuangbai demo --scale", () => {
  it("builds a county below the old 0.01 floor, and refuses 0 and above 1", async () => {
    const [tiny, zero, above] = await Promise.all([
      run(["demo", "--scale", "0.001", "--data-dir", join(dir, "tiny")]),
      run(["demo", "--scale", "0", "--data-dir", join(dir, "zero")]),
      run(["demo", "--scale", "1.5", "--data-dir", join(dir, "above")])
    ])
    assert.strictEqual(tiny.code, 0, tiny.stderr)
    assert.match(tiny.stdout, /Hash chain verified/)
    for (const refused of [zero, above]) {
      assert.strictEqual(refused.code, exitCodes.Usage, refused.stderr)
      assert.include(refused.stderr, "--scale takes a number above 0 and at most 1")
    }
  }, 120_000)
})
