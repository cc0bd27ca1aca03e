import { Clock, Deferred, Effect } from "effect"
import * as AppendDecision from "../AppendDecision.ts"
import * as AppendValidation from "../AppendValidation.ts"
import type { StoredEvent } from "../Envelope.ts"
import type { ConcurrencyConflict, EventStoreError, IdempotencyMismatch } from "../Errors.ts"
import { StreamNotFound } from "../Errors.ts"
import type { AppendRequest, AppendResult, EventStoreShape, MemoryOptions, ReadAllOptions } from "../EventStore.ts"
import * as HashChain from "../HashChain.ts"
import { instantFromMillis } from "../Scalars.ts"
import * as StreamId from "../StreamId.ts"
import type { Rewrite } from "../SubjectKeys.ts"
import * as Subscription from "../Subscription.ts"

interface TenantLog {
  readonly events: Array<StoredEvent>
  readonly streams: Map<string, Array<StoredEvent>>
  readonly subjects: Map<string, Array<StoredEvent>>
  readonly commands: Map<string, { readonly fingerprint: string; readonly result: AppendResult }>
  readonly eventIds: Set<string>
  waiters: Array<Deferred.Deferred<void>>
}

const emptyLog = (): TenantLog => ({
  events: [],
  streams: new Map(),
  subjects: new Map(),
  commands: new Map(),
  eventIds: new Set(),
  waiters: []
})

/** First index in a position-sorted array whose position is greater than `after`. */
const firstAfter = (events: ReadonlyArray<StoredEvent>, after: number): number => {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (events[mid]!.position <= after) lo = mid + 1
    else hi = mid
  }
  return lo
}

const page = (events: ReadonlyArray<StoredEvent>, options: ReadAllOptions): ReadonlyArray<StoredEvent> => {
  const start = firstAfter(events, options.after)
  const limit = Math.max(0, options.limit)
  const through = options.through ?? Number.POSITIVE_INFINITY
  if (options.types === undefined && through === Number.POSITIVE_INFINITY) return events.slice(start, start + limit)
  const types = options.types === undefined ? undefined : new Set(options.types)
  const selected: Array<StoredEvent> = []
  for (let i = start; i < events.length && selected.length < limit; i++) {
    const event = events[i]!
    if (event.position > through) break
    if (types === undefined || types.has(event.type)) selected.push(event)
  }
  return selected
}

/** The store, and how an erasure rewrites its rows in place (SubjectKeys.makeMemory). */
export interface Memory {
  readonly store: EventStoreShape
  readonly rewrite: (tenant: string, rewrites: ReadonlyArray<Rewrite>) => void
}

