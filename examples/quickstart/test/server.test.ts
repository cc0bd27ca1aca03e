import { assert, describe, it } from "@effect/vitest"
import { Domain } from "@shuangbai/core"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { Effect, Layer } from "effect"
import { type Authenticate, start } from "../src/server.ts"

const tokens: Record<string, ReturnType<Authenticate>> = {
  "token-bureau": { tenant: "yangshan", actor: { id: "bureau-01", role: "bureau" } },
  "token-other-county": { tenant: "lianzhou", actor: { id: "bureau-09", role: "bureau" } }
}
const authenticate: Authenticate = (token) => tokens[token]

const configure = {
  _tag: "ConfigureCounty",
  name: "阳山县",
  townships: [{ township: "huangpen", name: "黄盆镇" }]
} as const

describe("an HTTP host with the store built once", () => {
  it("every request sees the same store; errors come back with their status and whether to retry", async () => {
    const { url, close } = await start(EventStore.layerMemory, authenticate)
    try {
      const post = (body: unknown, key: string | undefined, token = "token-bureau") =>
        fetch(`${url}/commands`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { "idempotency-key": key }) },
          body: JSON.stringify(body)
        })
      const head = async (token = "token-bureau") =>
        (
          (await (await fetch(`${url}/head`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
            position: number
          }
        ).position

      const first = await post(configure, "cmd-1")
      assert.strictEqual(first.status, 201)
      assert.deepStrictEqual(await first.json(), { duplicate: false, positions: [1] })
      // A later request sees what the first one wrote: one store for the process.
      assert.strictEqual(await head(), 1)
      // The tenant comes from the token: another county's log is its own.
      assert.strictEqual(await head("token-other-county"), 0)

      const again = await post(configure, "cmd-1")
      assert.strictEqual(again.status, 200)
      assert.deepStrictEqual(await again.json(), { duplicate: true, positions: [1] })

      const typo = await post({ ...configure, _tag: "ConfigureCounti" }, "cmd-2")
      assert.strictEqual(typo.status, 400)
      assert.deepInclude(await typo.json(), { error: "InvalidCommand", retryable: false })

      const station = {
        _tag: "EstablishStation",
        township: "qigong",
        station: "qigong",
        name: "七拱镇社工站",
        establishedOn: "2024-12-01"
      }
      const refused = await post(station, "cmd-3")
      assert.strictEqual(refused.status, 422)
      assert.deepInclude(await refused.json(), { error: "RuleViolation", retryable: false })

      assert.strictEqual((await post(configure, undefined)).status, 400)
      assert.strictEqual((await post(configure, "cmd-4", "token-stolen")).status, 401)
      assert.strictEqual(await head(), 1, "nothing refused was written")
    } finally {
      await close()
    }
  })

  it("the mistake the guide warns of: a layer provided per request is a new, empty store each time", async () => {
    const Store = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layer)
    const perRequest = <A, E>(program: Effect.Effect<A, E, EventStore.EventStore | IdGenerator.IdGenerator>) =>
      Effect.runPromise(program.pipe(Effect.provide(Store)))
    const headNow = Effect.flatMap(EventStore.EventStore, (store) => store.head("yangshan"))
    await perRequest(Domain.handle("yangshan", configure, { actor: tokens["token-bureau"]!.actor, commandId: "c-1" }))
    assert.strictEqual((await perRequest(headNow)).position, 0)
  })
})
