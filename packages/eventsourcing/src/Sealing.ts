import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto"
import { Array as Arr, Effect, Stream } from "effect"
import type { NewEvent, StoredEvent, Tenant } from "./Envelope.ts"
import { EventStoreError } from "./Errors.ts"
import type { EventStoreShape } from "./EventStore.ts"
import * as Personal from "./Personal.ts"
import type { KeyState, SubjectKeysShape } from "./SubjectKeys.ts"

// Personal fields are stored sealed: `{"$sealed": base64(iv ‖ AES-256-GCM ciphertext ‖ tag), "$subject": id}`,
// the plaintext being the field's JSON, under the subject's key, with `<eventId>/<field path>` as additional
// data so that a sealed value cannot be moved to another event or field. The hash chain covers the sealed
// form: destroying a key later changes no row. Sealing and opening both happen here, in the store decorator
// every store applies (`sealed`): the command handler hands the store plaintext with the personal fields
// located (`NewEvent.personal`), and a read hands the codec each sealed value opened beside its sealed form.

export interface SealedValue {
  readonly $sealed: string
  readonly $subject: string
}

export const isSealed = (value: unknown): value is SealedValue =>
  typeof value === "object" && value !== null && typeof (value as SealedValue).$sealed === "string"

/** What a read found for a sealed value: kept beside it under a symbol, which no JSON or hash ever sees. */
export const openedMark: unique symbol = Symbol.for("@shuangbai/eventsourcing/Sealing/opened")

export type Opened = { readonly _tag: "Open"; readonly value: unknown } | { readonly _tag: "Erased" }

export const openedOf = (value: unknown): Opened | undefined =>
  typeof value === "object" && value !== null ? (value as { [openedMark]?: Opened })[openedMark] : undefined

const aad = (eventId: string, path: ReadonlyArray<string>) => Buffer.from(`${eventId}/${path.join(".")}`)

/**
 * Seals one value. The IV is fresh (96 random bits) unless `derived`: an erasure's rewrite of a version-1 row
 * derives it from the key and the field (`HMAC-SHA256(key, aad ‖ plaintext)`), so that a retried erasure
 * writes exactly the content its erasure event attested.
 */
export const sealValue = (
  key: Uint8Array,
  eventId: string,
  path: ReadonlyArray<string>,
  subject: string,
  value: unknown,
  derived = false
): SealedValue => {
  const plaintext = Buffer.from(JSON.stringify(value))
  const iv = derived
    ? createHmac("sha256", key).update(aad(eventId, path)).update(plaintext).digest().subarray(0, 12)
    : randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  cipher.setAAD(aad(eventId, path))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { $sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64"), $subject: subject }
}

/** Opens one sealed value; undefined when the key does not open it (a moved or edited value). */
export const openValue = (
  key: Uint8Array,
  eventId: string,
  path: ReadonlyArray<string>,
  sealed: SealedValue
): { readonly value: unknown } | undefined => {
  try {
    const bytes = Buffer.from(sealed.$sealed, "base64")
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12))
    decipher.setAAD(aad(eventId, path))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()])
    return { value: JSON.parse(plain.toString("utf8")) }
  } catch {
    return undefined
  }
}

/** Seals the located personal fields of a payload with the subjects' live keys. */
export const sealPayload = (
  eventId: string,
  data: unknown,
  located: ReadonlyArray<Personal.Located>,
  keys: ReadonlyMap<string, KeyState>,
  derived = false,
  memo?: Memo
): unknown =>
  located.reduce((acc, { path, subject }) => {
    const state = keys.get(subject)
    if (state?._tag !== "Live") throw new Error(`no live key for subject ${subject}`)
    return Personal.replaceAt(acc, path, (value) => {
      const sealed = sealValue(state.key, eventId, path, subject, value, derived)
      // What the append returns is opened from here, not decrypted again.
      if (memo !== undefined) remember(memo, sealed.$sealed, { subject, at: `${eventId}/${path.join(".")}`, value })
      return sealed
    })
  }, data)

