import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import * as CommandHandler from "./CommandHandler.ts"
import * as Decider from "./Decider.ts"
import * as EventCodec from "./EventCodec.ts"
import * as EventStore from "./EventStore.ts"
import * as IdGenerator from "./IdGenerator.ts"
import * as StateCache from "./StateCache.ts"
import * as StreamId from "./StreamId.ts"

// What the kept states cost and when they are dropped. That a caching handler decides as one that folds
// every stream, whoever else writes, is the testing package's StateCacheSuite, run on every store.

class Noted extends Schema.TaggedClass<Noted>()("Noted", { text: Schema.String, after: Schema.Int }) {}
class Note extends Schema.TaggedClass<Note>()("Note", { on: Schema.String, text: Schema.String }) {}

/** The state is every text noted, in order: a missed or foreign event changes what the next event says. */
const decider = Decider.make<Note, Noted, ReadonlyArray<string>>({
  initialState: [],
  evolve: (texts, e) => [...texts, e.text],
  decide: (c, texts) => Result.succeed([new Noted({ text: c.text, after: texts.length })])
})
const handle = CommandHandler.make({
  command: Note,
  decider,
  codec: EventCodec.make({ Noted }),
  stream: (c: Note) => StreamId.make("note", c.on),
  subjects: () => []
})
const actor = { id: "w1", role: "worker" }
const note = (on: string, text: string, commandId: string) =>
  handle("t1", { _tag: "Note", on, text }, { actor, commandId })

/**
 * One store service over a store that can be replaced (a database restored from another backup under a
 * running process), recording the `fromVersion` of every stream read.
 */
const swappable = Effect.gen(function* () {
  const box = { current: yield* EventStore.makeMemory(), reads: [] as Array<string> }
  const service: EventStore.EventStoreShape = {
    append: (request) => Effect.suspend(() => box.current.append(request)),
    readStream: (tenant, stream, options) =>
      Effect.suspend(() => {
        box.reads.push(`${stream.id}@${options?.fromVersion ?? 1}`)
        return box.current.readStream(tenant, stream, options)
      }),
    readAll: (tenant, options) => Effect.suspend(() => box.current.readAll(tenant, options)),
    readSubject: (tenant, subject, options) => Effect.suspend(() => box.current.readSubject(tenant, subject, options)),
    readCommand: (tenant, commandId) => Effect.suspend(() => box.current.readCommand(tenant, commandId)),
    head: (tenant) => Effect.suspend(() => box.current.head(tenant)),
    subscribe: (tenant, options) => box.current.subscribe(tenant, options)
  }
  return { box, service }
})

const withStore = <A, E>(
  body: (box: {
    current: EventStore.EventStoreShape
    reads: Array<string>
  }) => Effect.Effect<A, E, EventStore.EventStore | IdGenerator.IdGenerator>
) =>
  Effect.gen(function* () {
    const { box, service } = yield* swappable
    return yield* body(box).pipe(
      Effect.provideService(EventStore.EventStore, service),
      Effect.provide(IdGenerator.layer)
    )
  })

describe("StateCache", () => {
  it.effect("a kept stream is read from the version it was kept at, not from its start", () =>
    withStore((box) =>
      Effect.gen(function* () {
        yield* note("a", "one", "c1")
        yield* note("a", "two", "c2")
        const third = yield* note("a", "three", "c3")
        assert.deepStrictEqual(box.reads, ["a@1", "a@1", "a@2"])
        assert.deepStrictEqual(third.state, ["one", "two", "three"])
      })
    )
  )

  it.effect("with StateCache.disabled every command reads its stream from the start", () =>
    withStore((box) =>
      Effect.gen(function* () {
        yield* note("a", "one", "c1")
        yield* note("a", "two", "c2")
        yield* note("a", "three", "c3")
        assert.deepStrictEqual(box.reads, ["a@1", "a@1", "a@1"])
      }).pipe(Effect.provideService(StateCache.Settings, StateCache.disabled))
    )
  )

  it.effect("beyond its capacity the least recently used stream is dropped and folded whole next time", () =>
    withStore((box) =>
      Effect.gen(function* () {
        yield* note("a", "a1", "c1")
        yield* note("b", "b1", "c2")
        yield* note("b", "b2", "c3")
        yield* note("a", "a2", "c4") // a is now the most recently used
        yield* note("c", "c1", "c5") // drops b
        box.reads.length = 0
        yield* note("a", "a3", "c6")
        yield* note("b", "b3", "c7")
        assert.deepStrictEqual(box.reads, ["a@2", "b@1"])
      }).pipe(Effect.provideService(StateCache.Settings, { capacity: 2 }))
    )
  )

  it.effect("a store whose stream was replaced under the same service: the kept state is dropped, not used", () =>
    withStore((box) =>
      Effect.gen(function* () {
        yield* note("a", "old-1", "c1")
        yield* note("a", "old-2", "c2")
        // Another log behind the same service: the stream has as many events and more, none of them the same.
        box.current = yield* EventStore.makeMemory()
        yield* note("a", "new-1", "d1").pipe(Effect.provideService(StateCache.Settings, StateCache.disabled))
        yield* note("a", "new-2", "d2").pipe(Effect.provideService(StateCache.Settings, StateCache.disabled))
        yield* note("a", "new-3", "d3").pipe(Effect.provideService(StateCache.Settings, StateCache.disabled))
        box.reads.length = 0
        const decided = yield* note("a", "new-4", "d4")
        assert.deepStrictEqual(decided.state, ["new-1", "new-2", "new-3", "new-4"])
        assert.deepStrictEqual(
          decided.events.map((e) => e.data),
          [{ text: "new-4", after: 3 }]
        )
        // The read from the kept version found another event there, so the stream was folded from its start.
        assert.deepStrictEqual(box.reads, ["a@2", "a@1"])
      })
    )
  )
})
