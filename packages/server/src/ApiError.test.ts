import { assert, describe, it } from "@effect/vitest"
import {
  ConcurrencyConflict,
  EventStoreError,
  IdempotencyMismatch,
  InvalidCommand,
  InvalidEvent,
  RuleViolation,
  UnknownEventType
} from "@shuangbai/eventsourcing"
import * as ApiError from "./ApiError.ts"

describe("ApiError.fromHandleError", () => {
  const stream = { category: "visit", id: "v-1" }
  const cases = [
    [
      new InvalidCommand({ command: "RecordVisit", issues: [{ path: "visitedOn", message: "bad" }] }),
      400,
      "InvalidRequest"
    ],
    [
      new RuleViolation({ code: "VisitAlreadyConducted", message: "done", messageZh: "已完成", fields: {} }),
      422,
      "VisitAlreadyConducted"
    ],
    [
      new ConcurrencyConflict({ tenant: "t", stream, expected: { _tag: "Exact", version: 1 }, actual: 2 }),
      409,
      "ConcurrencyConflict"
    ],
    [new IdempotencyMismatch({ tenant: "t", commandId: "c" }), 409, "IdempotencyMismatch"],
    [new EventStoreError({ reason: "Unavailable", message: "down" }), 503, "Unavailable"],
    [new EventStoreError({ reason: "TooLarge", message: "big" }), 413, "PayloadTooLarge"],
    [new EventStoreError({ reason: "InvalidRequest", message: "no" }), 400, "InvalidRequest"],
    [new EventStoreError({ reason: "Corrupt", message: "bad row" }), 500, "EventStoreCorrupt"],
    [new UnknownEventType({ type: "X", schemaVersion: 1, eventId: "e" }), 500, "UnknownEventType"],
    [new InvalidEvent({ type: "X", schemaVersion: 1, eventId: "e", issues: [] }), 500, "InvalidEvent"]
  ] as const

  it("gives each failure of a command its status and code, in the one shape", () => {
    for (const [error, status, code] of cases) {
      const answer = ApiError.fromHandleError(error)
      assert.strictEqual(answer.status, status, error._tag)
      assert.strictEqual(answer.body.status, status)
      assert.strictEqual(answer.body.code, code)
      assert.isNotEmpty(answer.body.message)
    }
  })

  it("keeps both languages of a rule, the field paths of a bad command and says when to retry", () => {
    const rule = ApiError.fromHandleError(cases[1][0])
    assert.deepStrictEqual(rule.body.messages, { "zh-CN": "已完成", en: "done" })
    assert.deepStrictEqual(ApiError.fromHandleError(cases[0][0]).body.issues, [{ path: "visitedOn", message: "bad" }])
    assert.strictEqual(ApiError.fromHandleError(cases[4][0]).headers["retry-after"], "5")
    assert.strictEqual(ApiError.rateLimited(7).headers["retry-after"], "7")
  })
})
