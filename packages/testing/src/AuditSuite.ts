import { generateKeyPairSync } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import {
  Anchor,
  Audit,
  Bundle,
  type Envelope,
  EventStore,
  ExpectedVersion,
  HashChain,
  IdGenerator
} from "@shuangbai/eventsourcing"
import { Context, Effect, Layer, Stream } from "effect"

/**
 * What an attacker with write access to the store can do: replace a tenant's log (and its head) with any
 * events at all. Each store's test provides it its own way (SQL on Postgres, a wrapper in memory).
 */
export class Tamper extends Context.Service<
  Tamper,
  {
    readonly rewrite: (
      tenant: string,
      change: (events: ReadonlyArray<Envelope.StoredEvent>) => ReadonlyArray<Envelope.StoredEvent>
    ) => Effect.Effect<void, unknown>
  }
>()("@shuangbai/testing/Tamper") {}

/** Re-seals `events` from the first one onward into a consistent chain, as a forger with `HashChain.seal` would. */
export const rechain = (events: ReadonlyArray<Envelope.StoredEvent>): Array<Envelope.StoredEvent> => {
  const out: Array<Envelope.StoredEvent> = []
  let prevHash = events[0]?.prevHash ?? HashChain.genesis
  for (const { hash: _, ...event } of events) {
    const sealed = HashChain.seal({ ...event, prevHash })
    out.push(sealed)
    prevHash = sealed.hash
  }
  return out
}

/** The in-memory store with `Tamper`: reads of a rewritten tenant (log, subject, head) see the rewritten log. */
export const layerMemoryTamperable: Layer.Layer<EventStore.EventStore | Tamper> = Layer.effectContext(
  Effect.gen(function* () {
    const inner = yield* EventStore.makeMemory()
    const rewritten = new Map<string, ReadonlyArray<Envelope.StoredEvent>>()
    const page = (events: ReadonlyArray<Envelope.StoredEvent>, options: EventStore.ReadAllOptions) =>
      events
        .filter(
          (e) =>
            e.position > options.after &&
            e.position <= (options.through ?? e.position) &&
            (options.types === undefined || options.types.includes(e.type))
        )
        .slice(0, Math.max(0, options.limit))
    const store: EventStore.EventStoreShape = {
      ...inner,
      readAll: (tenant, options) => {
        const log = rewritten.get(tenant)
        return log === undefined ? inner.readAll(tenant, options) : Effect.succeed(page(log, options))
      },
      readSubject: (tenant, subject, options) => {
        const log = rewritten.get(tenant)
        return log === undefined
          ? inner.readSubject(tenant, subject, options)
          : Effect.succeed(
              page(
                log.filter((e) => e.subjects.includes(subject)),
                options
              )
            )
      },
      head: (tenant) => {
        const log = rewritten.get(tenant)
        const last = log?.[log.length - 1]
        if (log === undefined) return inner.head(tenant)
        return Effect.succeed(
          last === undefined ? { position: 0, hash: HashChain.genesis } : { position: last.position, hash: last.hash }
        )
      }
    }
    const tamper: Tamper["Service"] = {
      rewrite: (tenant, change) =>
        Effect.map(inner.readAll(tenant, { after: 0, limit: Number.MAX_SAFE_INTEGER }), (events) => {
          rewritten.set(tenant, change(rewritten.get(tenant) ?? events))
        })
    }
    return Context.make(EventStore.EventStore, store).pipe(Context.add(Tamper, tamper))
  })
)

const actor = { id: "auditor-1", role: "auditor" }

let tenants = 0
const freshTenant = () => `audit-${Date.now().toString(36)}-${++tenants}`

/** Appends `n` events to `tenant` across two streams, each naming a subject. */
const fill = (tenant: string, n: number, from = 1) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const ids = yield* IdGenerator.IdGenerator
    for (let i = from; i < from + n; i++) {
      const commandId = `cmd-${i}`
      yield* store.append({
        tenant,
        stream: { category: "visit", id: `v${i % 2}` },
        expected: ExpectedVersion.any,
        events: [
          {
            eventId: yield* ids.next,
            type: "VisitConducted",
            schemaVersion: 1,
            data: { i, findings: `家访 ${i}` },
            occurredAt: "2026-03-01T08:00:00.000Z",
            subjects: [`household-${i % 3}`]
          }
        ],
        context: { actor, commandId, correlationId: commandId, causationId: commandId }
      })
    }
  }).pipe(Effect.provide(IdGenerator.layer))

