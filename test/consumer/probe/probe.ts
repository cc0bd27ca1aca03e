// What a host app does with the published packages, compiled once as ESM and once as CommonJS: use the library's
// Schemas as values (branded ids, inside its own Schema), send commands to a store on PGlite, read a report.
import { Casework, Registry, Shared, Stations, Visits, Workforce } from "@shuangbai/core"
import { Envelope, EventStore, IdGenerator, Projection, Scalars } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer, Schema } from "effect"

// The app's own Schema, made of the library's.
export const Referral = Schema.Struct({
  household: Shared.HouseholdId,
  on: Scalars.LocalDate,
  caseType: Casework.Events.CaseType
})

const tenant = "probe"
const bureau = { id: "bureau-01", role: "bureau" }
const worker = { id: "worker-01", role: "worker", station: "st-1" }
const household = Shared.HouseholdId.make("hh-1")

const program = Effect.gen(function* () {
  yield* Stations.handleCounty(
    tenant,
    { _tag: "ConfigureCounty", name: "Probe county", townships: [{ township: "tw-1", name: "Township" }] },
    { actor: bureau, commandId: "cmd-1" }
  )
  yield* Stations.handle(
    tenant,
    { _tag: "EstablishStation", township: "tw-1", station: "st-1", name: "Station", establishedOn: "2025-01-01" },
    { actor: bureau, commandId: "cmd-2" }
  )
  yield* Workforce.handle(
    tenant,
    { _tag: "AllotPosts", station: "st-1", posts: 1, allottedOn: "2025-01-01" },
    { actor: bureau, commandId: "cmd-3" }
  )
  yield* Workforce.handle(
    tenant,
    { _tag: "HireWorker", worker: "worker-01", name: "Worker", station: "st-1", hiredOn: "2025-01-02" },
    { actor: bureau, commandId: "cmd-4" }
  )
  yield* Registry.handle(
    tenant,
    {
      _tag: "RegisterHousehold",
      household,
      station: "st-1",
      township: "tw-1",
      village: "v-1",
      address: "1 Village Road",
      head: { person: "p-1", name: "Head", birthDate: "1950-01-01" },
      registeredOn: "2025-01-10"
    },
    { actor: worker, commandId: "cmd-5" }
  )
  yield* Visits.handle(
    tenant,
    {
      _tag: "RecordVisit",
      visit: "visit-1",
      household,
      station: "st-1",
      worker: "worker-01",
      visitedOn: "2025-01-27",
      personsSeen: ["p-1"],
      modality: "HomeVisit",
      findings: "well",
      needs: [],
      itemsGiven: []
    },
    { actor: worker, commandId: "cmd-6" }
  )
  const store = yield* EventStore.EventStore
  const stored = yield* store.readAll(tenant, { after: 0, limit: 100 })
  const envelopes = stored.map((event) => Schema.decodeUnknownSync(Envelope.StoredEvent)(event))
  const recorded = yield* Effect.fromResult(Visits.Projections.decodeAll(stored))
  const report = Visits.Projections.report(
    Projection.fold(Visits.Projections.householdsAndVisitsByStation({ from: "2025-01-01", to: "2025-12-31" }), recorded)
  )
  const referral = Schema.decodeUnknownSync(Referral)({ household: "hh-1", on: "2025-02-01", caseType: "ElderlyCare" })
  return {
    events: envelopes.length,
    total: report.total,
    referral: Schema.encodeSync(Referral)(referral),
    refusesBadDate: Schema.is(Scalars.LocalDate)("2025-13-01") === false
  }
})

export const run = () =>
  Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(PgEventStore.layerPglite(), IdGenerator.layer))))
