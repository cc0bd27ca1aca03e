import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
// README example: start
import { Domain, Registry, Visits, Workforce } from "@shuangbai/core"
import { CommandHandler, Rule } from "@shuangbai/eventsourcing"
import { HandlerSpec } from "@shuangbai/testing"
import { Result, Schema } from "effect"

// The county's own rule, stricter than the library's: a conducted visit's findings run to 10 characters.
const FindingsTooShort = Rule.define<{ visit: string }>("FindingsTooShort", {
  en: (f) => `visit ${f.visit}: write at least 10 characters of findings`,
  zh: (f) => `探访 ${f.visit}：情况记录不少于 10 个字`
})

// The library's visit handler (decision, loaders, subjects, business times, retries) with the rule added.
const handleVisit = CommandHandler.make(
  CommandHandler.withRule(Visits.definition, {
    decide: (command) =>
      command._tag === "RecordVisit" && [...command.findings].length < 10
        ? Result.fail(FindingsTooShort({ visit: command.visit }))
        : Result.void
  })
)

// Given events already in a store (a fresh in-memory one per scenario), when a command goes through it…
const spec = HandlerSpec.make(handleVisit, { codec: Domain.codec, now: Date.parse("2025-01-28T10:00:00+08:00") })
const household = Schema.decodeUnknownSync(Registry.Events.HouseholdRegistered)({
  _tag: "HouseholdRegistered",
  household: "hh-1",
  station: "huangpen",
  township: "huangpen",
  village: "v-1",
  address: "黄盆镇某村 3 号",
  head: { person: "p-1", name: "陈伯", birthDate: "1942-05-05" },
  registeredOn: "2025-01-10"
})
const worker = Schema.decodeUnknownSync(Workforce.Events.WorkerHired)({
  _tag: "WorkerHired",
  worker: "w-1",
  name: "李社工",
  station: "huangpen",
  hiredOn: "2025-01-02"
})
const given = spec.given(
  { stream: Registry.streamOf(household.household), events: [household] },
  { stream: Workforce.streamOf(worker.worker), events: [worker] }
)
const visit = {
  _tag: "RecordVisit",
  visit: "visit-1",
  household: "hh-1",
  station: "huangpen",
  worker: "w-1",
  visitedOn: "2025-01-27",
  personsSeen: ["p-1"],
  modality: "HomeVisit",
  findings: "独居，身体尚可，缺御寒衣物",
  needs: ["御寒衣物"],
  itemsGiven: []
} as const

describe("a county's own rule in the real command path", () => {
  it.effect("refuses short findings with the county's rule, and writes nothing", () =>
    given.when({ ...visit, findings: "独居" }).thenFails(FindingsTooShort)
  )
  it.effect("keeps the library's rules: a visit by a worker not yet hired is refused", () =>
    given.when({ ...visit, visitedOn: "2025-01-01" }).thenFails(Workforce.Decide.WorkerNotOnPostAtStation)
  )
  it.effect("records a visit that meets both", () =>
    given
      .when(visit)
      .then([Schema.decodeUnknownSync(Visits.Events.VisitConducted)({ ...visit, _tag: "VisitConducted" })])
  )
})
// README example: end

describe("packages/testing/README.md", () => {
  it("shows this example as it is tested here", () => {
    const source = readFileSync(fileURLToPath(import.meta.url), "utf8")
    const example = source.slice(
      source.indexOf("// README example: start\n") + "// README example: start\n".length,
      source.indexOf("// README example: end")
    )
    const readme = readFileSync(fileURLToPath(new URL("../../testing/README.md", import.meta.url)), "utf8")
    assert.include(readme, `\`\`\`ts\n${example}\`\`\``)
  })
})
