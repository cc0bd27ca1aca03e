import { assert, describe, it } from "@effect/vitest"
import { Casework, Domain, Registry, Shared } from "@shuangbai/core"
import { EventStore, IdGenerator } from "@shuangbai/eventsourcing"
import { PgEventStore } from "@shuangbai/postgres"
import { Effect, Layer, Result } from "effect"

// A host sends commands through Domain.handle to PGlite: after gran withdraws consent to the processing of
// her data, a visit that saw her and closing notes about her are refused, and nothing is written, not a row;
// once she consents again the same visit is recorded.

const tenant = "yangshan"
const actor = { id: "w1", role: "worker", station: "huangpen" }
let n = 0
const send = (command: Domain.CommandInput) => Domain.handle(tenant, command, { actor, commandId: `c-${++n}` })

const consent = (_tag: "RecordConsent" | "WithdrawConsent", on: string): Domain.CommandInput =>
  _tag === "RecordConsent"
    ? { _tag, household: "h1", person: "gran", scope: "DataProcessing", givenBy: "gran", givenOn: on }
    : { _tag, household: "h1", person: "gran", scope: "DataProcessing", withdrawnBy: "gran", withdrawnOn: on }

const visit: Domain.CommandInput = {
  _tag: "RecordVisit",
  visit: "v-1",
  household: "h1",
  station: "huangpen",
  worker: "w1",
  visitedOn: "2025-01-27",
  personsSeen: ["grandpa", "gran"],
  modality: "HomeVisit",
  findings: "二老精神尚可",
  needs: [],
  itemsGiven: []
}

describe("withdrawn consent on PGlite, through Domain.handle", () => {
  it.live("a refused command writes no event; consent given again lets it through", () =>
    Effect.gen(function* () {
      const setup: ReadonlyArray<Domain.CommandInput> = [
        { _tag: "ConfigureCounty", name: "阳山县", townships: [{ township: "huangpen-town", name: "黄盆镇" }] },
        {
          _tag: "EstablishStation",
          township: "huangpen-town",
          station: "huangpen",
          name: "黄盆社工站",
          establishedOn: "2024-01-01"
        },
        { _tag: "AllotPosts", station: "huangpen", posts: 1, allottedOn: "2024-01-01" },
        { _tag: "HireWorker", worker: "w1", name: "李社工", station: "huangpen", hiredOn: "2024-06-01" },
        {
          _tag: "RegisterHousehold",
          household: "h1",
          station: "huangpen",
          township: "huangpen-town",
          village: "v1",
          address: "黄盆镇某村 3 号",
          head: { person: "grandpa", name: "陈伯", birthDate: "1942-05-05" },
          registeredOn: "2024-03-01"
        },
        {
          _tag: "AddMember",
          household: "h1",
          person: "gran",
          name: "陈婆",
          birthDate: "1945-08-08",
          relation: "Spouse"
        },
        consent("RecordConsent", "2024-03-01"),
        {
          _tag: "OpenCase",
          person: "gran",
          household: "h1",
          station: "huangpen",
          worker: "w1",
          caseType: "ElderlyCare",
          riskLevel: "Medium",
          openedOn: "2024-07-01"
        },
        consent("WithdrawConsent", "2025-01-10")
      ]
      for (const command of setup) yield* send(command)
      const store = yield* EventStore.EventStore
      const before = yield* store.head(tenant)

      const refused = yield* Effect.result(send(visit))
      assert.isTrue(Result.isFailure(refused) && Registry.Decide.ProcessingConsentWithdrawn.is(refused.failure))
      const close: Domain.CommandInput = {
        _tag: "CloseCase",
        case: Casework.caseIdOf(Shared.PersonId.make("gran"), "ElderlyCare"),
        reason: "ServiceRefused",
        closedOn: "2025-01-20",
        notes: "本人撤回同意"
      }
      const noted = yield* Effect.result(send(close))
      assert.isTrue(Result.isFailure(noted) && Registry.Decide.NotesAboutWithdrawnPerson.is(noted.failure))
      assert.deepStrictEqual(yield* store.head(tenant), before, "a refused command wrote nothing")
      const about = yield* store.readSubject(tenant, "gran", { after: 0, limit: 100 })
      assert.deepStrictEqual(
        about.map((e) => e.type),
        ["MemberAdded", "ConsentRecorded", "CaseOpened", "ConsentWithdrawn"]
      )

      yield* send({ ...close, notes: "" })
      yield* send(consent("RecordConsent", "2025-01-25"))
      const recorded = yield* send(visit)
      assert.deepStrictEqual(
        recorded.events.map((e) => e.type),
        ["VisitConducted"]
      )
      assert.strictEqual((yield* store.head(tenant)).position, before.position + 3)
    }).pipe(Effect.provide(Layer.mergeAll(PgEventStore.layerPglite(), IdGenerator.layer)))
  )
})
