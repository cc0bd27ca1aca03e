import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs"
import { Reports } from "@shuangbai/core"
import {
  Audit,
  Envelope,
  EventStore,
  type EventStoreError,
  ExpectedVersion,
  HashChain,
  Sealing,
  StreamId,
  SubjectKeys
} from "@shuangbai/eventsourcing"
import { Effect, Schema } from "effect"
import { type CliFailure, fail } from "./Failure.ts"
import * as Progress from "./Progress.ts"

// The log as JSONL: one stored envelope per line, in position order, exactly as the store holds it
// (hashes included), so that a file verifies on its own with HashChain.verify.

const writeAll = (stream: NodeJS.WritableStream, text: string): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    if (stream.write(text)) resume(Effect.void)
    else stream.once("drain", () => resume(Effect.void))
  })

/**
 * Writes the tenant's log (as of a bound when given: Reports.Snapshot) to `path`, or to standard output;
 * returns the number of events and the last one's position and hash (which stands for the whole prefix).
 */
export const exportLog = (
  tenant: Envelope.Tenant,
  path: string | undefined,
  bound?: Reports.Snapshot.Bound
): Effect.Effect<
  {
    readonly events: number
    readonly position: number
    readonly hash: string
    /** The subjects whose keys the exported events' sealed fields need. */
    readonly subjects: ReadonlyArray<string>
  },
  EventStoreError | CliFailure,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const head = yield* (yield* EventStore.EventStore).head(tenant)
    const progress = Progress.bar("export", head.position)
    const fd = yield* Effect.try({
      try: () => (path === undefined ? undefined : openSync(path, "w")),
      catch: (error) => fail("BadInput", `cannot write ${path}: ${(error as Error).message}`)
    })
    let events = 0
    let hash = HashChain.genesis
    const subjects = new Set<string>()
    const through = yield* Reports.Snapshot.forEachPage(tenant, bound, (page) => {
      hash = page[page.length - 1]!.hash
      for (const subject of Sealing.sealedSubjects(page)) subjects.add(subject)
      const text = `${page.map((e) => JSON.stringify(e)).join("\n")}\n`
      events += page.length
      const write = fd === undefined ? writeAll(process.stdout, text) : Effect.sync(() => writeSync(fd, text))
      return Effect.andThen(write, progress.update(page[page.length - 1]!.position))
    }).pipe(
      Effect.ensuring(
        Effect.sync(() => {
          if (fd !== undefined) closeSync(fd)
        })
      ),
      Effect.ensuring(progress.finish)
    )
    return { events, position: through.position, hash, subjects: [...subjects] }
  })

// The subject keys of an export's sealed fields, one `{"subject", "key"}` per line (the key in base64, null
// for an erased subject): without them an imported log's personal fields cannot be opened. A keys file is
// personal data that an erasure cannot reach: keep it as the backups are kept (docs/audit.md, "Erasure").

const KeyLine = Schema.Struct({ subject: Schema.String, key: Schema.NullOr(Schema.String) })

/** Writes the keys of every subject whose fields `events` seal to `path`; returns how many. */
export const exportKeys = (
  tenant: Envelope.Tenant,
  subjects: ReadonlyArray<string>,
  path: string
): Effect.Effect<number, EventStoreError | CliFailure, SubjectKeys.SubjectKeys> =>
  Effect.gen(function* () {
    const found = yield* (yield* SubjectKeys.SubjectKeys).read(tenant, subjects)
    const text = [...found]
      .map(([subject, state]) =>
        JSON.stringify({ subject, key: state._tag === "Live" ? Buffer.from(state.key).toString("base64") : null })
      )
      .join("\n")
    yield* Effect.try({
      try: () => writeFileSync(path, `${text}\n`, { mode: 0o600 }),
      catch: (error) => fail("BadInput", `cannot write ${path}: ${(error as Error).message}`)
    })
    return found.size
  })

/** Restores the keys of a keys file written by `exportKeys`. */
export const importKeys = (
  tenant: Envelope.Tenant,
  path: string
): Effect.Effect<number, EventStoreError | CliFailure, SubjectKeys.SubjectKeys> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (error) => fail("BadInput", `cannot read ${path}: ${(error as Error).message}`)
    })
    const keys: Array<{ subject: string; state: SubjectKeys.KeyState }> = []
    for (const [i, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue
      const decoded = Schema.decodeUnknownResult(KeyLine)(yield* parseJson(line, path, i))
      if (decoded._tag === "Failure") {
        return yield* Effect.fail(
          fail("BadInput", `${path} line ${i + 1} is not a subject key: ${decoded.failure.message}`)
        )
      }
      const { subject, key } = decoded.success
      keys.push({
        subject,
        state: key === null ? { _tag: "Destroyed" } : { _tag: "Live", key: new Uint8Array(Buffer.from(key, "base64")) }
      })
    }
    yield* (yield* SubjectKeys.SubjectKeys).restore(tenant, keys)
    return keys.length
  })

