import {
  type Envelope,
  Erasure,
  EventStore,
  type EventStoreError,
  type InvalidEvent,
  Personal,
  Projection,
  type Recorded,
  Scalars,
  StreamId,
  type UnknownEventType
} from "@shuangbai/eventsourcing"
import { Effect, Result } from "effect"
import * as AccessLog from "../access/AccessLog.ts"
import * as Domain from "../Domain.ts"
import type { HouseholdId, PersonId } from "../shared/Ids.ts"
import type { Label, Language } from "../shared/Labels.ts"
import { PersistentSet } from "../shared/Persistent.ts"
import * as Snapshot from "./Snapshot.ts"

// Everything about one household across streams — its file, visits, cases, relief, the activities its
// members attended — in position order, with who did what and when from the envelope. An event belongs to
// the household when its subjects name the household or one of its members (anyone ever registered in it).

export interface Entry {
  readonly position: number
  readonly eventId: string
  readonly stream: StreamId.StreamId
  readonly version: number
  readonly type: string
  /** The context that owns the event type. */
  readonly context: string
  readonly label: Label
  /** Business time: when it happened. */
  readonly occurredAt: string
  /**
   * The business date: the day `occurredAt` falls on in China time (UTC+8), the date the worker recorded.
   * (A visit on 27 January happened at 2025-01-26T16:00:00.000Z: the UTC date is a day early.)
   */
  readonly occurredOn: Scalars.LocalDate
  /** Store time: when it was recorded. */
  readonly recordedAt: string
  readonly actor: Envelope.Actor
  readonly commandId: string
  readonly correlationId: string
  readonly causationId: string
  readonly event: Domain.Event
  /** Personal fields whose subject was erased (`Erasure`): the event holds their erased value, printed as 已删除. */
  readonly erased?: ReadonlyArray<string>
}

/** Newest first, so that adding an entry is O(1) and a saved state is never changed. */
interface Entries {
  readonly head: Entry
  readonly tail: Entries | undefined
}

export interface State {
  readonly household: HouseholdId
  readonly members: PersistentSet<PersonId>
  readonly entries: Entries | undefined
  readonly count: number
  /** The last position taken: a page read again is not listed twice. */
  readonly lastPosition: number
}

const unknownLabel = (type: string): Label =>
  type === Erasure.SubjectErased.identifier
    ? { "zh-CN": "个人信息删除", en: "personal data erased" }
    : { "zh-CN": type, en: type }

const entryOf = (recorded: Recorded<Domain.Event>): Entry => {
  const context = Domain.contextOfEvent.get(recorded.type)
  return {
    position: recorded.position,
    eventId: recorded.eventId,
    stream: recorded.stream,
    version: recorded.version,
    type: recorded.type,
    context: context?.name ?? "unknown",
    label: context?.eventLabels[recorded.type] ?? unknownLabel(recorded.type),
    occurredAt: recorded.occurredAt,
    occurredOn: Scalars.chinaDateOf(Date.parse(recorded.occurredAt)),
    recordedAt: recorded.recordedAt,
    actor: recorded.actor,
    commandId: recorded.commandId,
    correlationId: recorded.correlationId,
    causationId: recorded.causationId,
    event: recorded.event,
    ...(recorded.erased === undefined ? {} : { erased: recorded.erased })
  }
}

const membersAfter = (state: State, event: Domain.Event): PersistentSet<PersonId> => {
  switch (event._tag) {
    case "HouseholdRegistered":
      return event.household === state.household
        ? PersistentSet.from(state.members).with(event.head.person)
        : state.members
    case "MemberAdded":
      return event.household === state.household ? PersistentSet.from(state.members).with(event.person) : state.members
    default:
      return state.members
  }
}

const concerns = (state: State, members: PersistentSet<PersonId>, recorded: Recorded<Domain.Event>): boolean => {
  for (const subject of recorded.subjects) {
    if (subject === state.household || PersistentSet.from(members).has(subject as PersonId)) return true
  }
  const event = recorded.event as { readonly household?: unknown }
  return event.household === state.household
}

/** One household's history; feed it the log, or what `readSubject` finds for the household and its members. */
export const projection = (household: HouseholdId): Projection.Projection<Domain.Event, State> =>
  Projection.make({
    initial: { household, members: PersistentSet.empty(), entries: undefined, count: 0, lastPosition: 0 },
    evolve: (state: State, recorded: Recorded<Domain.Event>): State => {
      if (recorded.position <= state.lastPosition) return state
      const members = membersAfter(state, recorded.event)
      if (!concerns(state, members, recorded)) return members === state.members ? state : { ...state, members }
      return {
        household: state.household,
        members,
        entries: { head: entryOf(recorded), tail: state.entries },
        count: state.count + 1,
        lastPosition: recorded.position
      }
    }
  })