const missingKey = (event: StoredEvent, subject: string) =>
  new EventStoreError({
    reason: "Corrupt",
    message: `event ${event.eventId} at position ${event.position} of ${event.tenant} has fields sealed under the key of subject ${subject}, and the keys table has no row for that subject (neither live nor destroyed): restore the keys table from a backup`
  })

const unopenable = (event: StoredEvent, subject: string, path: ReadonlyArray<string>) =>
  new EventStoreError({
    reason: "Corrupt",
    message: `the sealed field ${path.join(".")} of event ${event.eventId} at position ${event.position} of ${event.tenant} does not open with the key of subject ${subject}: the value was edited or moved`
  })

/** Calls `f` on every sealed value of a payload with its path. */
const eachSealed = (
  data: unknown,
  f: (sealed: SealedValue, path: ReadonlyArray<string>) => void,
  path: Array<string> = []
): void => {
  if (data === null || typeof data !== "object") return
  if (isSealed(data)) {
    f(data, path)
    return
  }
  for (const [k, v] of Object.entries(data)) {
    if (v !== null && typeof v === "object") eachSealed(v, f, [...path, k])
  }
}

/** The subjects whose keys the events' sealed fields need. */
export const sealedSubjects = (events: ReadonlyArray<StoredEvent>): ReadonlyArray<string> => {
  const out = new Set<string>()
  for (const event of events) eachSealed(event.data, (s) => out.add(s.$subject))
  return [...out]
}

/**
 * The events with every sealed value opened: a copy of each sealed value carrying, under `openedMark`, its
 * plaintext or, when its subject's key is destroyed, `Erased`. Stored data is never changed, so the copy
 * hashes as the row did. A key with no row at all is a `Corrupt` error naming the subject.
 */
export const openEvents = (
  events: ReadonlyArray<StoredEvent>,
  keys: ReadonlyMap<string, KeyState>,
  memo?: Memo
): ReadonlyArray<StoredEvent> | EventStoreError => {
  const out: Array<StoredEvent> = []
  for (const event of events) {
    let failure: EventStoreError | undefined
    let data = event.data
    eachSealed(event.data, (sealed, path) => {
      if (failure !== undefined) return
      const state = keys.get(sealed.$subject)
      if (state === undefined) {
        failure = missingKey(event, sealed.$subject)
        return
      }
      let opened: Opened = { _tag: "Erased" }
      if (state._tag === "Destroyed") memo?.delete(sealed.$sealed)
      const known = state._tag === "Live" ? memo?.get(sealed.$sealed) : undefined
      if (
        known !== undefined &&
        known.subject === sealed.$subject &&
        known.at === `${event.eventId}/${path.join(".")}`
      ) {
        opened = { _tag: "Open", value: known.value }
      } else if (state._tag === "Live") {
        const found = openValue(state.key, event.eventId, path, sealed)
        if (found === undefined) {
          failure = unopenable(event, sealed.$subject, path)
          return
        }
        opened = { _tag: "Open", value: found.value }
        if (memo !== undefined) {
          remember(memo, sealed.$sealed, {
            subject: sealed.$subject,
            at: `${event.eventId}/${path.join(".")}`,
            value: found.value
          })
        }
      }
      data = Personal.replaceAt(data, path, () => ({ ...sealed, [openedMark]: opened }))
    })
    if (failure !== undefined) return failure
    out.push(data === event.data ? event : { ...event, data })
  }
  return out
}

/**
 * Values a store opened, by their sealed text: a read whose key is still live (the keys are read every time)
 * takes the plaintext from here instead of decrypting again; a destroyed key drops it.
 */
type Memo = Map<string, { readonly subject: string; readonly at: string; readonly value: unknown }>
const memoSize = 50_000

const remember = (memo: Memo, sealed: string, opened: { subject: string; at: string; value: unknown }) => {
  if (memo.size >= memoSize) memo.clear()
  memo.set(sealed, opened)
}

