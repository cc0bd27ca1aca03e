// `npm run bench -- replay [--full]`: how fast the core replays a county's log. The log is generated once as
// JSON lines (the stored envelope with its payload, as `readAll` gives it) in a temporary file, then read
// back line by line, never held whole:
//   (a) baseline: JSON.parse of each line;
//   (b) JSON.parse, decode through Domain.codec, fold into the county dashboard.
// Prints events/s for each, the ratio (b)/(a) against its target, and the peak memory of (b) at N and 2N
// events, to show that memory follows the projection's state and not the length of the log.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Domain } from "@shuangbai/core"
import type { Envelope } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { type Target, target } from "./internal/replayProjection.ts"
import { generate, lines } from "./internal/replayWorkload.ts"
import { perSecond, printTable, ratio } from "./util/table.ts"

interface Size {
  readonly events: number
  /** Timed rounds of each pass; the median is printed. */
  readonly runs: number
}

const quick: Size = { events: 100_000, runs: 3 }
const full: Size = { events: 1_000_000, runs: 3 }

/** (b) is to keep at least 0.7 of the rate of parsing alone (issue 11; it was 0.5). */
const targetRatio = 0.7

// A collection between measurements, so that one pass's garbage is not counted in the next one's memory.
setFlagsFromString("--expose-gc")
const gc: () => void = runInNewContext("gc")

const settle = () => {
  gc()
  gc()
}

/** Reads the first `limit` lines of the log and hands each to `each`. Returns the count read. */
const forEachLine = async (path: string, limit: number, each: (line: string) => void): Promise<number> => {
  let n = 0
  for await (const batch of lines(path)) {
    for (const line of batch) {
      if (n === limit) return n
      each(line)
      n++
    }
  }
  return n
}

interface Memory {
  peakHeap: number
  peakRss: number
}

const sampleEvery = 4_096

/** Pass (b): each line parsed, decoded and folded in turn; nothing else is kept. */
const replay = async (
  path: string,
  limit: number,
  into: Target,
  memory?: Memory
): Promise<{ readonly events: number; readonly state: unknown }> => {
  const { evolve } = into.projection
  let state = into.projection.initial
  const events = await forEachLine(path, limit, (line) => {
    const decoded = Domain.codec.decode(JSON.parse(line) as Envelope.StoredEvent)
    if (Result.isFailure(decoded)) throw new Error(`the generated log does not decode: ${decoded.failure.message}`)
    state = evolve(state, decoded.success)
    if (memory !== undefined && decoded.success.position % sampleEvery === 0) {
      const { heapUsed, rss } = process.memoryUsage()
      if (heapUsed > memory.peakHeap) memory.peakHeap = heapUsed
      if (rss > memory.peakRss) memory.peakRss = rss
    }
  })
  return { events, state }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const count = (k: number) => k.toLocaleString("en-US")

/**
 * Peak heap and RSS of a replay of `limit` events, and the heap its final state keeps: measured after a
 * collection with the state held, then again once it is let go.
 */
const measureMemory = async (path: string, limit: number, into: Target) => {
  settle()
  const start = process.memoryUsage().heapUsed
  const memory: Memory = { peakHeap: start, peakRss: process.memoryUsage().rss }
  // The heap with the state held is measured in a frame of its own: once it returns, nothing holds the state.
  const withState = await (async () => {
    const { state } = await replay(path, limit, into, memory)
    settle()
    const heap = process.memoryUsage().heapUsed
    if (state === undefined) throw new Error("no state")
    return heap
  })()
  settle()
  const withoutState = process.memoryUsage().heapUsed
  return {
    peakHeap: memory.peakHeap - start,
    peakRss: memory.peakRss,
    retained: Math.max(0, withState - withoutState)
  }
}

/** CPU time of this process (all its threads), in seconds. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

interface Rates {
  /** Events per second of wall time. */
  readonly wall: number
  /** Events per second of the process's CPU time: steadier on a loaded machine. */
  readonly cpu: number
}

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Times passes side by side: `runs` rounds, each running every pass once in turn, so that a change in the
 * machine's load hits them alike. Returns each pass's median rates.
 */
const timeSideBySide = async (
  runs: number,
  passes: ReadonlyArray<() => Promise<number>>
): Promise<ReadonlyArray<Rates>> => {
  const wall = passes.map(() => [] as Array<number>)
  const cpu = passes.map(() => [] as Array<number>)
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < passes.length; i++) {
      settle()
      const w = performance.now()
      const c = cpuSeconds()
      const n = await passes[i]!()
      cpu[i]!.push(n / (cpuSeconds() - c))
      wall[i]!.push(n / ((performance.now() - w) / 1000))
    }
  }
  return passes.map((_, i) => ({ wall: median(wall[i]!), cpu: median(cpu[i]!) }))
}

