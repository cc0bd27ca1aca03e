// A throwaway PostgreSQL primary and a streaming hot standby of it, for the read-replica tests. The
// shared server on 5432 is left alone (its pg_hba allows no replication, and a base backup of it would
// copy every other test's schemas): the primary is a fresh `initdb` in a temp dir on a free port, the
// standby a `pg_basebackup -R` of it on another. As root both run as the `postgres` OS user, since
// PostgreSQL refuses to run as root.
import { execFileSync } from "node:child_process"
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The directory holding initdb, pg_ctl and pg_basebackup: SHUANGBAI_PG_BIN, or Debian's newest. */
export const findBinaries = (): string | undefined => {
  const given = process.env.SHUANGBAI_PG_BIN
  if (given !== undefined) return given
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
  return versions.map((v) => join(root, v, "bin")).find((bin) => existsSync(join(bin, "pg_basebackup")))
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

export interface ReplicaCluster {
  readonly primaryUrl: string
  readonly standbyUrl: string
  /** Stops both servers and deletes their directory; safe to call twice. */
  readonly stop: () => void
}

export const startCluster = async (bin: string): Promise<ReplicaCluster> => {
  const asRoot = process.getuid?.() === 0
  const run = (tool: string, args: ReadonlyArray<string>) =>
    execFileSync(
      asRoot ? "runuser" : join(bin, tool),
      asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : [...args],
      { stdio: "pipe", timeout: 30_000 }
    )
  const dir = mkdtempSync(join(tmpdir(), "sb-replica-"))
  if (asRoot) execFileSync("chown", ["postgres", dir])
  const primary = join(dir, "primary")
  const standby = join(dir, "standby")
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    for (const data of [standby, primary]) {
      if (!existsSync(join(data, "postmaster.pid"))) continue
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      } catch {
        // Already down: the directory goes anyway.
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  // A run killed before its afterAll still takes its servers down.
  process.once("exit", stop)
  try {
    const [primaryPort, standbyPort] = [await freePort(), await freePort()]
    run("initdb", ["-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
    appendFileSync(
      join(primary, "postgresql.conf"),
      [
        "listen_addresses = '127.0.0.1'",
        `port = ${primaryPort}`,
        `unix_socket_directories = '${dir}'`,
        "wal_level = replica",
        "max_wal_senders = 4",
        "fsync = off",
        ""
      ].join("\n")
    )
    appendFileSync(join(primary, "pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n")
    run("pg_ctl", ["-D", primary, "-l", join(dir, "primary.log"), "-w", "start"])
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      `${primaryPort}`,
      "-U",
      "postgres",
      "-D",
      standby,
      "-R",
      "-c",
      "fast"
    ])
    appendFileSync(join(standby, "postgresql.conf"), `port = ${standbyPort}\nhot_standby = on\n`)
    run("pg_ctl", ["-D", standby, "-l", join(dir, "standby.log"), "-w", "start"])
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      stop
    }
  } catch (error) {
    stop()
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ""
    throw new Error(`could not start a primary and a standby with ${bin}: ${String(error)}\n${stderr}`)
  }
}
