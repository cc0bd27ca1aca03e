import { spawn } from "node:child_process"
import { generateKeyPairSync, randomBytes } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Services } from "@shuangbai/testing"

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

export const { describePg, pgUrl } = Services

export const randomSchema = () => `sb_cli_${randomBytes(6).toString("hex")}`

/** An Ed25519 key pair written as OpenSSL writes it (PKCS#8 private, SPKI public PEM): `DIR/NAME.key`, `.pub`. */
export const keyPair = (dir: string, name: string) => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519")
  const key = join(dir, `${name}.key`)
  const pub = join(dir, `${name}.pub`)
  writeFileSync(key, privateKey.export({ type: "pkcs8", format: "pem" }))
  writeFileSync(pub, publicKey.export({ type: "spki", format: "pem" }))
  return { key, pub }
}
