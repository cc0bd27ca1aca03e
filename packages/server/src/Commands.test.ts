import { assert, describe, it } from "@effect/vitest"
import { Domain } from "@shuangbai/core"
import * as Commands from "./Commands.ts"

describe("Commands", () => {
  it("offers every command Domain routes, at its context's path, each once", () => {
    const offered = Commands.routes.map((r) => r.tag).sort()
    const routed = Domain.contexts.flatMap((c) => c.commands).sort()
    assert.deepStrictEqual(offered, routed)
    for (const route of Commands.routes) {
      assert.strictEqual(Domain.contextOfCommand(route.tag)?.name, route.context.name)
      assert.strictEqual(route.path, `/commands/${route.context.name}/${route.tag}`)
      assert.strictEqual(route.schema.identifier, route.tag)
    }
    assert.strictEqual(new Set(Commands.routes.map((r) => r.path)).size, Commands.routes.length)
  })

  it("offers no step of another command", () => {
    assert.isUndefined(Commands.byTag.get("FillPost"))
    assert.isUndefined(Commands.byTag.get("VacatePost"))
  })
})
