import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Authentication from "./Authentication.ts"

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "sb-keys-")), "keys.json")
  writeFileSync(path, content)
  return path
}

describe("Authentication.readApiKeys", () => {
  it.effect("reads keys and revoked keys", () =>
    Effect.gen(function* () {
      const keys = yield* Authentication.readApiKeys(
        file(
          JSON.stringify({ keys: { k1: { id: "w-1", tenant: "t", roles: ["worker"], station: "s" } }, revoked: ["k0"] })
        )
      )
      assert.strictEqual(keys.keys.k1?.station, "s")
      assert.deepStrictEqual(keys.revoked, ["k0"])
    })
  )

  it.effect("names the field that is wrong", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Authentication.readApiKeys(
          file(JSON.stringify({ keys: { k1: { id: "w-1", tenant: "t", roles: ["janitor"] } } }))
        )
      )
      assert.strictEqual(error._tag, "ApiKeysFileError")
      assert.isTrue(error.issues.some((i) => i.path.startsWith("keys.k1.roles")))
    })
  )

  it.effect("refuses a file that is not JSON, or missing", () =>
    Effect.gen(function* () {
      assert.match((yield* Effect.flip(Authentication.readApiKeys(file("{keys")))).message, /not JSON/)
      assert.match((yield* Effect.flip(Authentication.readApiKeys("/nonexistent/keys.json"))).message, /cannot read/)
    })
  )
})
