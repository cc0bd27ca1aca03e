import { createHash, type KeyObject } from "node:crypto"
import { Effect, Option, Schema, Stream } from "effect"
import * as Anchor from "./Anchor.ts"
import type { StoredEvent, Tenant } from "./Envelope.ts"
import type { EventStoreError } from "./Errors.ts"
import { EventStore } from "./EventStore.ts"
import * as HashChain from "./HashChain.ts"
import { ChainBroken } from "./internal/chainBroken.ts"
import * as Erasures from "./internal/erasureRecord.ts"
import { attestations, verifyingReads } from "./internal/verifyingReads.ts"

/**
 * Export bundles: a tenant's log, or a subject's events, as JSONL that verifies offline (docs/audit.md,
 * "Export bundles"; tools/verify_bundle.py is an independent verifier). One JSON value per line, each line
 * ending in "\n":
 *
 * 1. the header, `{"format":"shuangbai-bundle/1","scope":"log"|"subject","subject"?:…,"tenant":…}`;
 * 2. `{"anchor":{…}}` for each anchor, by position: the signed checkpoints at or before the last event;
 * 3. `{"envelope":<canonicalEnvelope>,"hash":"<hex>"}` for each event by position: `envelope` is byte for
 *    byte the text the hash is taken over, except for a version-1 row rewritten by an erasure, which has
 *    its chained hash and its content now, attested by a later `SubjectErased` event of the bundle;
 * 4. the trailer, `{"end":{"anchors":m,"events":n,"head":{"hash":…,"position":…}}}`.
 *
 * Header, anchor and trailer lines are canonical JSON (`HashChain.canonicalJson`), so no byte of them can
 * change without the verifier noticing either.
 */
export const format = "shuangbai-bundle/1"

export type Scope = { readonly scope: "log" } | { readonly scope: "subject"; readonly subject: string }

export const eventLine = (event: StoredEvent): string =>
  `{"envelope":${HashChain.canonicalEnvelope(event)},"hash":${JSON.stringify(event.hash)}}\n`

const line = (value: unknown) => `${HashChain.canonicalJson(value)}\n`

/**
 * The bundle's lines. Every event is checked against its hash as it is read, and a log bundle against the
 * chain, so a bundle is never made from an altered log; anchors are checked with `publicKey` and only those
 * at or before the log's head at the start are included. A version-1 row rewritten by an erasure goes in as
 * it is now, with the hash it was chained with: the erasure event that attests it follows it in a log
 * bundle, and is added to a subject bundle (in position order) when it does not name the subject.
 */
