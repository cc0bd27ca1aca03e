import { assert, describe, it } from "@effect/vitest"
import {
  Erasure,
  EventCodec,
  EventStore,
  IdGenerator,
  InvalidCommand,
  type Rule,
  UnknownEventType
} from "@shuangbai/eventsourcing"
import { SchemaLaws } from "@shuangbai/testing"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as Activities from "./activities/index.ts"
import * as Casework from "./casework/index.ts"
import * as Domain from "./Domain.ts"
import * as Recruitment from "./recruitment/index.ts"
import * as Registry from "./registry/index.ts"
import * as Relief from "./relief/index.ts"
import * as Shared from "./shared/index.ts"
import * as Stations from "./stations/index.ts"
import * as Training from "./training/index.ts"
import * as Visits from "./visits/index.ts"
import * as Workforce from "./workforce/index.ts"

// Every event class of every context, by context name: the unions each context exports.
const eventClasses: Record<string, ReadonlyArray<Schema.Top & { readonly identifier: string }>> = {
  registry: Registry.Events.Event.members,
  visits: Visits.Events.Event.members,
  stations: Stations.Events.Event.members,
  workforce: Workforce.Events.Event.members,
  recruitment: Recruitment.Events.Event.members,
  casework: Casework.Events.Event.members,
  activities: Activities.Events.Event.members,
  relief: Relief.Events.Event.members,
  training: Training.Events.Event.members
}

describe("Domain.contexts", () => {
  it("lists the nine contexts, each with its events, commands, labels and rules", () => {
    assert.deepStrictEqual(
      Domain.contexts.map((c) => c.name),
      ["registry", "visits", "stations", "workforce", "recruitment", "casework", "activities", "relief", "training"]
    )
    for (const context of Domain.contexts) {
      assert.deepStrictEqual(
        [...context.events].sort(),
        eventClasses[context.name]!.map((c) => c.identifier).sort(),
        context.name
      )
      for (const type of context.events) {
        assert.isTrue(context.eventLabels[type] !== undefined, `${context.name}: label of event ${type}`)
        assert.strictEqual(Domain.contextOfEvent.get(type)?.name, context.name)
      }
      assert.isAbove(context.commands.length, 0, context.name)
      for (const tag of context.commands) {
        assert.isTrue(context.commandLabels[tag] !== undefined, `${context.name}: label of command ${tag}`)
        assert.strictEqual(Domain.contextOfCommand(tag)?.name, context.name)
      }
      assert.isAbove(context.rules.length, 0, context.name)
      assert.isTrue(context.title["zh-CN"].length > 0 && context.title.en.length > 0)
    }
  })

  it("routes the county settings and every workforce command a host sends", () => {
    assert.strictEqual(Domain.contextOfCommand("ConfigureCounty")?.name, "stations")
    for (const tag of ["AllotPosts", "HireWorker", "TransferWorker", "EndEmployment"]) {
      assert.strictEqual(Domain.contextOfCommand(tag)?.name, "workforce", tag)
    }
    assert.strictEqual(Domain.contextOfCommand("FillPost"), undefined)
  })
})

// A host app branches on a RuleViolation's `code` and reads its `fields` by it, so a code names one rule, with
// one payload. The rules are collected from every context's `rules` and from `shared/`, by identity (a rule
// exported twice is still one rule); DomainDocs.test.ts checks these are all the `Rule.define`s in the sources.
describe("Domain rule codes", () => {
  const isRule = (value: unknown): value is Rule.Rule<never> =>
    typeof value === "function" && typeof (value as { code?: unknown }).code === "string"

  it("each code names exactly one rule across every context and shared/", () => {
    const byCode = new Map<string, Map<unknown, string>>()
    const modules: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]> = [
      ...Domain.contexts.map((c) => [c.name, c.rules] as const),
      ["shared", Object.values(Shared)]
    ]
    for (const [owner, values] of modules) {
      for (const value of values.filter(isRule)) {
        const rules = byCode.get(value.code) ?? new Map<unknown, string>()
        byCode.set(value.code, rules.set(value, rules.get(value) ?? owner))
      }
    }
    assert.isAbove(byCode.size, 50, "the rules were found")
    assert.deepStrictEqual(
      [...byCode].filter(([, rules]) => rules.size > 1).map(([code, rules]) => `${code}: ${[...rules.values()]}`),
      []
    )
  })
})