const parseJson = (line: string, path: string, i: number) =>
  Effect.try({
    try: () => JSON.parse(line) as unknown,
    catch: () => fail("BadInput", `${path} line ${i + 1} is not JSON`)
  })

const decodeEnvelope = Schema.decodeUnknownResult(Envelope.StoredEvent)

/** Every envelope of a JSONL file (`-`: standard input); a line that is not one fails, naming the line. */
export const readFile = (path: string): Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, CliFailure> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path === "-" ? 0 : path, "utf8"),
      catch: (error) => fail("BadInput", `cannot read ${path}: ${(error as Error).message}`)
    })
    const events: Array<Envelope.StoredEvent> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim()
      if (line === "") continue
      let json: unknown
      try {
        json = JSON.parse(line)
      } catch (error) {
        return yield* Effect.fail(fail("BadInput", `${path} line ${i + 1} is not JSON: ${(error as Error).message}`))
      }
      const decoded = decodeEnvelope(json)
      if (decoded._tag === "Failure") {
        return yield* Effect.fail(
          fail("BadInput", `${path} line ${i + 1} is not an event envelope: ${decoded.failure.message}`)
        )
      }
      events.push(decoded.success)
    }
    return events
  })

/**
 * Before anything is written: the file holds events of one tenant, the one asked for, and its hash chain
 * verifies from the genesis hash, so an edited, dropped, inserted or reordered line is refused.
 */
export const check = (
  events: ReadonlyArray<Envelope.StoredEvent>,
  tenant: Envelope.Tenant,
  path: string
): Effect.Effect<void, CliFailure> => {
  if (events.length === 0) return Effect.fail(fail("BadInput", `${path} holds no events`))
  const other = events.find((e) => e.tenant !== tenant)
  if (other !== undefined) {
    return Effect.fail(
      fail(
        "BadInput",
        `${path} holds events of tenant ${other.tenant} (position ${other.position}), not ${tenant}: a file is imported into its own tenant`
      )
    )
  }
  const broken = HashChain.verify(events)
  if (broken === undefined) return Effect.void
  const chain = new Audit.ChainBroken({
    tenant,
    kind: broken._tag,
    position: broken._tag === "PositionGap" ? broken.expected : broken.position,
    ...(broken._tag === "PositionGap" ? {} : { eventId: broken.eventId })
  })
  return Effect.fail(fail("ChainBroken", `${path} is refused, nothing was imported: ${chain.message}`))
}

export interface Imported {
  readonly events: number
  readonly commands: number
  /** Commands the store had recorded already (same commandId): they wrote nothing. */
  readonly duplicates: number
}

/**
 * Appends the events command by command, in position order, each command's events to its stream at the
 * version they had: into an empty tenant they take the same positions. The store seals them with its own
 * times and hash chain.
 */
export const importLog = (
  tenant: Envelope.Tenant,
  events: ReadonlyArray<Envelope.StoredEvent>
): Effect.Effect<Imported, CliFailure | EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const progress = Progress.bar("import", events.length)
    let commands = 0
    let duplicates = 0
    let i = 0
    while (i < events.length) {
      const first = events[i]!
      let j = i + 1
      while (
        j < events.length &&
        events[j]!.commandId === first.commandId &&
        StreamId.format(events[j]!.stream) === StreamId.format(first.stream)
      ) {
        j++
      }
      const batch = events.slice(i, j)
      const result = yield* store
        .append({
          tenant,
          stream: first.stream,
          expected: ExpectedVersion.exact(first.version - 1),
          events: batch.map((e) => ({
            eventId: e.eventId,
            type: e.type,
            schemaVersion: e.schemaVersion,
            data: e.data,
            occurredAt: e.occurredAt,
            subjects: e.subjects
          })),
          context: {
            actor: first.actor,
            commandId: first.commandId,
            correlationId: first.correlationId,
            causationId: first.causationId
          }
        })
        .pipe(
          Effect.catchTags({
            ConcurrencyConflict: (conflict) =>
              Effect.fail(
                fail(
                  "BadInput",
                  `stream ${StreamId.format(first.stream)} of ${tenant} already holds other events (${conflict.message}): import into a tenant that does not hold them; ${(i).toLocaleString("en-US")} events were imported before it`
                )
              ),
            IdempotencyMismatch: (mismatch) =>
              Effect.fail(
                fail(
                  "BadInput",
                  `command ${first.commandId} is recorded in ${tenant} with other events (${mismatch.message}); ${i.toLocaleString("en-US")} events were imported before it`
                )
              )
          })
        )
      commands += 1
      if (result.duplicate) duplicates += 1
      i = j
      yield* progress.update(i)
    }
    yield* progress.finish
    return { events: events.length, commands, duplicates }
  })