export const make = (options?: MemoryOptions): Effect.Effect<Memory> =>
  Effect.sync(() => {
    const maxEventBytes = options?.maxEventBytes ?? AppendValidation.defaultMaxEventBytes
    const tenants = new Map<string, TenantLog>()
    const logOf = (tenant: string) => {
      let log = tenants.get(tenant)
      if (log === undefined) {
        log = emptyLog()
        tenants.set(tenant, log)
      }
      return log
    }

    // The whole append runs in one synchronous step: nothing can interleave, so a failure writes nothing.
    const appendNow = (
      request: AppendRequest,
      now: number
    ): AppendResult | ConcurrencyConflict | IdempotencyMismatch | EventStoreError => {
      const checked = AppendValidation.validate(request, maxEventBytes)
      if (checked._tag === "Err") return checked.error
      const log = logOf(request.tenant)
      const fingerprint = AppendValidation.fingerprint(request, checked.canonical)
      const key = StreamId.format(request.stream)
      const stream = log.streams.get(key) ?? []
      const decision = AppendDecision.decide(request, fingerprint, {
        command: log.commands.get(request.context.commandId),
        version: stream.length,
        isStored: (eventId) => log.eventIds.has(eventId)
      })
      switch (decision._tag) {
        case "Duplicate":
          return { ...decision.command.result, duplicate: true }
        case "Refused":
          return decision.error
        case "Nothing":
          return { events: [], version: decision.version, duplicate: false }
        case "Write":
          break
      }
      const recordedAt = instantFromMillis(now)
      let prevHash = log.events.length === 0 ? HashChain.genesis : log.events[log.events.length - 1]!.hash
      const stored = request.events.map((_, i) => {
        const sealed = AppendValidation.stored(request, checked, i, {
          version: stream.length + i + 1,
          position: log.events.length + i + 1,
          recordedAt,
          prevHash
        })
        prevHash = sealed.hash
        return sealed
      })
      for (const event of stored) {
        log.events.push(event)
        log.eventIds.add(event.eventId)
        stream.push(event)
        for (const subject of new Set(event.subjects)) {
          const list = log.subjects.get(subject) ?? []
          list.push(event)
          log.subjects.set(subject, list)
        }
      }
      log.streams.set(key, stream)
      const result: AppendResult = { events: stored, version: stream.length, duplicate: false }
      log.commands.set(request.context.commandId, { fingerprint, result })
      const waiters = log.waiters
      log.waiters = []
      for (const waiter of waiters) Deferred.doneUnsafe(waiter, Effect.void)
      return result
    }

    const store: EventStoreShape = {
      append: (request) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const outcome = appendNow(request, now)
          return "events" in outcome ? Effect.succeed(outcome) : Effect.fail(outcome)
        }),
      readStream: (tenant, stream, options) =>
        Effect.suspend((): Effect.Effect<ReadonlyArray<StoredEvent>, StreamNotFound | EventStoreError> => {
          const refused = AppendValidation.readStreamError(options)
          if (refused !== undefined) return Effect.fail(refused)
          const all = tenants.get(tenant)?.streams.get(StreamId.format(stream)) ?? []
          // A stream's versions are 1, 2, … in order: a read from a version starts at its index, so that a
          // command handler catching up on a long stream reads only the tail.
          const from = Math.max(1, Math.ceil(options?.fromVersion ?? 1))
          const events = (Number.isNaN(from) ? [] : all.slice(from - 1)).filter(
            (e) =>
              (options?.asOfPosition === undefined || e.position <= options.asOfPosition) &&
              (options?.asOfTime === undefined || e.recordedAt <= options.asOfTime)
          )
          const existed = all.some(
            (e) =>
              (options?.asOfPosition === undefined || e.position <= options.asOfPosition) &&
              (options?.asOfTime === undefined || e.recordedAt <= options.asOfTime)
          )
          return existed ? Effect.succeed(events) : Effect.fail(new StreamNotFound({ tenant, stream }))
        }),
      readAll: (tenant, options) => Effect.sync(() => page(tenants.get(tenant)?.events ?? [], options)),
      readSubject: (tenant, subject, options) =>
        Effect.sync(() => page(tenants.get(tenant)?.subjects.get(subject) ?? [], options)),
      readCommand: (tenant, commandId) =>
        Effect.sync(() => tenants.get(tenant)?.commands.get(commandId)?.result.events),
      head: (tenant) =>
        Effect.sync(() => {
          const events = tenants.get(tenant)?.events ?? []
          const last = events[events.length - 1]
          return last === undefined
            ? { position: 0, hash: HashChain.genesis }
            : { position: last.position, hash: last.hash }
        }),
      subscribe: (tenant, { after, types }) =>
        Subscription.catchUpThenFollow(
          {
            readPage: (cursor, limit) =>
              Subscription.readPage(
                {
                  readAll: (options) => store.readAll(tenant, options),
                  head: Effect.map(store.head(tenant), (head) => head.position)
                },
                { after: cursor, limit, types }
              ),
            awaitNewer: (cursor) =>
              Effect.suspend(() => {
                const log = logOf(tenant)
                if (log.events.length > cursor) return Effect.void
                const waiter = Deferred.makeUnsafe<void>()
                log.waiters.push(waiter)
                return Deferred.await(waiter)
              })
          },
          after
        )
    }
    // The stored envelope objects are shared by the log, the stream, the subject index and the command's
    // result: changing one in place changes the row everywhere.
    const rewrite = (tenant: string, rewrites: ReadonlyArray<Rewrite>) => {
      const events = tenants.get(tenant)?.events ?? []
      for (const r of rewrites) {
        const row = events[r.position - 1] as { schemaVersion: number; data: unknown } | undefined
        if (row === undefined) continue
        row.schemaVersion = r.schemaVersion
        row.data = r.data
      }
    }
    return { store, rewrite }
  })
