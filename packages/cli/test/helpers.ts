import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createConnection } from "node:net"
import { join } from "node:path"
import { describe, it } from "@effect/vitest"

// The CLI run as a user runs it: a process of its bin (from the sources, with the @shuangbai/source
// condition, so the test needs no build), its exit code, stdout and stderr.

const bin = join(import.meta.dirname, "..", "src", "bin.ts")

export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const run = (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@shuangbai/source", bin, ...args], {
      cwd: options.cwd,
      env: { ...process.env, SHUANGBAI_DATABASE_URL: "", SHUANGBAI_DATA_DIR: "", SHUANGBAI_TENANT: "" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    // decoded as a stream: a character split between two chunks stays whole
    child.stdout.setEncoding("utf8")
    child.stderr.setEncoding("utf8")
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })

/** A long-running CLI process (serve), resolved once its stdout has printed `ready`. */
export const start = (args: ReadonlyArray<string>, ready: RegExp) => {
  const child = spawn(process.execPath, ["--conditions=@shuangbai/source", bin, ...args], {
    env: { ...process.env, SHUANGBAI_DATABASE_URL: "", SHUANGBAI_DATA_DIR: "" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.setEncoding("utf8")
  child.stderr.setEncoding("utf8")
  const started = new Promise<string>((resolve, reject) => {
    const seen = (chunk: string) => {
      output += chunk
      if (ready.test(output)) resolve(output)
    }
    child.stdout.on("data", seen)
    child.stderr.on("data", seen)
    child.on("close", (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)))
  })
  const stopped = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)))
  return { child, started, stopped }
}

export const pgUrl = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const reachable = (url: string) =>
  new Promise<boolean>((resolve) => {
    const parsed = new URL(url)
    const socket = createConnection({ host: parsed.hostname, port: Number(parsed.port || 5432) })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2_000, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

const pgAvailable = await reachable(pgUrl)

/** Tests that need the server: skipped (saying so) without one, failing instead when SHUANGBAI_REQUIRE_PG=1. */
export const describePg = (name: string, body: () => void) => {
  if (pgAvailable) return describe(name, body)
  if (process.env.SHUANGBAI_REQUIRE_PG === "1") {
    return describe(name, () => {
      it("reaches PostgreSQL", () => {
        throw new Error(`SHUANGBAI_REQUIRE_PG=1 but PostgreSQL at ${pgUrl} is not reachable`)
      })
    })
  }
  return describe.skip(`${name} (no PostgreSQL at ${pgUrl}; set SHUANGBAI_PG_URL)`, body)
}

export const randomSchema = () => `sb_cli_${randomBytes(6).toString("hex")}`