export interface History {
  readonly household: HouseholdId
  readonly members: ReadonlyArray<PersonId>
  /** In position order. */
  readonly entries: ReadonlyArray<Entry>
  /** Who read the household's data, when and why (the access log, `Access.AccessLog`), oldest first. */
  readonly reads?: ReadonlyArray<AccessLog.Entry>
}

export const view = (state: State): History => {
  const entries: Array<Entry> = new Array(state.count)
  let i = state.count
  for (let node = state.entries; node !== undefined; node = node.tail) entries[--i] = node.head
  return { household: state.household, members: [...PersistentSet.from(state.members)].sort(), entries }
}

const actorText = (actor: Envelope.Actor): string =>
  actor.station === undefined ? `${actor.id} (${actor.role})` : `${actor.id} (${actor.role}, ${actor.station})`

const erasedText = (entry: Entry, language: Language): string =>
  entry.erased === undefined
    ? ""
    : `  ${language === "en" ? "erased" : Personal.erasedText}: ${entry.erased.join(", ")}`

/** One line per entry: position, the business date it happened on, what, by whom, on which stream, when recorded. */
export const print = (history: History, language: Language): string => {
  const heading = language === "en" ? `History of household ${history.household}` : `户 ${history.household} 档案历史`
  const recorded = language === "en" ? "recorded" : "录入"
  const lines = history.entries.map(
    (e) =>
      `#${e.position}  ${e.occurredOn}  ${e.label[language]}  ${actorText(e.actor)}  ${StreamId.format(e.stream)}@${e.version}  ${recorded} ${e.recordedAt}${erasedText(e, language)}`
  )
  const readHeading = language === "en" ? "Read by" : "查阅记录"
  const reads = (history.reads ?? []).map(
    (r) => `${r.recordedAt}  ${actorText(r.actor)}  ${r.what}  ${language === "en" ? "purpose" : "目的"}: ${r.purpose}`
  )
  return `${heading}\n${lines.join("\n")}\n${reads.length === 0 ? "" : `${readHeading}\n${reads.join("\n")}\n`}`
}

const pageSize = 1_000

const readAllOf = (
  tenant: Envelope.Tenant,
  subject: string
): Effect.Effect<ReadonlyArray<Envelope.StoredEvent>, EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const found: Array<Envelope.StoredEvent> = []
    let after = 0
    for (;;) {
      const page = yield* store.readSubject(tenant, subject, { after, limit: pageSize })
      found.push(...page)
      if (page.length < pageSize) return found
      after = page[page.length - 1]!.position
    }
  })

/**
 * A household's history read from the store by subject: the events naming the household, then those
 * naming each of its members, merged in position order, decoded with the domain's codec; as of a bound
 * (`Snapshot.Bound`) when given. Its `reads` are the access log's reads of the household inside the bound
 * (by store time or, for a position, everything: the access log has its own positions).
 */
export const read = (
  tenant: Envelope.Tenant,
  household: HouseholdId,
  bound?: Snapshot.Bound
): Effect.Effect<History, EventStoreError | UnknownEventType | InvalidEvent, EventStore.EventStore> =>
  Effect.gen(function* () {
    const decodeAll = (stored: Iterable<Envelope.StoredEvent>) => {
      const recorded: Array<Recorded<Domain.Event>> = []
      for (const event of stored) {
        if (!Snapshot.includes(bound, event)) continue
        const decoded = Domain.codec.decode(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        recorded.push(decoded.success)
      }
      return Result.succeed(recorded)
    }
    const history = projection(household)
    const own = yield* readAllOf(tenant, household)
    const first = Projection.fold(history, yield* Effect.fromResult(decodeAll(own)))
    const byPosition = new Map(own.map((e) => [e.position, e] as const))
    for (const member of first.members) {
      for (const event of yield* readAllOf(tenant, member)) byPosition.set(event.position, event)
    }
    const all = [...byPosition.values()].sort((a, b) => a.position - b.position)
    const found = view(Projection.fold(history, yield* Effect.fromResult(decodeAll(all))))
    // the access log has positions of its own: a position bound cuts it at the store time of the last entry
    const last = found.entries[found.entries.length - 1]
    const until = bound === undefined ? undefined : bound._tag === "Time" ? bound.recordedAt : (last?.recordedAt ?? "")
    const reads = (yield* AccessLog.readsOf(tenant, household)).filter(
      (entry) => until === undefined || entry.recordedAt <= until
    )
    return { ...found, reads }
  })
