import { assert, describe } from "@effect/vitest"
import { ExpectedVersion, HashChain, Scalars, StreamNotFound } from "@shuangbai/eventsourcing"
import { Effect, Result, Schema } from "effect"
import {
  actor,
  append,
  event,
  events,
  freshId,
  freshTenant,
  head,
  type It,
  ids,
  type Options,
  occurredAt,
  positions,
  range,
  readAll,
  request,
  store,
  stream,
  test,
  versions
} from "./fixtures.ts"

const isInstant = Schema.is(Scalars.Instant)

export const logTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("positions, versions and envelopes", () => {
    effect("positions are gapless per tenant from 1 and versions per stream from 1, in append order", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("positions")
        const [a, b, c] = [stream(), stream(), stream()]
        const plan = [
          [a, 2],
          [b, 1],
          [a, 3],
          [c, 1],
          [b, 2],
          [a, 1]
        ] as const
        const results = []
        for (const [s, count] of plan)
          results.push(yield* append(request(tenant, s, ExpectedVersion.any, events(count))))
        const all = yield* readAll(tenant)
        assert.deepStrictEqual(positions(all), range(1, 10))
        assert.deepStrictEqual(
          all,
          results.flatMap((r) => r.events),
          "readAll is exactly what the appends returned"
        )
        for (const s of [a, b, c]) {
          const own = all.filter((e) => e.stream.id === s.id)
          assert.deepStrictEqual(versions(own), range(1, own.length), `versions of ${s.id}`)
        }
        for (const r of results) assert.strictEqual(r.version, r.events[r.events.length - 1]!.version)
      })
    )

    effect("a stored envelope keeps everything the writer gave it, and the store's time", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("envelope")
        const s = stream()
        const data = { text: "入户走访 visit — é", nested: { list: [1, 2.5, -3], flag: true, none: null } }
        const given = event(data, { type: "VisitConducted", schemaVersion: 3, subjects: ["household-1", "person-2"] })
        const req = request(tenant, s, ExpectedVersion.noStream, [given])
        const [stored] = (yield* append(req)).events
        assert.deepStrictEqual(
          { ...stored!, recordedAt: "(store time)", prevHash: "(chain)", hash: "(chain)" },
          {
            eventId: given.eventId,
            tenant,
            stream: s,
            version: 1,
            position: 1,
            type: "VisitConducted",
            schemaVersion: 3,
            data,
            occurredAt,
            recordedAt: "(store time)",
            actor,
            commandId: req.context.commandId,
            correlationId: req.context.correlationId,
            causationId: req.context.causationId,
            subjects: ["household-1", "person-2"],
            prevHash: "(chain)",
            hash: "(chain)"
          }
        )
        assert.isTrue(isInstant(stored!.recordedAt), `recordedAt ${stored!.recordedAt} is an ISO instant`)
        assert.deepStrictEqual(yield* (yield* store).readStream(tenant, s), [stored!], "read back as appended")
      })
    )

    effect("tenants are isolated: positions, streams, commands, subjects and chains", () =>
      Effect.gen(function* () {
        const s = yield* store
        const [one, two] = [freshTenant("iso-a"), freshTenant("iso-b")]
        const shared = stream()
        const commandId = freshId("cmd")
        yield* append(request(one, shared, ExpectedVersion.noStream, events(3, "one"), commandId))
        const other = yield* append(
          request(two, shared, ExpectedVersion.noStream, [event({ two: true }, { subjects: ["h"] })], commandId)
        )
        assert.isFalse(other.duplicate, "the same commandId in another tenant is another command")
        assert.deepStrictEqual(positions(other.events), [1])
        assert.deepStrictEqual(versions(yield* s.readStream(one, shared)), [1, 2, 3])
        assert.deepStrictEqual(yield* s.readStream(two, shared), other.events)
        assert.deepStrictEqual(yield* s.readCommand(two, commandId), other.events)
        assert.deepStrictEqual(yield* s.readSubject(one, "h", { after: 0, limit: 10 }), [])
        assert.strictEqual((yield* head(one)).position, 3)
        assert.strictEqual((yield* head(two)).position, 1)
        assert.strictEqual(other.events[0]!.prevHash, HashChain.genesis, "each tenant's chain starts at genesis")
        assert.isUndefined(HashChain.verify(yield* readAll(one)))
      })
    )
  })

  describe("readStream", () => {
    effect("reads from a version, and fails with StreamNotFound for a stream with no events", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("read")
        const on = stream()
        yield* append(request(tenant, on, ExpectedVersion.noStream, events(5)))
        assert.deepStrictEqual(versions(yield* s.readStream(tenant, on, { fromVersion: 3 })), [3, 4, 5])
        assert.deepStrictEqual(versions(yield* s.readStream(tenant, on, { fromVersion: 1 })), [1, 2, 3, 4, 5])
        assert.deepStrictEqual(yield* s.readStream(tenant, on, { fromVersion: 6 }), [])
        const missing = stream()
        const error = yield* Effect.flip(s.readStream(tenant, missing))
        assert.instanceOf(error, StreamNotFound)
        assert.deepStrictEqual([(error as StreamNotFound).tenant, (error as StreamNotFound).stream], [tenant, missing])
        assert.instanceOf(yield* Effect.flip(s.readStream(freshTenant("nobody"), on)), StreamNotFound)
      })
    )

    effect("asOfPosition reads the stream as it stood when the tenant's log ended there", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("asof-pos")
        const [a, b] = [stream(), stream()]
        // a: positions 2, 3, 5; b: positions 1, 4
        for (const on of [b, a, a, b, a]) yield* append(request(tenant, on, ExpectedVersion.any, events(1)))
        assert.deepStrictEqual(positions(yield* s.readStream(tenant, a, { asOfPosition: 3 })), [2, 3])
        assert.deepStrictEqual(positions(yield* s.readStream(tenant, a, { asOfPosition: 4 })), [2, 3])
        assert.deepStrictEqual(positions(yield* s.readStream(tenant, a, { asOfPosition: 99 })), [2, 3, 5])
        assert.deepStrictEqual(positions(yield* s.readStream(tenant, b, { asOfPosition: 1 })), [1])
        assert.deepStrictEqual(positions(yield* s.readStream(tenant, a, { asOfPosition: 5, fromVersion: 2 })), [3, 5])
        assert.instanceOf(yield* Effect.flip(s.readStream(tenant, a, { asOfPosition: 1 })), StreamNotFound)
        assert.instanceOf(yield* Effect.flip(s.readStream(tenant, b, { asOfPosition: 0 })), StreamNotFound)
      })
    )

    effect("asOfTime reads the stream as it stood at a store time", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("asof-time")
        const on = stream()
        for (let i = 0; i < 3; i++) {
          yield* append(request(tenant, on, ExpectedVersion.any, events(1)))
          // Let the store's clock move on, so the three appends are likely recorded at different times.
          yield* Effect.sleep("15 millis")
        }
        const all = yield* s.readStream(tenant, on)
        for (const at of all.map((e) => e.recordedAt)) {
          const expected = all.filter((e) => e.recordedAt <= at)
          assert.deepStrictEqual(yield* s.readStream(tenant, on, { asOfTime: at }), expected, `as of ${at}`)
        }
        const before = new Date(Date.parse(all[0]!.recordedAt) - 1).toISOString()
        assert.instanceOf(yield* Effect.flip(s.readStream(tenant, on, { asOfTime: before })), StreamNotFound)
        assert.deepStrictEqual(yield* s.readStream(tenant, on, { asOfTime: "9999-12-31T23:59:59.999Z" }), all)
      })
    )
  })

  describe("readAll, readSubject, head and the hash chain", () => {
    effect("readAll pages through exactly the log, for every page size", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("paging")
        // Batches of 1, 2, 3, 1, 2: pages cut across appends.
        for (let i = 0; i < 5; i++) yield* append(request(tenant, stream(), ExpectedVersion.any, events(1 + (i % 3))))
        const all = yield* readAll(tenant)
        assert.deepStrictEqual(positions(all), range(1, 9))
        for (const limit of [1, 2, 3, 4, 8, 9, 10]) {
          const pages = []
          let after = 0
          for (;;) {
            const page = yield* readAll(tenant, after, limit)
            assert.isAtMost(page.length, limit)
            if (page.length === 0) break
            pages.push(...page)
            after = page[page.length - 1]!.position
          }
          assert.deepStrictEqual(pages, all, `pages of ${limit}`)
        }
        assert.deepStrictEqual(positions(yield* readAll(tenant, 4, 3)), [5, 6, 7])
        assert.deepStrictEqual(yield* readAll(tenant, 9, 5), [])
        assert.deepStrictEqual(yield* readAll(tenant, 0, 0), [])
        assert.deepStrictEqual(yield* readAll(freshTenant("empty"), 0, 5), [])
      })
    )

    effect("readAll of some types passes the others over, a page at a time, and stops at `through`", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("types")
        // Positions 1…12, types A B C A B C …
        const typeAt = (position: number) => ["A", "B", "C"][(position - 1) % 3]!
        for (let i = 0; i < 4; i++)
          yield* append(
            request(
              tenant,
              stream(),
              ExpectedVersion.any,
              [1, 2, 3].map((k) => event({ k }, { type: typeAt(3 * i + k) }))
            )
          )
        const all = yield* readAll(tenant)
        const of = (types: ReadonlyArray<string>) => all.filter((e) => types.includes(e.type))
        assert.deepStrictEqual(yield* s.readAll(tenant, { after: 0, limit: 100, types: ["A", "C"] }), of(["A", "C"]))
        assert.deepStrictEqual(positions(yield* s.readAll(tenant, { after: 1, limit: 2, types: ["A"] })), [4, 7])
        assert.deepStrictEqual(
          positions(yield* s.readAll(tenant, { after: 0, limit: 100, types: ["B"], through: 8 })),
          [2, 5, 8]
        )
        assert.deepStrictEqual(positions(yield* s.readAll(tenant, { after: 0, limit: 100, through: 3 })), [1, 2, 3])
        assert.deepStrictEqual(yield* s.readAll(tenant, { after: 0, limit: 100, types: ["Z"] }), [])
        assert.deepStrictEqual(yield* s.readAll(tenant, { after: 0, limit: 100, types: [] }), [])
        // Paged by the limit, a filtered read gives the same events as one read.
        const pages = []
        let after = 0
        for (;;) {
          const page = yield* s.readAll(tenant, { after, limit: 2, types: ["C"] })
          if (page.length === 0) break
          pages.push(...page)
          after = page[page.length - 1]!.position
        }
        assert.deepStrictEqual(pages, of(["C"]))
      })
    )

    effect("readSubject returns every event naming the subject, in position order, a page at a time", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("subject")
        const [h1, h2] = [freshId("household"), freshId("person")]
        const plan = [[h1], [h2], [], [h1, h2], [h2], [h1]]
        for (const subjects of plan)
          yield* append(request(tenant, stream(), ExpectedVersion.any, [event({ subjects }, { subjects })]))
        assert.deepStrictEqual(positions(yield* s.readSubject(tenant, h1, { after: 0, limit: 100 })), [1, 4, 6])
        assert.deepStrictEqual(positions(yield* s.readSubject(tenant, h2, { after: 0, limit: 100 })), [2, 4, 5])
        assert.deepStrictEqual(positions(yield* s.readSubject(tenant, h2, { after: 2, limit: 1 })), [4])
        assert.deepStrictEqual(positions(yield* s.readSubject(tenant, h1, { after: 4, limit: 100 })), [6])
        assert.deepStrictEqual(yield* s.readSubject(tenant, freshId("nobody"), { after: 0, limit: 100 }), [])
      })
    )

    effect("head is the last position and hash, and the chain links every event to the one before", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("chain")
        assert.deepStrictEqual(yield* head(tenant), { position: 0, hash: HashChain.genesis })
        for (let i = 0; i < 4; i++) yield* append(request(tenant, stream(), ExpectedVersion.any, events(1 + (i % 2))))
        const all = yield* readAll(tenant)
        const last = all[all.length - 1]!
        assert.deepStrictEqual(yield* head(tenant), { position: last.position, hash: last.hash })
        assert.strictEqual(all[0]!.prevHash, HashChain.genesis)
        for (const [i, e] of all.entries())
          if (i > 0) assert.strictEqual(e.prevHash, all[i - 1]!.hash, `prevHash of position ${e.position}`)
        assert.isUndefined(HashChain.verify(all))
        const from = all[2]!
        assert.isUndefined(HashChain.verify(all.slice(3), { position: from.position, hash: from.hash }))
        assert.deepStrictEqual(ids(all), [...new Set(ids(all))], "every event id once")
      })
    )

    effect("head and the log are unchanged when the store refuses or repeats an append", () =>
      Effect.gen(function* () {
        const tenant = freshTenant("head")
        const req = request(tenant, stream(), ExpectedVersion.noStream, events(2))
        yield* append(req)
        const before = yield* head(tenant)
        assert.isTrue((yield* append(req)).duplicate)
        const stale = yield* Effect.result(append(request(tenant, req.stream, ExpectedVersion.noStream, events(1))))
        assert.isTrue(Result.isFailure(stale), "NoStream on an existing stream is refused")
        assert.deepStrictEqual(yield* head(tenant), before)
      })
    )
  })
}