describe("Domain.codec", () => {
  it("owns every event type of every context, each once", () => {
    // …and the kernel's erasure event, which the tenant's own log holds (Erasure.SubjectErased).
    SchemaLaws.codecCovers(Domain.codec, ...Object.values(eventClasses).map((members) => ({ members })), {
      members: [Erasure.SubjectErased]
    })
  })

  for (const [name, classes] of Object.entries(eventClasses)) {
    for (const eventClass of classes) {
      it(`round-trips ${name}/${eventClass.identifier}`, () =>
        SchemaLaws.codecRoundTrip(Domain.codec, eventClass, { numRuns: 25 }))
    }
  }

  it("fails with UnknownEventType naming a type no context owns", () => {
    const event = new Activities.Events.ActivityCancelled({
      activity: Schema.decodeSync(Activities.Events.ActivityCancelled.fields.activity)("a1"),
      reason: "雨"
    })
    const decoded = Domain.codec.decode({
      ...SchemaLaws.stored(Domain.codec, event, { position: 7 }),
      type: "ActivityPostponed"
    })
    assert.isTrue(Result.isFailure(decoded))
    const failure = (decoded as Result.Failure<never, unknown>).failure
    assert.instanceOf(failure, UnknownEventType)
    assert.strictEqual((failure as UnknownEventType).type, "ActivityPostponed")
    assert.strictEqual((failure as UnknownEventType).position, 7)
  })

  it("combine refuses two codecs that own the same type", () => {
    assert.throws(() => EventCodec.combine(Visits.codec, Activities.codec, Visits.codec), /VisitScheduled/)
  })
})

// ---- dispatch ------------------------------------------------------------------------------------------

const tenant = "yangshan"
const actor = { id: "bureau-1", role: "bureau" }
const TestLayer = Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic())

const person = { person: "p-1", name: "陈伯", birthDate: "1942-05-05" }

/** One command per context (and the county, quota and worker routes), in an order the rules accept. */
const commands: ReadonlyArray<{
  readonly context: string
  readonly streams: ReadonlyArray<string>
  readonly command: Record<string, unknown>
}> = [
  {
    context: "stations",
    streams: ["county"],
    command: {
      _tag: "ConfigureCounty",
      name: "阳山县",
      townships: [{ township: "huangpen", name: "黄盆镇" }]
    }
  },
  {
    context: "stations",
    streams: ["station"],
    command: {
      _tag: "EstablishStation",
      township: "huangpen",
      station: "s-huangpen",
      name: "黄盆镇社工站",
      establishedOn: "2024-01-02"
    }
  },
  {
    context: "workforce",
    streams: ["post-quota"],
    command: { _tag: "AllotPosts", station: "s-huangpen", posts: 2, allottedOn: "2024-01-02" }
  },
  {
    context: "workforce",
    streams: ["worker"],
    command: { _tag: "HireWorker", worker: "w-1", name: "李社工", station: "s-huangpen", hiredOn: "2024-01-03" }
  },
  {
    context: "registry",
    streams: ["household"],
    command: {
      _tag: "RegisterHousehold",
      household: "h-1",
      station: "s-huangpen",
      township: "huangpen",
      village: "v-1",
      address: "黄盆镇某村 3 号",
      head: person,
      registeredOn: "2024-02-01"
    }
  },
  {
    context: "visits",
    streams: ["visit"],
    command: {
      _tag: "RecordVisit",
      visit: "visit-1",
      household: "h-1",
      station: "s-huangpen",
      worker: "w-1",
      visitedOn: "2024-02-02",
      personsSeen: ["p-1"],
      modality: "HomeVisit",
      findings: "独居",
      needs: [],
      itemsGiven: []
    }
  },
  {
    context: "recruitment",
    streams: ["recruitment-drive"],
    command: {
      _tag: "OpenDrive",
      drive: "d-1",
      title: "2024 招聘",
      vacancies: 1,
      stations: ["s-huangpen"],
      opensOn: "2024-03-01",
      closesOn: "2024-03-31"
    }
  },
  {
    context: "casework",
    streams: ["case"],
    command: {
      _tag: "OpenCase",
      person: "p-1",
      household: "h-1",
      station: "s-huangpen",
      worker: "w-1",
      caseType: "ElderlyCare",
      riskLevel: "Medium",
      openedOn: "2024-02-03"
    }
  },
  {
    context: "activities",
    streams: ["activity"],
    command: {
      _tag: "PlanActivity",
      activity: "a-1",
      station: "s-huangpen",
      theme: "Reading",
      title: "读书会",
      plannedOn: "2024-02-04"
    }
  },
  {
    context: "relief",
    streams: ["campaign"],
    command: {
      _tag: "LaunchCampaign",
      campaign: "cold-2024",
      kind: "ColdSnap",
      title: "寒冬送温暖",
      scope: { _tag: "CountyWide" },
      launchedOn: "2024-01-20"
    }
  },
  {
    context: "training",
    streams: ["publicity"],
    command: {
      _tag: "RecordPrintRun",
      printRun: "print-1",
      kind: "Brochure",
      title: "社工站宣传手册",
      quantity: 10_000,
      printedOn: "2024-07-10",
      scope: { _tag: "CountyWide" }
    }
  }
]

