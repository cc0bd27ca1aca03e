import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestConsole } from "effect/testing"
import { main } from "./main.ts"

describe("quickstart", () => {
  it.live("registers a household, records a visit and prints the report in zh-CN and en", () =>
    Effect.gen(function* () {
      const report = yield* main
      assert.deepStrictEqual(report.total, { householdsOnFile: 1, householdsVisited: 1, visitsHeld: 1 })
      assert.deepStrictEqual(
        report.stations.map((s) => [s.station as string, s.householdsOnFile, s.householdsVisited, s.visitsHeld]),
        [["huangpen", 1, 1, 1]]
      )
      const output = (yield* TestConsole.logLines).join("\n").split("\n")
      assert.deepStrictEqual(output, [
        "全县 2025-01-01 至 2025-06-30：建档户数 1，探访户数 1，探访次数 1",
        "  huangpen: 建档户数 1，探访户数 1，探访次数 1",
        "County, 2025-01-01 to 2025-06-30: households on file 1, households visited 1, visits held 1",
        "  huangpen: households on file 1, households visited 1, visits held 1"
      ])
    }).pipe(Effect.provide(TestConsole.layer))
  )
})
