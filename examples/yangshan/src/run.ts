// Sending the scenario, reading the log back, and what is printed: shared by main.ts and the tests.
import { Domain, Reports, type Shared } from "@shuangbai/core"
import { Audit, EventStore, type EventStoreError, type HashChain, type IdGenerator } from "@shuangbai/eventsourcing"
import { type Clock, Data, Deferred, Duration, Effect } from "effect"
import { compare, type Row } from "./article.ts"
import { asOf, type Step, tenant } from "./county.ts"

// ---- the clock ------------------------------------------------------------------------------------------

/**
 * A clock that starts at `start` (the article's day) and runs on in real time: "no future dates" holds for
 * the article's day, store times still move forward, and sleeps are real sleeps.
 */
export const clockFrom = (start: number): Clock.Clock => {
  const t0 = process.hrtime.bigint()
  const elapsedNanos = () => process.hrtime.bigint() - t0
  const nowMillis = () => start + Number(elapsedNanos() / 1_000_000n)
  const sleepMillis = (millis: number): Effect.Effect<void> =>
    millis <= 0
      ? Effect.yieldNow
      : Effect.callback<void>((resume) => {
          const handle = setTimeout(() => resume(Effect.void), Math.min(millis, 2 ** 31 - 1))
          return Effect.sync(() => clearTimeout(handle))
        })
  return {
    currentTimeMillisUnsafe: nowMillis,
    currentTimeMillis: Effect.sync(nowMillis),
    currentTimeNanosUnsafe: () => BigInt(start) * 1_000_000n + elapsedNanos(),
    currentTimeNanos: Effect.sync(() => BigInt(start) * 1_000_000n + elapsedNanos()),
    monotonicTimeNanosUnsafe: () => process.hrtime.bigint(),
    monotonicTimeNanos: Effect.sync(() => process.hrtime.bigint()),
    sleep: (duration) => sleepMillis(Duration.toMillis(duration))
  }
}

// ---- sending --------------------------------------------------------------------------------------------

/** A command the domain refused or the store could not take: the whole run stops on it. */
export class StepFailed extends Data.TaggedError("StepFailed")<{
  readonly index: number
  readonly commandId: string
  readonly command: string
  readonly cause: unknown
}> {
  override get message() {
    const cause = this.cause as { readonly message?: string; readonly _tag?: string }
    return `step ${this.index + 1} (${this.command}, ${this.commandId}) failed: ${cause?._tag ?? ""} ${cause?.message ?? String(this.cause)}`
  }
}

export interface SendOptions {
  /** Commands in flight at once (default 64): concurrent appends share a commit (group commit). */
  readonly concurrency?: number
  /** Called after each command with the number done. */
  readonly onProgress?: (done: number) => void
}

export interface Sent {
  readonly commands: number
  /** Commands that wrote nothing new: sent before (same commandId) or already done. */
  readonly unchanged: number
}

/**
 * `concurrency` permits, given to the waiting step that comes first in the scenario. A step that waited for
 * an earlier one on its stream is then the next to run, instead of queueing behind the hundreds of later
 * steps in the window: a long chain (a campaign's thousand distributions) is not what paces a tenth of the run.
 */
const stepPermits = (concurrency: number) => {
  let free = concurrency
  const waiting: Array<{ readonly index: number; readonly granted: Deferred.Deferred<void> }> = []
  const release = Effect.suspend(() => {
    const next = waiting.shift()
    if (next !== undefined) return Deferred.succeed(next.granted, undefined)
    free += 1
    return Effect.void
  })
  const acquire = (index: number) =>
    Effect.suspend(() => {
      if (free > 0) {
        free -= 1
        return Effect.void
      }
      const granted = Deferred.makeUnsafe<void>()
      let at = waiting.findIndex((w) => w.index > index)
      if (at < 0) at = waiting.length
      waiting.splice(at, 0, { index, granted })
      return Deferred.await(granted).pipe(
        Effect.onInterrupt(() =>
          Effect.suspend(() => {
            const queued = waiting.findIndex((w) => w.granted === granted)
            if (queued >= 0) {
              waiting.splice(queued, 1)
              return Effect.void
            }
            return release
          })
        )
      )
    })
  return <A, E, R>(index: number, effect: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      acquire(index),
      () => effect,
      () => release
    )
}

/**
 * Sends every step through `Domain.handle`, at most `concurrency` at once. Steps that share a key (a stream
 * they write or read) run in the order given; the others overlap. Each step waits only for the earlier
 * steps it shares a key with, and steps start in order, so no step waits for one that has not started.
 * The last step goes alone, after all the others: once it is recorded, the whole run is.
 */
