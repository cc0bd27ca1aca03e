import { layer } from "@effect/vitest"
import type { EventStore } from "@shuangbai/eventsourcing"
import { Duration, type Layer } from "effect"
import { expectedVersionTests, idempotencyTests, validationTests } from "./internal/suite/appendTests.ts"
import { concurrencyTests } from "./internal/suite/concurrencyTests.ts"
import type { Options } from "./internal/suite/fixtures.ts"
import { hostileTests } from "./internal/suite/hostileTests.ts"
import { propertyTests } from "./internal/suite/propertyTests.ts"
import { logTests } from "./internal/suite/readTests.ts"
import { spanTests } from "./internal/suite/spanTests.ts"
import { subscriptionTests } from "./internal/suite/subscriptionTests.ts"

export interface SuiteOptions {
  /** Runs of each property test (default 25). */
  readonly numRuns?: number
  /** How long one test may take before it fails as hung (default 30 seconds). */
  readonly timeout?: Duration.Input
}

/**
 * The conformance tests every EventStore must pass, registered with vitest: a store's test file is one
 * line, `EventStoreSuite.suite("pglite", PgEventStore.layerPglite())`. The layer is built once and serves every
 * test; each test works in tenants of its own. Tests run with the live clock (concurrency and
 * subscriptions are real), and each fails instead of hanging when a store never answers.
 */
export const suite = (
  name: string,
  storeLayer: Layer.Layer<EventStore.EventStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const resolved: Options = {
    numRuns: options.numRuns ?? 25,
    timeout: Duration.fromInputUnsafe(options.timeout ?? "30 seconds")
  }
  layer(storeLayer, { excludeTestServices: true, timeout: "2 minutes" })(`EventStore conformance: ${name}`, (it) => {
    expectedVersionTests(it, resolved)
    validationTests(it, resolved)
    hostileTests(it, resolved)
    idempotencyTests(it, resolved)
    logTests(it, resolved)
    concurrencyTests(it, resolved)
    subscriptionTests(it, resolved)
    propertyTests(it, resolved)
    spanTests(it, resolved)
  })
}
