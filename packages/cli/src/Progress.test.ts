import { PassThrough } from "node:stream"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Progress from "./Progress.ts"

const stream = (tty: boolean) => {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean }
  if (tty) out.isTTY = true
  let written = ""
  out.on("data", (chunk) => {
    written += chunk
  })
  return { out: out as unknown as NodeJS.WriteStream, written: () => written }
}

describe("Progress.bar", () => {
  it("redraws one line in place on a terminal and ends it", async () => {
    const { out, written } = stream(true)
    const bar = Progress.bar("verify", 2_000, out)
    await Effect.runPromise(Effect.andThen(Effect.forEach([500, 1_000, 2_000], bar.update), bar.finish))
    const text = written()
    assert.include(text, "\rverify [#######")
    assert.include(text, "100% 2,000/2,000")
    assert.isTrue(text.endsWith("\n"))
    assert.strictEqual(text.split("\n").length, 2, "one line")
  })

  it("writes nothing when the stream is not a terminal", async () => {
    const { out, written } = stream(false)
    const bar = Progress.bar("verify", 2_000, out)
    await Effect.runPromise(Effect.andThen(Effect.forEach([500, 2_000], bar.update), bar.finish))
    assert.strictEqual(written(), "")
  })
})
