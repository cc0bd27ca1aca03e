// CPU time spent on each side of a round trip, to say where a row's time goes: this process (the
// store's or the baseline's own code, the driver, and for PGlite the database too) and, when the
// server runs on this machine, every PostgreSQL process together (backends, WAL writer).
import { readdirSync, readFileSync } from "node:fs"

// /proc counts CPU time in clock ticks of 1/100 s (USER_HZ, 100 on every Linux build we run on).
const clockTicks = 100

/** CPU seconds this process has used. */
export const processSeconds = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

/** CPU seconds used by the local PostgreSQL server's processes, or undefined where they cannot be seen. */
export const postgresSeconds = (): number | undefined => {
  let entries: Array<string>
  try {
    entries = readdirSync("/proc")
  } catch {
    return undefined
  }
  let ticks = 0
  let found = false
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    } catch {
      continue // the process ended while we looked
    }
    const close = stat.lastIndexOf(")")
    if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue
    // Fields after the command name: state is the first, utime and stime the 12th and 13th.
    const fields = stat.slice(close + 2).split(" ")
    ticks += Number(fields[11]) + Number(fields[12])
    found = true
  }
  return found ? ticks / clockTicks : undefined
}

export interface CpuPerEvent {
  /** Microseconds of this process's CPU per event. */
  readonly process: number
  /** Microseconds of the local server's CPU per event, NaN where it cannot be seen. */
  readonly server: number
}

/**
 * Wraps a measured body (returning its event count) so that its CPU is added up; `perEvent` gives the
 * totals over every call so far that was counted.
 */
export const cpuMeter = () => {
  let events = 0
  let own = 0
  let server: number | undefined = 0
  const measure =
    <A extends Array<unknown>>(body: (...args: A) => Promise<number>, counted: (...args: A) => boolean) =>
    async (...args: A): Promise<number> => {
      const own0 = processSeconds()
      const server0 = postgresSeconds()
      const n = await body(...args)
      if (!counted(...args)) return n
      const server1 = postgresSeconds()
      events += n
      own += processSeconds() - own0
      server =
        server === undefined || server0 === undefined || server1 === undefined ? undefined : server + server1 - server0
      return n
    }
  const perEvent = (): CpuPerEvent => ({
    process: (own / events) * 1e6,
    server: server === undefined ? Number.NaN : (server / events) * 1e6
  })
  return { measure, perEvent }
}
