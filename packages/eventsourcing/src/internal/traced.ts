import { Effect, Stream } from "effect"
import type { EventStoreShape } from "../EventStore.ts"
import * as StreamId from "../StreamId.ts"

// No stack trace per span: a single append must not pay for one (docs/benchmarks.md).
const options = (attributes: Record<string, unknown>) => ({ attributes, captureStackTrace: false })

/**
 * Every call of the store in a span named `EventStore.<method>`, with the tenant and what the call is
 * about (stream, command id, subject, cursor). Without a tracer installed a span costs a few allocations.
 */
export const traced = (store: EventStoreShape): EventStoreShape => ({
  append: (request) =>
    Effect.withSpan(
      store.append(request),
      "EventStore.append",
      options({
        tenant: request.tenant,
        stream: StreamId.format(request.stream),
        commandId: request.context.commandId,
        events: request.events.length
      })
    ),
  readStream: (tenant, stream, readOptions) =>
    Effect.withSpan(
      store.readStream(tenant, stream, readOptions),
      "EventStore.readStream",
      options({ tenant, stream: StreamId.format(stream) })
    ),
  readAll: (tenant, page) =>
    Effect.withSpan(
      store.readAll(tenant, page),
      "EventStore.readAll",
      options({ tenant, after: page.after, limit: page.limit })
    ),
  readSubject: (tenant, subject, page) =>
    Effect.withSpan(
      store.readSubject(tenant, subject, page),
      "EventStore.readSubject",
      options({ tenant, subject, after: page.after, limit: page.limit })
    ),
  readCommand: (tenant, commandId) =>
    Effect.withSpan(store.readCommand(tenant, commandId), "EventStore.readCommand", options({ tenant, commandId })),
  head: (tenant) => Effect.withSpan(store.head(tenant), "EventStore.head", options({ tenant })),
  subscribe: (tenant, from) =>
    Stream.withSpan(store.subscribe(tenant, from), "EventStore.subscribe", options({ tenant, after: from.after }))
})
