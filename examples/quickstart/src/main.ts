// The shortest program that embeds Shuangbai: a store, a few commands, one report.
import { Registry, Shared, Stations, Visits, Workforce } from "@shuangbai/core"
import { type CommandHandler, EventStore, IdGenerator, Projection } from "@shuangbai/eventsourcing"
import { Console, Effect, Layer } from "effect"
import { layerFromEnv } from "./tracing.ts"

const tenant = "yangshan" // the county bureau that owns the data
const bureau = { id: "bureau-01", role: "bureau" }
const actor = { id: "worker-017", role: "worker", station: "huangpen" }
const period = { from: "2025-01-01", to: "2025-06-30" }

/** Sends the commands, then folds the tenant's log into the households-and-visits report. */
const program = Effect.gen(function* () {
  // A command is plain data, checked by its Schema; `commandId` makes a retry safe (the same id writes once).
  // First the bureau: a visit needs a worker on post at its station that day, so the county, the station,
  // its posts and the worker come before any visit.
  yield* Stations.handleCounty(
    tenant,
    { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "huangpen", name: "黄盆镇" }] },
    { actor: bureau, commandId: "cmd-0001" }
  )
  yield* Stations.handle(
    tenant,
    {
      _tag: "EstablishStation",
      township: "huangpen",
      station: "huangpen",
      name: "黄盆镇社工站",
      establishedOn: "2024-12-01"
    },
    { actor: bureau, commandId: "cmd-0002" }
  )
  yield* Workforce.handle(
    tenant,
    { _tag: "AllotPosts", station: "huangpen", posts: 2, allottedOn: "2024-12-01" },
    { actor: bureau, commandId: "cmd-0003" }
  )
  yield* Workforce.handle(
    tenant,
    { _tag: "HireWorker", worker: "worker-017", name: "李社工", station: "huangpen", hiredOn: "2025-01-02" },
    { actor: bureau, commandId: "cmd-0004" }
  )
  // Then the worker: a household on file (建档), and a home visit to it.
  yield* Registry.handle(
    tenant,
    {
      _tag: "RegisterHousehold",
      household: "hh-0001",
      station: "huangpen",
      township: "huangpen",
      village: "huangpen-01",
      address: "黄盆镇某村 3 号",
      head: { person: "p-0001", name: "陈伯", birthDate: "1942-05-05" },
      registeredOn: "2025-01-10"
    },
    { actor, commandId: "cmd-0005" }
  )
  yield* Visits.handle(
    tenant,
    {
      _tag: "RecordVisit",
      visit: "visit-0001",
      household: "hh-0001",
      station: "huangpen",
      worker: "worker-017",
      visitedOn: "2025-01-27",
      personsSeen: ["p-0001"],
      modality: "HomeVisit",
      findings: "独居，身体尚可，缺御寒衣物",
      needs: ["御寒衣物"],
      itemsGiven: [{ item: "棉衣", quantity: 1 }]
    },
    { actor, commandId: "cmd-0006" }
  )

  // A projection is a pure fold over recorded events: read the log, decode, fold, read the answer.
  const store = yield* EventStore.EventStore
  const stored = yield* store.readAll(tenant, { after: 0, limit: 10_000 })
  const recorded = yield* Effect.fromResult(Visits.Projections.decodeAll(stored))
  const state = Projection.fold(Visits.Projections.householdsAndVisitsByStation(period), recorded)
  return Visits.Projections.report(state)
})

/** The report as lines, in one language. */
export const lines = (report: Visits.Projections.Report, language: Shared.Language): ReadonlyArray<string> => {
  const labels = Visits.Labels.countLabels
  const counts = (c: Visits.Projections.Counts) =>
    (["householdsOnFile", "householdsVisited", "visitsHeld"] as const)
      .map((key) => `${Shared.label(labels, key, language)} ${c[key]}`)
      .join(language === "zh-CN" ? "，" : ", ")
  const { from, to } = report.period
  return [
    language === "zh-CN"
      ? `全县 ${from} 至 ${to}：${counts(report.total)}`
      : `County, ${from} to ${to}: ${counts(report.total)}`,
    ...report.stations.map((s) => `  ${s.station}: ${counts(s)}`)
  ]
}

/**
 * The program with an in-memory store and real event ids; swap the store layer for Postgres in production.
 * `tracing` installs a tracer (`layerFromEnv` in ./tracing.ts): every command and store call is a span.
 */
export const makeMain = (
  tracing: Layer.Layer<never> = Layer.empty
): Effect.Effect<Visits.Projections.Report, CommandHandler.HandleError> =>
  program.pipe(
    Effect.tap((report) => Console.log([...lines(report, "zh-CN"), ...lines(report, "en")].join("\n"))),
    Effect.provide(Layer.mergeAll(EventStore.layerMemory, IdGenerator.layer, tracing))
  )

export const main = makeMain()

if (import.meta.main) Effect.runPromise(makeMain(layerFromEnv()))
