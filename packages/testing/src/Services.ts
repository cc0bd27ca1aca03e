import { createConnection } from "node:net"
import { describe, it } from "@effect/vitest"

// Tests that need a server running beside them (PostgreSQL, NATS): run when it answers, skipped and saying
// why when it does not, and failing instead when the environment says it must be there (CI).

/** The PostgreSQL tests use: SHUANGBAI_PG_URL, or the local server with trust auth. */
export const pgUrl = process.env.SHUANGBAI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

/** A server a test needs: what to call it in a message, where it is, and its port when the address has none. */
export interface Requirement {
  readonly name: string
  /** A URL (`postgres://…`) or a bare `host:port`. */
  readonly address: string
  readonly defaultPort: number
  /** The environment variable that says where it is, named when it is missing. */
  readonly variable: string
}

export const postgres: Requirement = {
  name: "PostgreSQL",
  address: pgUrl,
  defaultPort: 5432,
  variable: "SHUANGBAI_PG_URL"
}

/** Whether something accepts TCP connections at the address now (within 2 s). */
export const reachable = (address: string, defaultPort: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    let host: string
    let port: number
    try {
      const parsed = new URL(address.includes("://") ? address : `tcp://${address}`)
      host = parsed.hostname || "127.0.0.1"
      port = Number(parsed.port || defaultPort)
    } catch {
      resolve(false)
      return
    }
    const socket = createConnection({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2_000, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

// Each server is probed once per test file, however many blocks need it.
const probes = new Map<string, Promise<boolean>>()
const probed = (requirement: Requirement) => {
  const key = `${requirement.address}|${requirement.defaultPort}`
  if (!probes.has(key)) probes.set(key, reachable(requirement.address, requirement.defaultPort))
  return probes.get(key)!
}

/**
 * A describe block whose tests need the servers in `requirements`: its tests run when all answer; otherwise
 * they are skipped under a block that names what is missing, or, when the environment variable `mustHave`
 * is `1`, one failing test says what could not be reached.
 */
export const describeRequiring = (
  name: string,
  requirements: ReadonlyArray<Requirement>,
  mustHave: string,
  body: () => void
) =>
  describe(name, async () => {
    const answers = await Promise.all(requirements.map(probed))
    const absent = requirements.filter((_, i) => !answers[i])
    const missing = absent.map((r) => `${r.name} at ${r.address}`)
    if (missing.length === 0) return body()
    if (process.env[mustHave] === "1") {
      return it(`reaches ${requirements.map((r) => r.name).join(" and ")}`, () => {
        throw new Error(`${mustHave}=1 but ${missing.join(" and ")} is not reachable`)
      })
    }
    describe.skip(`skipped: no ${missing.join(", no ")} (set ${absent.map((r) => r.variable).join(", ")})`, body)
  })

/** Tests that need PostgreSQL (at SHUANGBAI_PG_URL): skipped without it, failing when SHUANGBAI_REQUIRE_PG=1. */
export const describePg = (name: string, body: () => void) =>
  describeRequiring(name, [postgres], "SHUANGBAI_REQUIRE_PG", body)
