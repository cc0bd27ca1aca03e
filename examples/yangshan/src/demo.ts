// The demo's run on a store it is given: send what is not recorded yet, read back, print, verify. main.ts
// (npm run demo) and the `shuangbai demo` command (packages/cli) both run it.
import type { Reports } from "@shuangbai/core"
import { EventStore, type EventStoreError, IdGenerator } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Clock, Effect, Layer } from "effect"
import { asOf, makeScenario, tenant } from "./county.ts"
import { periods, replay, report, send, table, verify } from "./run.ts"

export interface Args {
  readonly fresh: boolean
  readonly dataDir: string
  readonly concurrency: number
  readonly scale: number
  readonly memory: boolean
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Where the demo writes: lines, and whether a progress line may be redrawn in place (a terminal). */
export interface Output {
  readonly log: (line: string) => void
  readonly redraw?: (line: string) => void
}

export const stdout: Output = {
  log: (line) => console.log(line),
  ...(process.stdout.isTTY === true ? { redraw: (line: string) => process.stdout.write(`\r${line}`) } : {})
}

/** A progress line: redrawn in place on a terminal, every tenth otherwise. */
const progress = (out: Output, label: string, total: number) => {
  const started = performance.now()
  const tty = out.redraw !== undefined
  let shown = -1
  return {
    update: (done: number) => {
      const step = tty ? Math.max(1, Math.floor(total / 400)) : Math.max(1, Math.floor(total / 10))
      if (done !== total && Math.floor(done / step) === shown) return
      shown = Math.floor(done / step)
      const ms = performance.now() - started
      const line = `${label} ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} (${Math.round((done / Math.max(ms, 1)) * 1000)}/s, ${seconds(ms)})`
      if (out.redraw !== undefined) out.redraw(`${line}${done === total ? "\n" : ""}`)
      else out.log(line)
    }
  }
}

/**
 * The command rate in the first and in the last tenth of a run: whether commands slow down as the county's
 * streams grow (a relief campaign reaches a thousand events by the end).
 */
const tenths = (total: number) => {
  const started = performance.now()
  const at: Array<number> = []
  return {
    update: (done: number) => {
      while (at.length < 10 && done >= Math.ceil(((at.length + 1) * total) / 10)) at.push(performance.now())
    },
    summary: (): string | undefined => {
      if (at.length < 10) return undefined
      const perTenth = total / 10
      const first = perTenth / ((at[0]! - started) / 1000)
      const last = perTenth / ((at[9]! - at[8]!) / 1000)
      return `first tenth ${Math.round(first)}/s, last tenth ${Math.round(last)}/s (${(last / first).toFixed(2)}× the first)`
    }
  }
}

export interface Outcome {
  /** Whether the commands were sent in this run (false: the log already held them). */
  readonly sent: boolean
  readonly events: number
  readonly dashboard: Reports.CountyDashboard.Dashboard
  readonly matched: number
  readonly checked: number
  readonly chainVerified: boolean
}

/** The whole demo: send what is not recorded yet, read back, print, verify. */
export const program = (args: Args, out: Output = stdout) =>
  Effect.gen(function* () {
    const log = out.log
    const started = performance.now()
    const store = yield* EventStore.EventStore
    log(
      args.memory
        ? "阳山县 · Yangshan County — in-memory store"
        : `阳山县 · Yangshan County — embedded PostgreSQL (PGlite) at ${args.dataDir}`
    )
    const scenario = makeScenario({ scale: args.scale })
    const lastStep = scenario.steps[scenario.steps.length - 1]!
    const head = yield* store.head(tenant)
    const complete = head.position > 0 && (yield* store.readCommand(tenant, lastStep.commandId)) !== undefined
    let sendMs = 0
    if (complete) {
      log(
        `The log already holds the county (${head.position.toLocaleString("en-US")} events): nothing to send, reading it back.`
      )
    } else {
      if (head.position > 0) {
        log(
          `The log holds ${head.position.toLocaleString("en-US")} events of an unfinished run: sending again, commands already recorded are recognised by their ids.`
        )
      }
      log(
        `Sending ${scenario.steps.length.toLocaleString("en-US")} commands (2021-03-30 to ${asOf}) through Domain.handle, ${args.concurrency} at a time…`
      )
      const bar = progress(out, "  commands", scenario.steps.length)
      const t = performance.now()
      const rate = tenths(scenario.steps.length)
      const sent = yield* send(scenario.steps, {
        concurrency: args.concurrency,
        onProgress: (done) => {
          bar.update(done)
          rate.update(done)
        }
      })
      sendMs = performance.now() - t
      const recorded = (yield* store.head(tenant)).position - head.position
      log(
        `  ${recorded.toLocaleString("en-US")} events recorded in ${seconds(sendMs)}${sent.unchanged > 0 ? ` (${sent.unchanged.toLocaleString("en-US")} commands changed nothing)` : ""}`
      )
      const rates = rate.summary()
      if (rates !== undefined) log(`  commands: ${rates}`)
    }
    const total = (yield* store.head(tenant)).position
    const t = performance.now()
    const bar = progress(out, "Reading back events", total)
    const { dashboard, events } = yield* replay({ onProgress: bar.update })
    const replayMs = performance.now() - t
    const { rows, matched, checked } = report(dashboard)
    log(
      `\n${dashboard.county ?? ""} 县级指标（截至 ${periods.asOf}；今年 ${periods.yearToDate.from.slice(0, 4)} 年，去年 ${periods.training.from.slice(0, 4)} 年）\n`
    )
    log(table(rows, "zh-CN"))
    log(`\nCounty figures of Yangshan (as of ${periods.asOf}; this year 2024, last year 2023)\n`)
    log(table(rows, "en"))
    log(
      `\n${matched} / ${checked} figures match the article${args.scale === 1 ? "" : ` (scale ${args.scale}: the article's figures are not expected)`}.`
    )
    const tv = performance.now()
    const chain = yield* Effect.result(verify())
    const verifyMs = performance.now() - tv
    if (chain._tag === "Success") {
      log(
        `Hash chain verified: ${chain.success.events.toLocaleString("en-US")} events, head ${chain.success.head.hash.slice(0, 16)}… (${seconds(verifyMs)})`
      )
    } else {
      log(`Hash chain BROKEN: ${chain.failure.message}`)
    }
    log(
      `Time: ${sendMs > 0 ? `send ${seconds(sendMs)}, ` : ""}read back ${events.toLocaleString("en-US")} events ${seconds(replayMs)}, verify ${seconds(verifyMs)}, total ${seconds(performance.now() - started)}.`
    )
    return {
      sent: !complete,
      events,
      dashboard,
      matched,
      checked,
      chainVerified: chain._tag === "Success"
    } satisfies Outcome
  })

/** The store: PGlite on disk (migrated when opened), or in memory. Event ids are UUIDv7 on the article's clock. */
export const layer = (args: Args) => {
  const store: Layer.Layer<EventStore.EventStore, EventStoreError> = args.memory
    ? EventStore.layerMemory
    : PgEventStore.layerPglite({ dataDir: args.dataDir })
  return Layer.merge(store, IdGenerator.layer)
}

/** The program on its store, with the clock set to the article's day (evening, China time). */
export const main = (args: Args, clock: Clock.Clock, out: Output = stdout) =>
  program(args, out).pipe(Effect.provide(layer(args)), Effect.provideService(Clock.Clock, clock))
