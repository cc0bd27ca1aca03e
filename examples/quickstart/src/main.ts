// The shortest program that embeds Shuangbai: a store, two commands, one report.
import { Registry, Shared, Visits } from "@shuangbai/core"
import { type CommandHandler, EventStore, IdGenerator, Projection } from "@shuangbai/eventsourcing"
import { Console, Effect, Layer } from "effect"

const tenant = "yangshan" // the county bureau that owns the data
const actor = { id: "worker-017", role: "worker", station: "huangpen" }
const period = { from: "2025-01-01", to: "2025-06-30" }

/** Sends the commands, then folds the tenant's log into the households-and-visits report. */
const program = Effect.gen(function* () {
  // A command is plain data, checked by its Schema; `commandId` makes a retry safe (the same id writes once).
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
    { actor, commandId: "cmd-0001" }
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
    { actor, commandId: "cmd-0002" }
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

/** The program with an in-memory store and real event ids; swap the store layer for Postgres in production. */
export const main: Effect.Effect<Visits.Projections.Report, CommandHandler.HandleError> = program.pipe(
  Effect.tap((report) => Console.log([...lines(report, "zh-CN"), ...lines(report, "en")].join("\n"))),
  Effect.provide(Layer.mergeAll(EventStore.layerMemory, IdGenerator.layer))
)

if (import.meta.main) Effect.runPromise(main)