describe("Domain.handle", () => {
  it.effect("reaches every context, writing to its streams", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2024-08-04T10:00:00+08:00"))
      const reached = new Set<string>()
      for (const [i, { context, streams, command }] of commands.entries()) {
        const handled = yield* Domain.handleUnknown(tenant, command, { actor, commandId: `c-${i}` })
        assert.isAbove(handled.events.length, 0, String(command._tag))
        const categories = new Set(handled.events.map((e) => e.stream.category))
        for (const stream of streams) assert.isTrue(categories.has(stream), `${command._tag} writes ${stream}`)
        const owner = Domain.contexts.find((c) => c.name === context)!
        for (const category of categories) assert.include(owner.streams, category)
        reached.add(context)
      }
      assert.deepStrictEqual([...reached].sort(), Domain.contexts.map((c) => c.name).sort())

      // Everything written decodes with the one codec.
      const store = yield* EventStore.EventStore
      const log = yield* store.readAll(tenant, { after: 0, limit: 1_000 })
      for (const event of log) assert.isTrue(Result.isSuccess(Domain.codec.decode(event)), event.type)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("fails with InvalidCommand naming an unknown tag, and writes nothing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const error = yield* Effect.flip(
        Domain.handleUnknown(tenant, { _tag: "PaintStation", colour: "blue" }, { actor, commandId: "c-x" })
      )
      assert.instanceOf(error, InvalidCommand)
      assert.strictEqual((error as InvalidCommand).command, "PaintStation")
      assert.match((error as InvalidCommand).issues[0]!.message, /PaintStation/)
      const missing = yield* Effect.flip(Domain.handleUnknown(tenant, { colour: "blue" }, { actor, commandId: "c-y" }))
      assert.instanceOf(missing, InvalidCommand)
      const step = yield* Effect.flip(
        Domain.handleUnknown(
          tenant,
          { _tag: "FillPost", station: "s", worker: "w", filledOn: "2024-01-01" },
          { actor, commandId: "c-z" }
        )
      )
      assert.instanceOf(step, InvalidCommand)
      assert.match((step as InvalidCommand).issues[0]!.message, /HireWorker/)
      assert.strictEqual((yield* store.head(tenant)).position, 0)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("passes the context's own validation errors through", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Domain.handleUnknown(tenant, { _tag: "RecordVisit", visit: "v" }, { actor, commandId: "c-bad" })
      )
      assert.instanceOf(error, InvalidCommand)
      assert.isTrue((error as InvalidCommand).issues.some((i) => i.path === "household"))
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("takes typed commands: a misspelt tag or field does not compile; handleUnknown checks at run time", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      // Never run: tsc -b checks that each of these is a compile error (an unused @ts-expect-error fails too).
      const typos = [
        // @ts-expect-error: "RecordVsit" is no command of the domain
        () => Domain.handle(tenant, { _tag: "RecordVsit", visit: "v-1" }, { actor, commandId: "c-typo" }),
        // @ts-expect-error: VoidVisit has no field "vist"
        () => Domain.handle(tenant, { _tag: "VoidVisit", vist: "v-1", reason: "重复" }, { actor, commandId: "c-f" }),
        () =>
          Visits.handle(
            tenant,
            {
              _tag: "ScheduleVisit",
              visit: "v",
              household: "h",
              // @ts-expect-error: a visit's persons are a non-empty list
              persons: [],
              worker: "w",
              station: "s",
              dueOn: "2025-01-01"
            },
            { actor, commandId: "c-p" }
          )
      ]
      assert.strictEqual(typos.length, 3)
      // The same typo from a request body: refused at run time, naming the tag, and nothing is written.
      const error = yield* Effect.flip(
        Domain.handleUnknown(tenant, { _tag: "RecordVsit", visit: "v-1" }, { actor, commandId: "c-typo" })
      )
      assert.instanceOf(error, InvalidCommand)
      assert.strictEqual((error as InvalidCommand).command, "RecordVsit")
      assert.strictEqual((yield* store.head(tenant)).position, 0)
    }).pipe(Effect.provide(TestLayer))
  )
})
