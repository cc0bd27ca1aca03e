import { assert, describe } from "@effect/vitest"
import { ExpectedVersion, StreamId } from "@shuangbai/eventsourcing"
import { Effect, Stream, Tracer } from "effect"
import { events, freshId, freshTenant, type It, type Options, request, store, stream, test } from "./fixtures.ts"

/** Runs `effect` with a tracer that keeps every span it starts. */
const recording = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const spans: Array<Tracer.Span> = []
    const tracer = Tracer.make({
      span: (options) => {
        const span = Tracer.nativeTracer.span(options)
        spans.push(span)
        return span
      }
    })
    const value = yield* Effect.withTracer(effect, tracer)
    return { value, spans }
  })

const attributesOf = (spans: ReadonlyArray<Tracer.Span>, name: string) => {
  const named = spans.filter((s) => s.name === name)
  assert.strictEqual(named.length, 1, `one ${name} span`)
  return Object.fromEntries(named[0]!.attributes)
}

export const spanTests = (it: It, options: Options) => {
  const effect = test(it, options)

  describe("traces", () => {
    effect("append, every read and a subscription each carry a span with the tenant and what the call is about", () =>
      Effect.gen(function* () {
        const s = yield* store
        const tenant = freshTenant("spans")
        const on = stream()
        const commandId = freshId("cmd")
        const { spans } = yield* recording(
          Effect.gen(function* () {
            yield* s.append(request(tenant, on, ExpectedVersion.noStream, events(2), commandId))
            yield* s.readStream(tenant, on)
            yield* s.readAll(tenant, { after: 0, limit: 10 })
            yield* s.readSubject(tenant, "hh-none", { after: 0, limit: 10 })
            yield* s.readCommand(tenant, commandId)
            yield* s.head(tenant)
            yield* Stream.runCollect(Stream.take(s.subscribe(tenant, { after: 0 }), 2))
          })
        )
        const name = StreamId.format(on)
        assert.deepStrictEqual(attributesOf(spans, "EventStore.append"), {
          tenant,
          stream: name,
          commandId,
          events: 2
        })
        assert.deepStrictEqual(attributesOf(spans, "EventStore.readStream"), { tenant, stream: name })
        assert.deepInclude(attributesOf(spans, "EventStore.readAll"), { tenant, after: 0 })
        assert.deepInclude(attributesOf(spans, "EventStore.readSubject"), { tenant, subject: "hh-none" })
        assert.deepStrictEqual(attributesOf(spans, "EventStore.readCommand"), { tenant, commandId })
        assert.deepStrictEqual(attributesOf(spans, "EventStore.head"), { tenant })
        assert.deepStrictEqual(attributesOf(spans, "EventStore.subscribe"), { tenant, after: 0 })
        // Every span ended: none is left open by a finished call or a subscription that was taken from and closed.
        for (const span of spans) assert.strictEqual(span.status._tag, "Ended", `${span.name} ended`)
      })
    )
  })
}