export const send = (
  steps: ReadonlyArray<Step>,
  options: SendOptions = {}
): Effect.Effect<Sent, StepFailed, EventStore.EventStore | IdGenerator.IdGenerator> =>
  Effect.gen(function* () {
    const withPermit = stepPermits(options.concurrency ?? 64)
    const done = steps.map(() => Deferred.makeUnsafe<void>())
    const last = new Map<string, number>()
    const waitsFor = steps.map((step, i) => {
      const before = new Set<number>()
      for (const key of step.keys) {
        const j = last.get(key)
        if (j !== undefined && j !== i) before.add(j)
        last.set(key, i)
      }
      return [...before]
    })
    let finished = 0
    let unchanged = 0
    const final = steps.length - 1
    if (final > 0) waitsFor[final] = Array.from({ length: final }, (_, j) => j)
    yield* Effect.forEach(
      steps,
      (step, i) =>
        Effect.gen(function* () {
          for (const j of waitsFor[i]!) yield* Deferred.await(done[j]!)
          const handled = yield* withPermit(
            i,
            Domain.handle(tenant, step.command, { actor: step.actor, commandId: step.commandId })
          )
          if (handled.duplicate || handled.events.length === 0) unchanged += 1
          finished += 1
          options.onProgress?.(finished)
          yield* Deferred.succeed(done[i]!, undefined)
        }).pipe(
          Effect.mapError(
            (cause) => new StepFailed({ index: i, commandId: step.commandId, command: step.command._tag, cause })
          )
        ),
      // The window runs ahead of the permits, so that a long chain of one stream's steps does not hold up the rest.
      { concurrency: Math.max(512, (options.concurrency ?? 64) * 8), discard: true }
    )
    return { commands: steps.length, unchanged }
  })

// ---- reading back ---------------------------------------------------------------------------------------

/** The article's periods: now is the article's day, "this year" 2024, "last year" 2023. */
export const periods = Reports.CountyDashboard.periods(asOf)

export interface Replayed {
  readonly dashboard: Reports.CountyDashboard.Dashboard
  readonly events: number
}

/** Reads the tenant's whole log, decodes every event with the domain's codec and folds the county dashboard. */
export const replay = (
  options: { readonly onProgress?: (position: number) => void } = {}
): Effect.Effect<Replayed, unknown, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const projection = Reports.CountyDashboard.projection(periods)
    let state = projection.initial
    let after = 0
    let events = 0
    for (;;) {
      const page = yield* store.readAll(tenant, { after, limit: 2_000 })
      if (page.length === 0) break
      for (const stored of page) {
        const decoded = Domain.codec.decode(stored)
        if (decoded._tag === "Failure") return yield* Effect.fail(decoded.failure)
        state = projection.evolve(state, decoded.success)
      }
      events += page.length
      after = page[page.length - 1]!.position
      options.onProgress?.(after)
    }
    return { dashboard: Reports.CountyDashboard.view(state), events }
  })

/** The hash chain of the tenant's log, checked from the first event to the head. */
export const verify = (): Effect.Effect<
  { readonly events: number; readonly head: HashChain.Head },
  Audit.ChainBroken | EventStoreError,
  EventStore.EventStore
> => Audit.verifyChain(tenant, { pageSize: 2_000 })

// ---- printing -------------------------------------------------------------------------------------------

const header = {
  "zh-CN": ["编号", "指标", "重建值", "文章", "", "统计期间", "范围"],
  en: ["id", "figure", "rebuilt", "article", "", "period", "scope"]
} as const

const pad = (text: string, width: number, right = false) => {
  const fill = " ".repeat(Math.max(0, width - Reports.Render.displayWidth(text)))
  return right ? fill + text : text + fill
}

/** The dashboard's figures beside the article's, one table per language; ✓ where they agree. */
export const table = (rows: ReadonlyArray<Row>, language: Shared.Language): string => {
  const cells = rows.map((row) => {
    const figure = row.figure
    const expected = row.expectation
    return [
      figure?.id ?? expected?.measure.split(".")[0] ?? "",
      figure?.label[language] ?? expected?.measure ?? "",
      figure === undefined ? "—" : Reports.Render.formatValue(figure),
      expected === undefined
        ? ""
        : `${expected.article[language]}${expected.rule === undefined ? "" : ` (${expected.rule[language]})`}`,
      row.ok === undefined ? "" : row.ok ? "✓" : "✗",
      figure === undefined ? "" : Reports.Render.formatCovers(figure.covers, language),
      figure === undefined ? "" : Reports.Render.formatScope(figure.scope, language)
    ]
  })
  const all = [[...header[language]], ...cells]
  const widths = all[0]!.map((_, c) => Math.max(...all.map((row) => Reports.Render.displayWidth(row[c]!))))
  return all
    .map((row) =>
      row
        .map((cell, c) => pad(cell, widths[c]!, c === 2))
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

export const report = (dashboard: Reports.CountyDashboard.Dashboard) => {
  const rows = compare(dashboard.figures)
  const checked = rows.filter((r) => r.ok !== undefined)
  return { rows, matched: checked.filter((r) => r.ok).length, checked: checked.length }
}