export const run = async ({ full: isFull }: { full: boolean }): Promise<void> => {
  const size = isFull ? full : quick
  const n = size.events
  const dir = mkdtempSync(join(tmpdir(), "shuangbai-replay-"))
  try {
    // One log of 2N events: its first N lines are the N-event log (the simulation is seeded).
    const started = performance.now()
    const log = await generate(2 * n, join(dir, "log.jsonl"), [n, 2 * n])
    const shares = [...log.byContext]
      .sort((a, b) => b[1] - a[1])
      .map(([category, k]) => `${category} ${((100 * k) / log.events).toFixed(1)}%`)
      .join(", ")
    console.log(
      `Generated ${count(log.events)} events (${mb(log.bytes)}, ${(log.bytes / log.events).toFixed(0)} bytes a line) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s, business days ${log.firstDay} to ${log.lastDay}.\n` +
        `By stream category: ${shares}.`
    )
    // The dashboard is read as of the last day of the events folded.
    const into = target(log.dayAt.get(n)!)
    console.log(`Fold: ${into.name}, as of ${log.dayAt.get(n)}. Timed over the first ${count(n)} events.\n`)

    // Warm up (JIT, the codec's validators) on a slice, then time the passes side by side.
    const warm = Math.min(20_000, n)
    await forEachLine(log.path, warm, (line) => JSON.parse(line))
    await replay(log.path, warm, into)

    let sink = 0
    let folded: unknown
    const [read, parsed, replayed] = await timeSideBySide(size.runs, [
      () =>
        forEachLine(log.path, n, (line) => {
          sink += line.length
        }),
      () =>
        forEachLine(log.path, n, (line) => {
          sink += (JSON.parse(line) as { position: number }).position
        }),
      async () => {
        const result = await replay(log.path, n, into)
        folded = result.state
        return result.events
      }
    ])
    if (sink === 0) throw new Error("nothing read")
    const wallRatio = replayed!.wall / parsed!.wall
    const cpuRatio = replayed!.cpu / parsed!.cpu
    printTable(
      ["pass", "events/s", "events/CPU-s", "vs (a)", "vs (a), CPU", "target"],
      [
        ["reading the lines only (I/O)", perSecond(read!.wall), perSecond(read!.cpu), "", "", ""],
        ["(a) JSON.parse", perSecond(parsed!.wall), perSecond(parsed!.cpu), ratio(1), ratio(1), ""],
        [
          "(b) JSON.parse, Domain.codec.decode, fold",
          perSecond(replayed!.wall),
          perSecond(replayed!.cpu),
          ratio(wallRatio),
          ratio(cpuRatio),
          `≥ ${targetRatio.toFixed(2)}× ${wallRatio >= targetRatio ? "✓" : "✗"}`
        ]
      ]
    )
    // The reading is common to both: without it, (b) is compared with JSON.parse alone.
    const without = (rate: number) => 1 / (1 / rate - 1 / read!.cpu)
    console.log(
      `\nWithout the reading (its CPU time per event taken off both): (a) ${perSecond(without(parsed!.cpu))}, ` +
        `(b) ${perSecond(without(replayed!.cpu))} events/CPU-s, (b)/(a) ${ratio(without(replayed!.cpu) / without(parsed!.cpu))}.`
    )
    console.log(`Folded state: ${into.summary(folded)}.`)
    console.log(
      "Each pass reads the file line by line; (a) and (b) include that reading. Medians of " +
        `${size.runs} rounds; events/CPU-s counts the process's CPU time, steadier than wall time on a busy machine.\n`
    )
    folded = undefined

    // Memory of (b) at N and 2N: the log is streamed, so the peak follows the state the fold keeps.
    const rows: Array<Array<string>> = []
    for (const events of [n, 2 * n]) {
      const m = await measureMemory(log.path, events, target(log.dayAt.get(events)!))
      rows.push([
        count(events),
        mb(m.peakHeap),
        mb(m.retained),
        mb(m.peakHeap - m.retained),
        m.retained > 0 ? `${(m.peakHeap / m.retained).toFixed(1)}×` : "—",
        mb(m.peakRss)
      ])
    }
    printTable(["events", "peak heap (b)", "state after GC", "peak − state", "peak ÷ state", "peak RSS"], rows)
    console.log(
      `\nHeap above its level before the pass, sampled every ${count(sampleEvery)} events; RSS is the process's ` +
        "high-water mark so far (the earlier passes included)."
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
