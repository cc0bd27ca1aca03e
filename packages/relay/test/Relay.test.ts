import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, it } from "@effect/vitest"
import { EventStore } from "@shuangbai/eventsourcing"
import { Checkpoints } from "@shuangbai/postgres"
import { Deferred, Effect, Exit, Fiber, Layer, Schedule } from "effect"
import * as JetStreamClient from "../src/JetStreamClient.ts"
import * as Relay from "../src/Relay.ts"
import * as Subjects from "../src/Subjects.ts"
import {
  appendEvents,
  brokerContents,
  deleteStreamAfter,
  describeBroker,
  natsLayer,
  natsUrl,
  pgUrl,
  privateBroker,
  storeLayer,
  unique
} from "./helpers.ts"

const schema = unique("sb_relay")
const layer = Layer.merge(storeLayer(schema), natsLayer)

/** A fresh tenant, stream and subject prefix per test: tests never see each other's messages. */
const fresh = (label: string) => {
  const id = unique(label)
  return { tenant: `county.${id}`, stream: `SB_${id}`, subjectPrefix: `sbtest_${id}` }
}

/** The broker holds each of the tenant's events once, in position order, under the tenant's subject. */
const assertExactlyOnce = (options: Relay.Options) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const log = yield* store.readAll(options.tenant, { after: 0, limit: 100_000 })
    const held = yield* brokerContents(options.stream!)
    assert.deepStrictEqual(
      held.map((m) => [m.position, m.msgId]),
      log.map((e) => [e.position, e.eventId])
    )
    for (const m of held) assert.strictEqual(m.subject, Subjects.forTenant(options.subjectPrefix!, options.tenant))
  })

const child = fileURLToPath(new URL("./fixtures/relayChild.ts", import.meta.url))

