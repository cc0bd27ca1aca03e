import { assert, describe, it } from "@effect/vitest"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer } from "effect"
import { TestConsole } from "effect/testing"
import { makeMain } from "./main.ts"
import { layerFromEnv, layerProcessor, serviceName } from "./tracing.ts"

/** An in-memory exporter that keeps its spans when the program's tracer provider shuts it down at the end. */
class KeepingExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

describe("quickstart tracing", () => {
  it.live("every command and store call reaches the OpenTelemetry exporter as a span, with its attributes", () =>
    Effect.gen(function* () {
      const exporter = new KeepingExporter()
      yield* makeMain(layerProcessor(new SimpleSpanProcessor(exporter))).pipe(Effect.provide(TestConsole.layer))
      const spans = exporter.getFinishedSpans()
      const handles = spans.filter((s) => s.name === "CommandHandler.handle")
      // One span per command: the six the program sends, and the one hiring a worker sends to fill a post.
      assert.sameMembers(
        handles.map((s) => s.attributes.commandId),
        ["cmd-0001", "cmd-0002", "cmd-0003", "cmd-0004", "cmd-0004:fill-post", "cmd-0005", "cmd-0006"]
      )
      assert.deepInclude(handles[0]!.attributes, { tenant: "yangshan", commandId: "cmd-0001" })
      const appends = spans.filter((s) => s.name === "EventStore.append")
      assert.strictEqual(appends.length, handles.length, "one append per command")
      // Each append is a child of its command's span, in the same trace.
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]))
      for (const append of appends) {
        const parentId = append.parentSpanContext?.spanId
        let parent = parentId === undefined ? undefined : byId.get(parentId)
        while (parent !== undefined && parent.name !== "CommandHandler.handle") {
          const up = parent.parentSpanContext?.spanId
          parent = up === undefined ? undefined : byId.get(up)
        }
        assert.isDefined(parent, `append ${append.attributes.commandId} under a CommandHandler.handle span`)
        assert.strictEqual(parent!.attributes.commandId, append.attributes.commandId)
      }
      assert.isTrue(spans.some((s) => s.name === "EventStore.readAll" && s.attributes.tenant === "yangshan"))
      assert.strictEqual(spans[0]!.resource.attributes["service.name"], serviceName)
    })
  )

  it("installs no tracer unless the environment asks for one", () => {
    assert.strictEqual(layerFromEnv({}), Layer.empty)
    assert.notStrictEqual(layerFromEnv({ OTEL_TRACES_EXPORTER: "console" }), Layer.empty)
    assert.notStrictEqual(layerFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }), Layer.empty)
  })
})