export const make = (
  tenant: Tenant,
  options: Scope & {
    readonly anchors?: ReadonlyArray<Anchor.Anchor>
    readonly publicKey?: KeyObject
    readonly pageSize?: number
  }
): Stream.Stream<string, ChainBroken | Anchor.AnchorRefused | EventStoreError, EventStore> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const store = verifyingReads(yield* EventStore)
      const head = yield* store.head(tenant)
      const anchors: Array<Anchor.Anchor> = []
      for (const anchor of options.anchors ?? []) {
        if (options.publicKey !== undefined) yield* Anchor.check(anchor, tenant, options.publicKey)
        else if (anchor.tenant !== tenant) continue
        if (anchor.position <= head.position) anchors.push(anchor)
      }
      anchors.sort((a, b) => a.position - b.position)
      const pageSize = options.pageSize ?? 1000
      let events = 0
      let last: HashChain.Head = { position: 0, hash: HashChain.genesis }
      const broken = (found: HashChain.ChainBreak) =>
        new ChainBroken({
          tenant,
          kind: found._tag,
          position: found._tag === "PositionGap" ? found.expected : found.position
        })
      // A log bundle: rows held until the erasure event that attests them. A subject bundle: the erasure
      // events of other subjects that attest its rows, by position, waiting for their place.
      const unattested = new Map<number, HashChain.Unattested>()
      const erasures = new Map<number, StoredEvent>()
      const page = (after: number) =>
        options.scope === "log"
          ? store.readAll(tenant, { after, limit: Math.min(pageSize, head.position - after) })
          : store.readSubject(tenant, options.subject, { after, limit: pageSize })
      const body = Stream.paginate(0, (after: number) =>
        Effect.gen(function* () {
          if (options.scope === "log" && after >= head.position) {
            const held = HashChain.firstUnattested(unattested)
            if (held !== undefined) return yield* Effect.fail(broken(held))
            return [[], Option.none()] as const
          }
          const read = (yield* page(after)).filter((e) => e.position <= head.position)
          let events: ReadonlyArray<StoredEvent> = read
          if (options.scope === "log") {
            const found = HashChain.verifyAttested(read, last, unattested)
            if (found !== undefined) return yield* Effect.fail(broken(found))
          } else {
            for (const event of read) {
              const content = HashChain.hashOf(event)
              if (content === event.hash) continue
              for (const e of yield* attestations(store, event, content)) {
                if (!e.subjects.includes(options.subject)) erasures.set(e.position, e)
              }
            }
            const end = read[read.length - 1]
            const due = [...erasures.values()].filter((e) => end === undefined || e.position < end.position)
            for (const e of due) erasures.delete(e.position)
            events = [...read, ...due].sort((a, b) => a.position - b.position)
          }
          const end = events[events.length - 1]
          if (end !== undefined) last = { position: end.position, hash: end.hash }
          const next = read[read.length - 1]
          return [events, next === undefined ? Option.none() : Option.some(next.position)] as const
        })
      )
      const header = line(
        options.scope === "log"
          ? { format, scope: "log", tenant }
          : { format, scope: "subject", subject: options.subject, tenant }
      )
      return Stream.concat(
        Stream.fromArray([header, ...anchors.map((anchor) => line({ anchor }))]),
        Stream.concat(
          Stream.map(body, (event) => {
            events++
            return eventLine(event)
          }),
          Stream.suspend(() => Stream.succeed(line({ end: { anchors: anchors.length, events, head: last } })))
        )
      )
    })
  )

/** A bundle that does not verify: which line, and why. */
export class BundleRejected extends Schema.TaggedError<BundleRejected>()("BundleRejected", {
  line: Schema.Int,
  reason: Schema.String
}) {
  readonly isRetryable = false
  override get message() {
    return `the bundle does not verify at line ${this.line}: ${this.reason}`
  }
}