/** Runs a relay in a child process until it has published `stopAt`, then kills it with SIGKILL. */
const runChildUntil = (options: Relay.Options, stopAt: number, pageSize: number) =>
  Effect.callback<number, Error>((resume) => {
    const proc = spawn(process.execPath, ["--conditions=@shuangbai/source", child], {
      env: {
        ...process.env,
        TENANT: options.tenant,
        STREAM: options.stream!,
        PREFIX: options.subjectPrefix!,
        PAGE_SIZE: String(pageSize),
        STOP_AT: String(stopAt),
        SCHEMA: schema,
        PG_URL: pgUrl,
        NATS_URL: natsUrl
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    proc.stdout.on("data", (chunk) => {
      out += String(chunk)
      if (out.includes(`published ${stopAt}\n`)) proc.kill("SIGKILL")
    })
    proc.stderr.on("data", (chunk) => {
      err += String(chunk)
    })
    proc.on("exit", (code, signal) =>
      signal === "SIGKILL"
        ? resume(Effect.succeed(stopAt))
        : resume(Effect.fail(new Error(`relay child exited ${code} before publishing ${stopAt}: ${err}`)))
    )
    return Effect.sync(() => proc.kill("SIGKILL"))
  })

describeBroker("Relay against NATS JetStream", () => {
  it.layer(layer, { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("publishes the log in order, each event once, and checkpoints after the acks", () =>
      Effect.gen(function* () {
        const options = fresh("order")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 23)
        yield* appendEvents("another-county", 3)
        assert.strictEqual(yield* Relay.catchUp({ ...options, pageSize: 10 }), 23)
        yield* assertExactlyOnce(options)
        const checkpoints = yield* Checkpoints.Checkpoints
        assert.strictEqual(yield* checkpoints.load(options.tenant, `relay:${options.stream}`), 23)

        // Resumed: only what is new goes out.
        yield* appendEvents(options.tenant, 4)
        assert.strictEqual(yield* Relay.catchUp(options), 27)
        yield* assertExactlyOnce(options)
      }).pipe(Effect.scoped)
    )

    it.effect("the broker drops a repeat: the event id is the message id", () =>
      Effect.gen(function* () {
        const options = fresh("dup")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 2)
        yield* Relay.ensureStream(options)
        const [first] = yield* (yield* EventStore.EventStore).readAll(options.tenant, { after: 0, limit: 1 })
        const once = yield* Relay.publish(options, first!)
        const again = yield* Relay.publish(options, first!)
        assert.isFalse(once.duplicate)
        assert.isTrue(again.duplicate)
        assert.strictEqual(again.seq, once.seq)
        assert.strictEqual((yield* brokerContents(options.stream)).length, 1)
      }).pipe(Effect.scoped)
    )

    it.effect("a relay killed mid-page (SIGKILL after acks, before the checkpoint) and restarted", () =>
      Effect.gen(function* () {
        const options = fresh("kill")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 60)
        yield* runChildUntil(options, 37, 25)
        const checkpoints = yield* Checkpoints.Checkpoints
        // The kill landed between acks and the checkpoint: the broker is ahead of the database.
        assert.strictEqual(yield* checkpoints.load(options.tenant, `relay:${options.stream}`), 25)
        assert.strictEqual((yield* brokerContents(options.stream)).length, 37)

        const acks: Array<Relay.Ack> = []
        const restarted = yield* Relay.catchUp({
          ...options,
          pageSize: 25,
          onPublished: (_, ack) => Effect.sync(() => void acks.push(ack))
        })
        assert.strictEqual(restarted, 60)
        assert.strictEqual(acks.length, 60 - 37)
        yield* assertExactlyOnce(options)
      }).pipe(Effect.scoped)
    )

    it.effect("an interrupted relay keeps what was acknowledged; the restart repeats nothing", () =>
      Effect.gen(function* () {
        const options = fresh("stop")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 30)
        const reached = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          Relay.run({
            ...options,
            pageSize: 100,
            onPublished: (event) => (event.position === 12 ? Deferred.succeed(reached, undefined) : Effect.void)
          })
        )
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber)
        const exit = yield* Fiber.await(fiber)
        assert.isTrue(Exit.hasInterrupts(exit))
        const checkpoints = yield* Checkpoints.Checkpoints
        const saved = yield* checkpoints.load(options.tenant, `relay:${options.stream}`)
        assert.strictEqual(saved, (yield* brokerContents(options.stream)).length)
        assert.isAtLeast(saved, 12)

        yield* appendEvents(options.tenant, 5)
        assert.strictEqual(yield* Relay.catchUp(options), 35)
        yield* assertExactlyOnce(options)
      }).pipe(Effect.scoped)
    )

    it.effect("follows the log live: events appended while it runs go out in order", () =>
      Effect.gen(function* () {
        const options = fresh("live")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 5)
        const reached = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          Relay.run({
            ...options,
            onPublished: (event) => (event.position === 25 ? Deferred.succeed(reached, undefined) : Effect.void)
          })
        )
        yield* appendEvents(options.tenant, 20)
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber)
        yield* assertExactlyOnce(options)
      }).pipe(Effect.scoped)
    )

    it.effect("rides out a broker that is killed and restarted: retries, reconnects, repeats nothing", () =>
      Effect.gen(function* () {
        const broker = yield* privateBroker
        const options = { ...fresh("outage"), retry: Schedule.spaced("200 millis") }
        const client = JetStreamClient.layer({ servers: broker.url, reconnectTimeWait: 200 })
        yield* appendEvents(options.tenant, 10)
        const first = yield* Deferred.make<void>()
        const all = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          Relay.run({
            ...options,
            onPublished: (event) =>
              event.position === 10
                ? Deferred.succeed(first, undefined)
                : event.position === 30
                  ? Deferred.succeed(all, undefined)
                  : Effect.void
          }).pipe(Effect.provide(client))
        )
        yield* Deferred.await(first)
        yield* broker.kill
        yield* appendEvents(options.tenant, 20)
        yield* broker.start
        yield* Deferred.await(all)
        yield* Fiber.interrupt(fiber)
        yield* assertExactlyOnce(options).pipe(Effect.provide(client))
      }).pipe(Effect.scoped)
    )

    it.effect("refuses a stream filled from another log instead of skipping over it", () =>
      Effect.gen(function* () {
        const options = fresh("foreign")
        yield* deleteStreamAfter(options.stream)
        yield* appendEvents(options.tenant, 3)
        yield* Relay.ensureStream(options)
        // Position 2 on the broker, under an event id this store never wrote.
        const [, second] = yield* (yield* EventStore.EventStore).readAll(options.tenant, { after: 0, limit: 3 })
        yield* Relay.publish(options, { ...second!, eventId: "0190f0e0-0000-7000-8000-000000000000" })
        const refused = yield* Effect.flip(Relay.catchUp(options))
        assert.strictEqual(refused._tag, "RelayError")
        assert.include(refused.message, "filled from another log")
        assert.strictEqual((yield* brokerContents(options.stream)).length, 1)
      }).pipe(Effect.scoped)
    )

    it.effect("refuses a stream that does not take its subjects, and a bad prefix, by name", () =>
      Effect.gen(function* () {
        const options = fresh("cfg")
        yield* deleteStreamAfter(options.stream)
        const { manager } = yield* JetStreamClient.JetStreamClient
        yield* Effect.promise(() =>
          manager.streams.add({ name: options.stream, subjects: [`${options.subjectPrefix}_other.>`] })
        )
        const refused = yield* Effect.flip(Relay.ensureStream(options))
        assert.strictEqual(refused.reason, "Rejected")
        assert.include(refused.message, options.stream)
        const invalid = yield* Effect.flip(Relay.catchUp({ ...options, subjectPrefix: "bad.>" }))
        assert.strictEqual(invalid._tag, "RelayError")
        assert.include(invalid.message, "subject prefix")
      }).pipe(Effect.scoped)
    )
  })
})
