import { assert, describe, it } from "@effect/vitest"
import { Decider, Projection, type Recorded } from "@shuangbai/eventsourcing"
import { ProjectionLaws } from "@shuangbai/testing"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Commands from "./Commands.ts"
import { decider } from "./Decide.ts"
import type { Event } from "./Events.ts"
import { households } from "./Projections.ts"
import { streamOf } from "./Stream.ts"

const command = Schema.decodeUnknownSync(Commands.Command)
const context = {
  tenant: "yangshan",
  actor: { id: "w1", role: "worker" },
  now: Date.parse("2025-06-30T10:00:00+08:00")
}
const ids = ["h1", "h2", "h3"]

const anyCommand = fc.oneof(
  fc.tuple(fc.constantFrom(...ids), fc.constantFrom("s1", "s2")).map(([household, station]) => ({
    _tag: "RegisterHousehold",
    household,
    station,
    township: "t",
    village: "v",
    address: "某村",
    head: { person: `${household}-head`, name: "户主", birthDate: "1950-01-01" },
    registeredOn: "2025-01-01"
  })),
  fc.tuple(fc.constantFrom(...ids), fc.constantFrom("a", "b")).map(([household, who]) => ({
    _tag: "AddMember",
    household,
    person: `${household}-${who}`,
    name: "成员",
    birthDate: "2000-01-01",
    relation: "Child"
  })),
  fc.tuple(fc.constantFrom(...ids), fc.constantFrom("a", "b")).map(([household, who]) => ({
    _tag: "RemoveMember",
    household,
    person: `${household}-${who}`,
    reason: "迁出"
  })),
  fc.constantFrom(...ids).map((household) => ({
    _tag: "ArchiveHousehold",
    household,
    archivedOn: "2025-06-01",
    reason: "迁出"
  }))
)

describe("registry projections: households", () => {
  it("holds each household as its own stream folds it, in one batch or resumed", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { minLength: 1, maxLength: 40 }), fc.nat(), (inputs, cut) => {
        const streams = new Map<string, Array<Event>>()
        const log: Array<Recorded<Event>> = []
        const record = ProjectionLaws.recorder<Event>((event) => ({
          stream: streamOf(event.household),
          actor: context.actor
        }))
        for (const input of inputs) {
          const c = command(input)
          const history = streams.get(c.household) ?? []
          const decided = decider.decide(c, Decider.fold(decider, history), context)
          if (Result.isFailure(decided)) continue
          for (const event of decided.success) {
            history.push(event)
            log.push(record(event))
          }
          streams.set(c.household, history)
        }
        const k = cut % (log.length + 1)
        const folded = Projection.fold(households, log.slice(k), Projection.fold(households, log.slice(0, k)))
        assert.strictEqual(folded.size, streams.size)
        for (const [id, history] of streams) {
          assert.deepStrictEqual(folded.get(id as never), Decider.fold(decider, history))
        }
      })
    )
  })
})
