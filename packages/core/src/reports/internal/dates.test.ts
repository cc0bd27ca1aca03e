import { assert, describe, it } from "@effect/vitest"
import { Arbitrary } from "@shuangbai/testing"
import type { Schema } from "effect"
import * as fc from "fast-check"
import * as Activities from "../../activities/index.ts"
import * as Casework from "../../casework/index.ts"
import type * as Domain from "../../Domain.ts"
import * as Recruitment from "../../recruitment/index.ts"
import * as Registry from "../../registry/index.ts"
import * as Relief from "../../relief/index.ts"
import { startOfChinaDay } from "../../shared/Dates.ts"
import type { DriveId, StationId } from "../../shared/Ids.ts"
import * as Stations from "../../stations/index.ts"
import * as Training from "../../training/index.ts"
import * as Visits from "../../visits/index.ts"
import * as Workforce from "../../workforce/index.ts"
import { businessDate } from "./dates.ts"

// Each context's events with the handler definition that records them (workforce has two, both alike).
const contexts = [
  [Registry, Registry.definition],
  [Visits, Visits.definition],
  [Stations, Stations.definition],
  [Workforce, Workforce.workerDefinition],
  [Recruitment, Recruitment.definition],
  [Casework, Casework.definition],
  [Activities, Activities.definition],
  [Relief, Relief.definition],
  [Training, Training.definition]
] as const

describe("businessDate", () => {
  it("a report dates every event on the day its handler records as occurredAt", () => {
    for (const [context, definition] of contexts) {
      const occurredAt = definition.occurredAt as (event: Domain.Event) => number | undefined
      for (const schema of context.Events.Event.members) {
        fc.assert(
          fc.property(Arbitrary.make(schema as Schema.Codec<Domain.Event, unknown, never, never>), (event) => {
            const date = businessDate(event)
            assert.strictEqual(occurredAt(event), date === undefined ? undefined : startOfChinaDay(date))
          }),
          { numRuns: 20 }
        )
      }
    }
  })

  it("a drive is dated when it is announced, not by the day its window opens", () => {
    const opened = new Recruitment.Events.DriveOpened({
      drive: "drive-2025" as DriveId,
      title: "招聘",
      vacancies: 1,
      stations: ["huangpen" as StationId],
      opensOn: "2025-07-20",
      closesOn: "2025-08-04"
    })
    assert.strictEqual(businessDate(opened), undefined)
    assert.strictEqual(Recruitment.definition.occurredAt?.(opened), undefined)
  })
})