const opening =
  (keys: SubjectKeysShape, tenant: Tenant, memo: Memo) =>
  (events: ReadonlyArray<StoredEvent>): Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError> => {
    const subjects = sealedSubjects(events)
    if (subjects.length === 0) return Effect.succeed(events)
    return Effect.flatMap(keys.read(tenant, subjects), (found) => {
      const opened = openEvents(events, found, memo)
      return opened instanceof EventStoreError ? Effect.fail(opened) : Effect.succeed(opened)
    })
  }

/** An append's events with their located personal fields sealed, and `personal` dropped. */
const sealRequest = (
  keys: SubjectKeysShape,
  tenant: Tenant,
  events: ReadonlyArray<NewEvent>,
  memo: Memo
): Effect.Effect<
  { readonly events: ReadonlyArray<NewEvent>; readonly keys: ReadonlyMap<string, KeyState> },
  EventStoreError
> => {
  const subjects = [...new Set(events.flatMap((e) => (e.personal ?? []).map((p) => p.subject)))]
  if (subjects.length === 0) {
    return Effect.succeed({ events: events.map(({ personal: _, ...event }) => event), keys: new Map() })
  }
  return Effect.flatMap(keys.getOrCreate(tenant, subjects), (found) => {
    const erased = subjects.find((s) => found.get(s)?._tag !== "Live")
    if (erased !== undefined) {
      return Effect.fail(
        new EventStoreError({
          reason: "InvalidRequest",
          message: `subject ${erased} of ${tenant} was erased: no personal data about them can be recorded again`
        })
      )
    }
    return Effect.succeed({
      events: events.map(({ personal, ...event }) =>
        personal === undefined || personal.length === 0
          ? event
          : { ...event, data: sealPayload(event.eventId, event.data, personal, found, false, memo) }
      ),
      keys: found
    })
  })
}

/**
 * The store with personal fields sealed on the way in and opened on the way out (the one place it happens;
 * docs/architecture.md). Every store applies it with the keys kept beside its events.
 */
export const sealed = (store: EventStoreShape, keys: SubjectKeysShape): EventStoreShape => {
  const memo: Memo = new Map()
  return {
    ...store,
    append: (request) =>
      Effect.flatMap(sealRequest(keys, request.tenant, request.events, memo), (sealedRequest) =>
        Effect.flatMap(store.append({ ...request, events: sealedRequest.events }), (result) => {
          // The events just written open with the keys they were sealed with (no second look-up); a first
          // result returned for a retried command may need others.
          if (sealedSubjects(result.events).every((s) => sealedRequest.keys.has(s))) {
            const opened = openEvents(result.events, sealedRequest.keys, memo)
            return opened instanceof EventStoreError
              ? Effect.fail(opened)
              : Effect.succeed({ ...result, events: opened })
          }
          return Effect.map(opening(keys, request.tenant, memo)(result.events), (opened) => ({
            ...result,
            events: opened
          }))
        })
      ),
    readStream: (tenant, stream, options) =>
      Effect.flatMap(store.readStream(tenant, stream, options), opening(keys, tenant, memo)),
    readAll: (tenant, options) => Effect.flatMap(store.readAll(tenant, options), opening(keys, tenant, memo)),
    readSubject: (tenant, subject, options) =>
      Effect.flatMap(store.readSubject(tenant, subject, options), opening(keys, tenant, memo)),
    readCommand: (tenant, commandId) =>
      Effect.flatMap(store.readCommand(tenant, commandId), (events) =>
        events === undefined ? Effect.succeed(undefined) : opening(keys, tenant, memo)(events)
      ),
    // A page at a time, as the store delivers it: one look-up of keys per page, and the pages keep their size
    // (a ProjectionRunner commits its checkpoint once per page, a relay too).
    subscribe: (tenant, options) =>
      store
        .subscribe(tenant, options)
        .pipe(
          Stream.mapArrayEffect((events) =>
            Effect.map(opening(keys, tenant, memo)(events), (opened) =>
              Arr.isReadonlyArrayNonEmpty(opened) ? opened : events
            )
          )
        )
  }
}