export interface BundleVerified {
  readonly tenant: string
  readonly scope: "log" | "subject"
  readonly events: number
  readonly anchors: number
  readonly head: HashChain.Head
  /** Whether the anchors' signatures were checked: only with a public key. */
  readonly signaturesChecked: boolean
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * Verifies a bundle as tools/verify_bundle.py does (hashes, links, positions, canonical lines, counts, each
 * anchor's tenant and its hash against the event at its position; a row that does not match its hash only
 * when a later intact erasure event in the bundle attests its position, its hash and its content's hash) and
 * each anchor's Ed25519 signature with `publicKey`. Without a key the signatures are not checked (`signaturesChecked: false`), as the script
 * does without `--public-key`: the bundle is then only proved consistent, not anchored.
 */
export const verify = (
  text: string,
  publicKey: KeyObject | undefined
): Effect.Effect<BundleVerified, BundleRejected | Anchor.AnchorRefused> =>
  Effect.gen(function* () {
    const reject = (n: number, reason: string) => Effect.fail(new BundleRejected({ line: n, reason }))
    if (!text.endsWith("\n")) return yield* reject(0, "the bundle does not end with a newline (cut short)")
    const lines = text.slice(0, -1).split("\n")
    const parse = (n: number) => {
      try {
        return JSON.parse(lines[n - 1]!) as unknown
      } catch {
        return undefined
      }
    }
    const canonical = (n: number) => {
      const value = parse(n)
      return value !== undefined && HashChain.canonicalJson(value) === lines[n - 1] ? value : undefined
    }
    const header = canonical(1)
    if (!isObject(header) || header.format !== format) return yield* reject(1, `the header is not a ${format} header`)
    const tenant = String(header.tenant)
    const scope = header.scope
    if (scope !== "log" && (scope !== "subject" || typeof header.subject !== "string")) {
      return yield* reject(1, "the scope is neither the log nor a subject")
    }
    let n = 2
    const anchors: Array<Anchor.Anchor> = []
    while (n < lines.length && lines[n - 1]!.startsWith('{"anchor":')) {
      const value = canonical(n)
      const decoded = Schema.decodeUnknownOption(Anchor.Anchor)(isObject(value) ? value.anchor : undefined)
      if (Option.isNone(decoded)) return yield* reject(n, "not a canonical anchor line")
      const anchor =
        publicKey !== undefined
          ? yield* Anchor.check(decoded.value, tenant, publicKey)
          : decoded.value.tenant === tenant
            ? decoded.value
            : yield* Effect.fail(
                new Anchor.AnchorRefused({
                  tenant,
                  position: decoded.value.position,
                  reason: "OtherTenant",
                  anchorTenant: decoded.value.tenant
                })
              )
      if (anchors.length > 0 && anchor.position < anchors[anchors.length - 1]!.position) {
        return yield* reject(n, "anchors out of position order")
      }
      anchors.push(anchor)
      n++
    }
    const hashes = new Map<number, string>()
    // Rows whose content does not match their hash, until a later erasure event attests them (by position).
    const held = new Map<number, { readonly line: number; readonly hash: string; readonly content: string }>()
    let head: HashChain.Head = { position: 0, hash: HashChain.genesis }
    let events = 0
    for (; n < lines.length; n++) {
      const text = lines[n - 1]!
      const match = /^\{"envelope":(.*),"hash":"([0-9a-f]{64})"\}$/s.exec(text)
      if (match === null) return yield* reject(n, "not an event line")
      const hash = match[2]!
      const content = createHash("sha256").update(match[1]!).digest("hex")
      const envelope = parse(n) as { envelope?: StoredEvent } | undefined
      const event = envelope?.envelope
      if (!isObject(event)) return yield* reject(n, "the envelope does not match its hash (edited)")
      let released = 0
      if (content !== hash) held.set(event.position, { line: n, hash, content })
      else {
        for (const r of Erasures.attested(event)) {
          const row = held.get(r.position)
          if (row !== undefined && row.hash === r.hash && row.content === r.content) {
            held.delete(r.position)
            released++
          }
        }
      }
      if (event.tenant !== tenant || !Array.isArray(event.subjects)) {
        return yield* reject(n, "the event is not of this tenant")
      }
      // A subject bundle carries the erasure events, of whichever subject, that attest its rewritten rows.
      if (scope === "subject" && !event.subjects.includes(header.subject as string) && released === 0) {
        return yield* reject(n, "the event does not name the subject")
      }
      const position = event.position
      const follows = scope === "log" ? position === head.position + 1 : position > head.position
      if (!follows) return yield* reject(n, `position ${position} out of order (after ${head.position})`)
      if ((scope === "log" || position === head.position + 1) && event.prevHash !== head.hash) {
        return yield* reject(n, `position ${position} does not link to the event before it`)
      }
      hashes.set(position, hash)
      head = { position, hash }
      events++
    }
    const first = Math.min(...held.keys())
    if (held.size > 0) {
      return yield* reject(
        held.get(first)!.line,
        "the envelope does not match its hash (edited), and no later erasure event attests its content"
      )
    }
    const trailer = canonical(n)
    const end = isObject(trailer) && isObject(trailer.end) ? trailer.end : undefined
    if (n !== lines.length || end === undefined) return yield* reject(n, "the trailer is missing")
    if (end.events !== events || end.anchors !== anchors.length) {
      return yield* reject(
        n,
        `the trailer counts ${end.events} events and ${end.anchors} anchors, the bundle holds ${events} and ${anchors.length}`
      )
    }
    if (HashChain.canonicalJson(end.head) !== HashChain.canonicalJson(head)) {
      return yield* reject(n, "the trailer's head is not the last event")
    }
    for (const anchor of anchors) {
      const hash = anchor.position === 0 ? HashChain.genesis : hashes.get(anchor.position)
      if (scope === "log" ? hash !== anchor.hash : hash !== undefined && hash !== anchor.hash) {
        return yield* reject(0, `the log does not pass through the anchor at position ${anchor.position}`)
      }
    }
    return { tenant, scope, events, anchors: anchors.length, head, signaturesChecked: publicKey !== undefined }
  })
