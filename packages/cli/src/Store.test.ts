import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import type { CliFailure } from "./Failure.ts"
import * as Store from "./Store.ts"

const failureOf = <A>(effect: Effect.Effect<A, CliFailure>): CliFailure | undefined => {
  const exit = Effect.runSyncExit(effect)
  return Exit.isFailure(exit) ? (exit.cause.reasons[0] as { error: CliFailure }).error : undefined
}

const flags = (databaseUrl?: string, dataDir?: string): Store.Flags => ({
  databaseUrl: Option.fromUndefinedOr(databaseUrl),
  dataDir: Option.fromUndefinedOr(dataDir),
  schema: "shuangbai"
})

describe("Store.target", () => {
  it("refuses a database URL that is not PostgreSQL's, without showing its password", () => {
    for (const url of ["mysql://root:secret@db/x", "not a url", "postgres:///nohost", "http://127.0.0.1:5432/test"]) {
      const failure = failureOf(Store.target(flags(url)))
      assert.strictEqual(failure?.reason, "BadDatabaseUrl", url)
      assert.notInclude(failure?.message, "secret")
    }
    assert.strictEqual(failureOf(Store.target(flags("postgres://a@b/c", "/tmp/x")))?.reason, "Usage")
  })

  it("takes postgres:// and postgresql:// URLs, and a data directory otherwise", () => {
    for (const url of ["postgres://postgres@127.0.0.1:5432/test", "postgresql://u:p@db.example:6432/x"]) {
      assert.strictEqual(Effect.runSync(Store.target(flags(url)))._tag, "Server")
    }
    const embedded = Effect.runSync(Store.target(flags(undefined, "relative/dir")))
    assert.strictEqual(embedded._tag, "Embedded")
    assert.isTrue(embedded._tag === "Embedded" && embedded.dataDir.endsWith("/relative/dir"))
  })
})

describe("the data directory's lock", () => {
  const lockOf = (dir: string) =>
    existsSync(Store.lockFile(dir)) ? readFileSync(Store.lockFile(dir), "utf8").trim() : ""

  it("is refused while a live process holds it, and taken over from one that is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shuangbai-lock-"))
    try {
      // another process that is alive: the one that started this one
      const parent = process.ppid
      writeFileSync(Store.lockFile(dir), `${parent}\n`)
      const held = await Effect.runPromiseExit(Effect.scoped(Store.acquireLock(dir)))
      assert.isTrue(Exit.isFailure(held))
      assert.include(JSON.stringify(held), "DataDirLocked")
      assert.strictEqual(lockOf(dir), String(parent), "the holder's lock is left alone")

      // a pid no process has (the highest a Linux kernel hands out, plus one)
      writeFileSync(Store.lockFile(dir), "4194305\n")
      await Effect.runPromise(
        Effect.scoped(
          Effect.andThen(
            Store.acquireLock(dir),
            Effect.sync(() => assert.strictEqual(lockOf(dir), String(process.pid)))
          )
        )
      )
      assert.isFalse(existsSync(Store.lockFile(dir)), "released when the scope closes")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
