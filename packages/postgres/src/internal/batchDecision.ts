import {
  AppendDecision,
  AppendValidation,
  type ConcurrencyConflict,
  type EventStore,
  type EventStoreError,
  type IdempotencyMismatch,
  Scalars,
  StreamId
} from "@shuangbai/eventsourcing"

/** An append that passed validation and waits for its tenant's writer. */
export interface Pending {
  readonly request: EventStore.AppendRequest
  /** What `AppendValidation.validate` accepted and computed: the stored payloads and the seal's texts. */
  readonly accepted: AppendValidation.Validated
  readonly fingerprint: string
  readonly bytes: number
}

export type Outcome = EventStore.AppendResult | ConcurrencyConflict | IdempotencyMismatch | EventStoreError

/** The `commands` row of a command: what it wrote, and the fingerprint of the request that wrote it. */
export interface CommandRecord {
  readonly fingerprint: string
  readonly version: number
  readonly first: number
  readonly last: number
  /** Set when the command was written in this same batch. */
  readonly result?: EventStore.AppendResult
}

/** A tenant's head: last position, last hash and last store time (milliseconds). */
export interface Head {
  readonly position: number
  readonly hash: string
  readonly recordedMs: number
}

/** What the batch is decided against: the head, and what was found (or assumed) for the batch's keys. */
export interface BatchState {
  readonly head: Head
  readonly commands: Map<string, CommandRecord>
  /** Stream versions by `StreamId.format`; updated to the versions after the batch. */
  readonly versions: Map<string, number>
  readonly eventIds: Set<string>
}

/**
 * Decides each request of a batch in order with `AppendDecision.decide`, as the in-memory store decides each
 * append (one request's refusal fails only that request; a later request sees the streams, commands and
 * event ids as the earlier ones left them), and seals the accepted events onto the head. Returns each
 * request's outcome, the duplicates whose events must be read back (recorded before this batch), the
 * batch's rows as the append statements take them, and the head after it.
 */
export const decideBatch = (items: ReadonlyArray<Pending>, state: BatchState, now: number) => {
  const { commands, versions, eventIds } = state
  // Store time never runs backwards within a tenant, so "as of a time" is always a prefix of the log.
  const recordedMs = Math.max(now, state.head.recordedMs)
  const recordedAt = Scalars.instantFromMillis(recordedMs)
  let position = state.head.position
  let prevHash = state.head.hash

  const outcomes: Array<Outcome> = []
  const duplicatesToRead: Array<{ readonly index: number; readonly command: CommandRecord }> = []
  const events: Array<string> = []
  const subjects: Array<{ subject: string; position: number }> = []
  const newCommands: Array<Record<string, unknown>> = []
  const streams = new Map<string, { category: string; id: string; version: number }>()

  for (const item of items) {
    const { request } = item
    const key = StreamId.format(request.stream)
    const decision = AppendDecision.decide(request, item.fingerprint, {
      command: commands.get(request.context.commandId),
      version: versions.get(key) ?? 0,
      isStored: (eventId) => eventIds.has(eventId)
    })
    if (decision._tag === "Duplicate") {
      const { command } = decision
      if (command.result !== undefined) outcomes.push({ ...command.result, duplicate: true })
      else {
        duplicatesToRead.push({ index: outcomes.length, command })
        outcomes.push({ events: [], version: command.version, duplicate: true })
      }
      continue
    }
    if (decision._tag === "Refused") {
      outcomes.push(decision.error)
      continue
    }
    if (decision._tag === "Nothing") {
      outcomes.push({ events: [], version: decision.version, duplicate: false })
      continue
    }
    const current = decision.version
    const first = position + 1
    const stored = request.events.map((event, i) => {
      position += 1
      const sealed = AppendValidation.stored(request, item.accepted, i, {
        version: current + i + 1,
        position,
        recordedAt,
        prevHash
      })
      prevHash = sealed.hash
      const meta = JSON.stringify({
        position,
        category: request.stream.category,
        stream_id: request.stream.id,
        version: sealed.version,
        event_id: sealed.eventId,
        type: sealed.type,
        schema_version: sealed.schemaVersion,
        occurred_at: sealed.occurredAt,
        actor: sealed.actor,
        command_id: sealed.commandId,
        correlation_id: sealed.correlationId,
        causation_id: sealed.causationId,
        subjects: sealed.subjects,
        prev_hash: sealed.prevHash,
        hash: sealed.hash
      })
      // The payload goes in as the text validation produced, without a second stringify.
      events.push(`${meta.slice(0, -1)},"data":${item.accepted.payloads[i]!}}`)
      for (const subject of new Set(event.subjects)) subjects.push({ subject, position })
      eventIds.add(event.eventId)
      return sealed
    })
    const version = current + stored.length
    versions.set(key, version)
    streams.set(key, { category: request.stream.category, id: request.stream.id, version })
    const result: EventStore.AppendResult = { events: stored, version, duplicate: false }
    commands.set(request.context.commandId, { fingerprint: item.fingerprint, version, first, last: position, result })
    newCommands.push({
      command_id: request.context.commandId,
      fingerprint: item.fingerprint,
      category: request.stream.category,
      stream_id: request.stream.id,
      version,
      first_position: first,
      last_position: position
    })
    outcomes.push(result)
  }

  return {
    outcomes,
    duplicatesToRead,
    /** The batch's rows as JSON texts, in the order the append statements take them as parameters. */
    rows: {
      events: `[${events.join(",")}]`,
      subjects: JSON.stringify(subjects),
      streams: JSON.stringify([...streams.values()]),
      commands: JSON.stringify(newCommands)
    },
    writes: events.length > 0,
    recordedAt,
    head: { position, hash: prevHash, recordedMs } satisfies Head
  }
}
