import { EventStore } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { assert, it } from "vitest"
import { describePg, pgRelay, pgStore, randomSchema, seed, start, visit } from "./helpers.ts"
import { suite } from "./ServerSuite.ts"

describePg("HTTP API on PostgreSQL", () => {
  suite("PostgreSQL", () => pgStore())

  it("answers 503 with Retry-After while the database is unreachable, and recovers", async () => {
    const relay = await pgRelay()
    const server = await start(pgStore({ url: relay.url() }))
    try {
      await seed(server)
      await relay.cut()
      const command = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-503"), {
        "idempotency-key": "during-outage"
      })
      assert.strictEqual(command.status, 503, JSON.stringify(command.body))
      assert.strictEqual(command.body.code, "Unavailable")
      assert.match(command.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/)
      const ready = await server.call(undefined, "GET", "/ready")
      assert.strictEqual(ready.status, 503)
      assert.isNotNull(ready.headers.get("retry-after"))
      assert.deepStrictEqual((await server.call(undefined, "GET", "/health")).body, { status: "ok" })
      await relay.restore()
      let recovered = await server.call(undefined, "GET", "/ready")
      for (let i = 0; i < 50 && recovered.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        recovered = await server.call(undefined, "GET", "/ready")
      }
      assert.strictEqual(recovered.status, 200)
      // The client retries with the same key: written once.
      const retried = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-503"), {
        "idempotency-key": "during-outage"
      })
      assert.strictEqual(retried.status, 200, JSON.stringify(retried.body))
      const log = await server.call("auditor", "GET", "/events?after=0&limit=1000")
      assert.strictEqual(log.body.filter((e: any) => e.commandId === "during-outage").length, 1)
    } finally {
      await server.close()
    }
  })

  it("answers 409 when another writer moves the stream on every attempt, and writes nothing", async () => {
    // The real store, read one event behind on visit streams: as if another writer appended between each
    // read and its append, so every append the handler makes is refused by the store's version check.
    let visitReads = 0
    const contended = Layer.effect(
      EventStore.EventStore,
      Effect.map(EventStore.EventStore, (store) => ({
        ...store,
        readStream: (tenant, stream, options) =>
          stream.category !== "visit"
            ? store.readStream(tenant, stream, options)
            : Effect.map(
                Effect.flatMap(
                  Effect.sync(() => visitReads++),
                  () => store.readStream(tenant, stream, options)
                ),
                (events) => events.slice(0, -1)
              )
      }))
    ).pipe(Layer.provideMerge(pgStore()))
    const server = await start(contended)
    try {
      await seed(server)
      const first = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-409"), {
        "idempotency-key": "first"
      })
      assert.strictEqual(first.status, 200, JSON.stringify(first.body))
      visitReads = 0
      const again = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-409"), {
        "idempotency-key": "contended"
      })
      assert.strictEqual(again.status, 409, JSON.stringify(again.body))
      assert.strictEqual(again.body.code, "ConcurrencyConflict")
      assert.isAbove(visitReads, 1, "the handler retried before giving up")
      const log = await server.call("auditor", "GET", "/events?after=0&limit=1000")
      assert.deepStrictEqual(
        log.body.filter((e: any) => e.stream.category === "visit").map((e: any) => e.commandId),
        ["first"]
      )
    } finally {
      await server.close()
    }
  })

  it("answers 429 with Retry-After past a principal's rate limit, and other principals go on", async () => {
    const server = await start(pgStore(), { rateLimit: { requests: 3, perSeconds: 3600 } })
    try {
      const answers = []
      for (let i = 0; i < 4; i++) answers.push(await server.call("auditor", "GET", "/events?after=0"))
      assert.deepStrictEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 429]
      )
      assert.strictEqual(answers[3]!.body.code, "RateLimited")
      assert.match(answers[3]!.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/)
      assert.strictEqual((await server.call("bureau", "GET", "/reports/recruitment?asOf=2025-08-01")).status, 200)
    } finally {
      await server.close()
    }
  })

  it("shuts down gracefully: live feeds end, and every command recorded was answered", async () => {
    const schema = randomSchema()
    const server = await start(pgStore({ schema, keep: true }))
    await seed(server)
    const feed = fetch(`${server.base}/feed`, {
      headers: { authorization: "Bearer key-auditor", "x-purpose": "e2e" }
    }).then((r) => r.text())
    const sent = Array.from({ length: 8 }, (_, i) =>
      server
        .call("worker", "POST", "/commands/visits/RecordVisit", visit(`v-shutdown-${i}`), {
          "idempotency-key": `shutdown-${i}`
        })
        .then(
          (answer) => answer.status,
          () => "no answer" as const
        )
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    await server.close()
    const statuses = await Promise.all(sent)
    await feed.catch(() => "")
    // Read what was recorded through a fresh server on the same schema, then drop it.
    const after = await start(pgStore({ schema }))
    try {
      const log = await after.call("auditor", "GET", "/events?after=0&limit=1000")
      const recorded = new Set(log.body.map((e: any) => e.commandId))
      for (let i = 0; i < statuses.length; i++) {
        if (recorded.has(`shutdown-${i}`)) assert.strictEqual(statuses[i], 200, `command ${i} was recorded`)
      }
      assert.isTrue(statuses.some((s) => s === 200))
    } finally {
      await after.close()
    }
  })
})