const listAnchors = (tenant: string) => Anchor.AnchorStore.use((store) => store.list(tenant))

const keys = () => generateKeyPairSync("ed25519")
const signerLayer = (privateKey: ReturnType<typeof keys>["privateKey"]) =>
  Layer.succeed(Anchor.Signer, Anchor.signerFromKey(privateKey))

/** Fails the test unless `effect` fails with a ChainBroken of `kind` at `position`. */
const expectBroken = <A, E extends { readonly _tag: string }, R>(
  effect: Effect.Effect<A, E, R>,
  kind: string,
  position: number
) =>
  Effect.gen(function* () {
    const error = (yield* Effect.flip(effect)) as unknown as { _tag: string; kind?: string; position?: number }
    assert.strictEqual(error._tag, "ChainBroken", String(error))
    assert.strictEqual(error.kind, kind)
    assert.strictEqual(error.position, position)
  })

/**
 * The tamper scenarios of docs/audit.md, registered with vitest for one store: each is what an attacker who
 * can write to the store can do, and each must be caught by anchored verification (or refused).
 */
export const suite = (name: string, storeLayer: Layer.Layer<EventStore.EventStore | Tamper, unknown>): void => {
  layer(storeLayer, { excludeTestServices: true, timeout: "2 minutes" })(`Audit: ${name}`, (it) => {
    /** A tenant with 6 events, an anchor at position 6, its anchors and the signer's public key. */
    const anchored = Effect.gen(function* () {
      const tenant = freshTenant()
      yield* fill(tenant, 6)
      const { privateKey, publicKey } = keys()
      const both = Layer.merge(Layer.fresh(Anchor.layerAnchorsMemory), signerLayer(privateKey))
      const context = yield* Layer.build(both)
      const { anchor } = yield* Audit.checkpoint(tenant).pipe(Effect.provideContext(context))
      const verify = (incremental = false) =>
        Audit.verifyAnchored(tenant, { publicKey, incremental, pageSize: 4 }).pipe(Effect.provideContext(context))
      return { tenant, anchor, publicKey, privateKey, context, verify }
    })

    it.effect("a signed checkpoint covers the head, and a later one verifies only the new events", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, anchor, context, verify } = yield* anchored
          assert.strictEqual(anchor.position, 6)
          yield* fill(tenant, 3, 7)
          const second = yield* Audit.checkpoint(tenant).pipe(Effect.provideContext(context))
          assert.strictEqual(second.verified.from.position, 6)
          assert.strictEqual(second.verified.events, 3)
          assert.strictEqual(second.anchor.position, 9)
          const full = yield* verify()
          assert.strictEqual(full.events, 9)
          assert.strictEqual(full.anchors, 2)
          const incremental = yield* verify(true)
          assert.strictEqual(incremental.events, 0)
        })
      )
    )

    it.effect("a truncated tail with the head fixed up is caught by the anchor", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, verify } = yield* anchored
          yield* (yield* Tamper).rewrite(tenant, (events) => events.slice(0, 4))
          // The chain alone still verifies: it proves nothing against whoever can write to the store.
          yield* Audit.verifyChain(tenant)
          yield* expectBroken(verify(), "Truncated", 6)
          yield* expectBroken(verify(true), "Truncated", 6)
        })
      )
    )

    it.effect("an edited event followed by re-chaining the rest is caught by the anchor", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, verify } = yield* anchored
          yield* (yield* Tamper).rewrite(tenant, (events) =>
            rechain(events.map((e) => (e.position === 3 ? { ...e, data: { i: 3, findings: "nothing seen" } } : e)))
          )
          yield* Audit.verifyChain(tenant)
          yield* expectBroken(verify(), "AnchorMismatch", 6)
          yield* expectBroken(verify(true), "AnchorMismatch", 6)
        })
      )
    )

    it.effect("a forged event sealed with HashChain.seal in place of the last is caught by the anchor", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, verify } = yield* anchored
          yield* (yield* Tamper).rewrite(tenant, (events) => {
            const { hash: _, ...last } = events[events.length - 1]!
            return [...events.slice(0, -1), HashChain.seal({ ...last, actor: { id: "someone-else", role: "worker" } })]
          })
          yield* Audit.verifyChain(tenant)
          yield* expectBroken(verify(), "AnchorMismatch", 6)
        })
      )
    )

    it.effect("an anchor with a bad signature, or of another key or tenant, is refused", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, anchor, publicKey } = yield* anchored
          const refused = (anchors: ReadonlyArray<Anchor.Anchor>, key = publicKey) =>
            Effect.flip(Audit.verifyChain(tenant, { anchored: { publicKey: key, anchors } }))
          const flipped = `${anchor.signature[0] === "A" ? "B" : "A"}${anchor.signature.slice(1)}`
          const bad = yield* refused([{ ...anchor, signature: flipped }])
          assert.strictEqual(bad._tag === "AnchorRefused" && bad.reason, "BadSignature")
          const moved = yield* refused([{ ...anchor, position: 5 }])
          assert.strictEqual(moved._tag === "AnchorRefused" && moved.reason, "BadSignature")
          const otherKey = yield* refused([anchor], keys().publicKey)
          assert.strictEqual(otherKey._tag === "AnchorRefused" && otherKey.reason, "BadSignature")
          const other = yield* refused([{ ...anchor, tenant: `${tenant}-other` }])
          assert.strictEqual(other._tag === "AnchorRefused" && other.reason, "OtherTenant")
          assert.match(other.message, /not .*: it proves nothing/)
        })
      )
    )

    it.effect("a checkpoint refuses to sign a log that does not extend the last anchor", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, context } = yield* anchored
          yield* (yield* Tamper).rewrite(tenant, (events) =>
            rechain(events.map((e) => (e.position === 1 ? { ...e, data: { i: 1, findings: "forged" } } : e)))
          )
          const error = yield* Effect.flip(Audit.checkpoint(tenant).pipe(Effect.provideContext(context)))
          assert.strictEqual(error._tag, "ChainBroken")
          const stored = yield* listAnchors(tenant).pipe(Effect.provideContext(context))
          assert.strictEqual(stored.length, 1)
        })
      )
    )

    it.effect("reads that notice fail at the first altered event", () =>
      Effect.gen(function* () {
        const tenant = freshTenant()
        yield* fill(tenant, 5)
        yield* (yield* Tamper).rewrite(tenant, (events) =>
          events.map((e) => (e.position >= 3 ? { ...e, data: { i: 0, findings: "edited" } } : e))
        )
        const store = Audit.verifyingReads(yield* EventStore.EventStore)
        const error = yield* Effect.flip(store.readAll(tenant, { after: 0, limit: 10 }))
        assert.strictEqual(error._tag === "EventStoreError" && error.reason, "Corrupt")
        assert.match(error.message, /position 3/)
        assert.strictEqual((error as { cause?: { position?: number } }).cause?.position, 3)
        const subject = yield* Effect.flip(store.readSubject(tenant, "household-0", { after: 0, limit: 10 }))
        assert.match(subject.message, /position 3/)
        // Unaltered events still read.
        assert.strictEqual((yield* store.readAll(tenant, { after: 0, limit: 2 })).length, 2)
      })
    )

    it.effect("a bundle of the log verifies, and an edited one does not", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { tenant, publicKey, context } = yield* anchored
          const anchors = yield* listAnchors(tenant).pipe(Effect.provideContext(context))
          const text = yield* Stream.mkString(Bundle.make(tenant, { scope: "log", anchors, publicKey, pageSize: 4 }))
          const verified = yield* Bundle.verify(text, publicKey)
          assert.deepStrictEqual([verified.events, verified.anchors], [6, 1])
          const subject = yield* Stream.mkString(
            Bundle.make(tenant, { scope: "subject", subject: "household-1", anchors, publicKey })
          )
          assert.strictEqual((yield* Bundle.verify(subject, publicKey)).events, 2)
          const edited = text.replace("家访 4", "家访 5")
          assert.notStrictEqual(edited, text)
          assert.strictEqual((yield* Effect.flip(Bundle.verify(edited, publicKey)))._tag, "BundleRejected")
          const otherKey = yield* Effect.flip(Bundle.verify(text, keys().publicKey))
          assert.strictEqual(otherKey._tag, "AnchorRefused")
        })
      )
    )
  })
}
