import type { EventStore, SubjectKeys } from "@shuangbai/eventsourcing"
import type { Layer } from "effect"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { household, type Running, seed, start, visit } from "./helpers.ts"
import { follow, type Received } from "./sse.ts"

/**
 * The HTTP API end to end against one store: the real server on a loopback port, driven with fetch as
 * a client in any language would. Each store's test file runs it in one line.
 */
export const suite = (
  name: string,
  store: () => Layer.Layer<EventStore.EventStore | SubjectKeys.SubjectKeys, unknown>
) =>
  describe(`HTTP API on ${name}`, () => {
    let server: Running

    beforeAll(async () => {
      server = await start(store(), { bodyLimit: 4096 })
      await seed(server)
    })
    afterAll(() => server?.close())

    /** The whole log as the auditor reads it. */
    const log = async () => {
      const all: Array<any> = []
      for (;;) {
        const page = await server.call("auditor", "GET", `/events?after=${all.at(-1)?.position ?? 0}&limit=1000`)
        assert.strictEqual(page.status, 200)
        all.push(...page.body)
        if (page.body.length < 1000) return all
      }
    }
    /** Asserts a refusal: its status, its code, and that the log did not change. */
    const refused = async (
      attempt: () => Promise<{ status: number; body: any; headers: Headers }>,
      status: number,
      code: string
    ) => {
      const before = (await log()).length
      const answer = await attempt()
      assert.strictEqual(answer.status, status, JSON.stringify(answer.body))
      assert.strictEqual(answer.body.status, status)
      assert.strictEqual(answer.body.code, code, JSON.stringify(answer.body))
      assert.isString(answer.body.message)
      assert.strictEqual((await log()).length, before, "a refused request writes nothing")
      return answer
    }

    it("answers health and readiness without a key", async () => {
      assert.deepStrictEqual((await server.call(undefined, "GET", "/health")).body, { status: "ok" })
      assert.deepStrictEqual((await server.call(undefined, "GET", "/ready")).body, { status: "ok" })
    })

    it("records the principal as the actor, whatever the body says", async () => {
      const answer = await server.call("worker", "POST", "/commands/visits/RecordVisit", {
        ...visit("v-actor"),
        actor: { id: "someone-else", role: "admin" }
      })
      // An unknown field is refused as the command's Schema says; either way no event names the impostor.
      const events = await log()
      assert.isFalse(events.some((e) => e.actor.id === "someone-else"))
      if (answer.status === 200) {
        const written = events.find((e) => e.eventId === answer.body.events[0].eventId)
        assert.deepStrictEqual(written.actor, { id: "worker-017", role: "worker", station: "huangpen" })
      } else {
        assert.strictEqual(answer.status, 400)
      }
      const plain = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-actor-2"))
      assert.strictEqual(plain.status, 200, JSON.stringify(plain.body))
      const written = (await log()).find((e) => e.eventId === plain.body.events[0].eventId)
      assert.deepStrictEqual(written.actor, { id: "worker-017", role: "worker", station: "huangpen" })
    })

    it("returns the first result to a command retried with the same Idempotency-Key", async () => {
      const headers = { "idempotency-key": "retry-visit-1" }
      const first = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-retry"), headers)
      assert.strictEqual(first.status, 200, JSON.stringify(first.body))
      assert.isFalse(first.body.duplicate)
      const before = (await log()).length
      const again = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit("v-retry"), headers)
      assert.strictEqual(again.status, 200)
      assert.isTrue(again.body.duplicate)
      assert.strictEqual(again.body.commandId, "retry-visit-1")
      assert.deepStrictEqual(again.body.events, first.body.events)
      assert.strictEqual((await log()).length, before)
      const written = (await log()).filter((e) => e.commandId === "retry-visit-1")
      assert.strictEqual(written.length, 1)
    })

    it("refuses a request without a key, with an unknown key or a revoked key (401)", async () => {
      const body = visit("v-401")
      await refused(() => server.call(undefined, "POST", "/commands/visits/RecordVisit", body), 401, "Unauthenticated")
      await refused(
        () => server.call(undefined, "POST", "/commands/visits/RecordVisit", body, { authorization: "Bearer nope" }),
        401,
        "UnknownKey"
      )
      await refused(
        () =>
          server.call(undefined, "POST", "/commands/visits/RecordVisit", body, { authorization: "Bearer key-revoked" }),
        401,
        "RevokedKey"
      )
    })

    it("refuses bad bodies: not JSON (400), wrong content type (415), over the limit (413), bad fields (400)", async () => {
      await refused(
        () => server.call("worker", "POST", "/commands/visits/RecordVisit", "{not json"),
        400,
        "InvalidJson"
      )
      await refused(
        () =>
          server.call("worker", "POST", "/commands/visits/RecordVisit", JSON.stringify(visit("v-415")), {
            "content-type": "text/plain"
          }),
        415,
        "UnsupportedMediaType"
      )
      await refused(
        () =>
          server.call("worker", "POST", "/commands/visits/RecordVisit", {
            ...visit("v-413"),
            findings: "长".repeat(5000)
          }),
        413,
        "PayloadTooLarge"
      )
      const bad = await refused(
        () =>
          server.call("worker", "POST", "/commands/visits/RecordVisit", {
            ...visit("v-400"),
            visitedOn: "27 January",
            personsSeen: "p-0001"
          }),
        400,
        "InvalidRequest"
      )
      const paths = bad.body.issues.map((i: { path: string }) => i.path)
      assert.includeMembers(paths, ["visitedOn", "personsSeen"])
    })

    it("refuses an unknown command (404) and a body naming another command (400)", async () => {
      await refused(() => server.call("worker", "POST", "/commands/visits/TeleportVisit", {}), 404, "UnknownCommand")
      await refused(
        () => server.call("worker", "POST", "/commands/visits/RecordVisit", { ...visit("v-tag"), _tag: "VoidVisit" }),
        400,
        "InvalidRequest"
      )
    })

    it("refuses a worker at another station's household (403 with the rule code)", async () => {
      await refused(
        () =>
          server.call("worker", "POST", "/commands/visits/RecordVisit", {
            ...visit("v-403", "hh-0002", "p-0002"),
            station: "qicun"
          }),
        403,
        "OtherStation"
      )
      await refused(() => server.call("worker", "GET", "/households/hh-0002/history"), 403, "OtherStation")
      const own = await server.call("worker", "GET", "/households/hh-0001/history")
      assert.strictEqual(own.status, 200, JSON.stringify(own.body))
      assert.isAbove(own.body.entries.length, 0)
    })

    it("refuses another tenant's data, asked for by name or reached by id (403, 404)", async () => {
      await refused(() => server.call("otherTenant", "GET", "/events?tenant=yangshan"), 403, "OtherTenant")
      await refused(
        () =>
          server.call("otherTenant", "POST", "/commands/registry/RegisterHousehold?tenant=yangshan", {
            ...household("hh-0009", "huangpen", "p-0009")
          }),
        403,
        "OtherTenant"
      )
      await refused(() => server.call("worker", "GET", "/reports/visit-schedule?tenant=lianzhou"), 403, "OtherTenant")
      await refused(
        () => server.call("otherTenant", "GET", "/reports/county-dashboard?tenant=yangshan"),
        403,
        "OtherTenant"
      )
      // Its own tenant holds no such household: nothing of yangshan's leaks.
      const theirs = await server.call("otherTenant", "GET", "/events?after=0")
      assert.strictEqual(theirs.status, 200)
      assert.deepStrictEqual(theirs.body, [])
    })

    it("answers a broken rule with 422, its code and both messages", async () => {
      const answer = await refused(
        () =>
          server.call("worker", "POST", "/commands/registry/RegisterHousehold", {
            ...household("hh-0001", "huangpen", "p-0001"),
            address: "另一个地址"
          }),
        422,
        "HouseholdAlreadyRegistered"
      )
      assert.isString(answer.body.messages["zh-CN"])
      assert.isString(answer.body.messages.en)
      assert.notStrictEqual(answer.body.messages["zh-CN"], answer.body.messages.en)
    })

    it("serves the reports with tenant, period, station and as-of parameters", async () => {
      const county = await server.call("bureau", "GET", "/reports/county-dashboard?asOf=2025-08-01")
      assert.strictEqual(county.status, 200, JSON.stringify(county.body))
      assert.strictEqual(county.body.asOf, "2025-08-01")
      const households = county.body.figures.find((f: any) => f.measure === "F13.households")
      assert.strictEqual(households?.value, 2)
      const station = await server.call("worker", "GET", "/reports/station-dashboard?station=huangpen&asOf=2025-08-01")
      assert.strictEqual(station.status, 200, JSON.stringify(station.body))
      assert.deepStrictEqual(
        station.body.stations.map((s: any) => s.station),
        ["huangpen"]
      )
      // The log as it stood before the households were registered: no household on file.
      const events = await log()
      const firstHousehold = events.find((e) => e.type === "HouseholdRegistered").position
      const earlier = await server.call(
        "bureau",
        "GET",
        `/reports/county-dashboard?asOf=2025-08-01&position=${firstHousehold - 1}`
      )
      assert.strictEqual(earlier.body.figures.find((f: any) => f.measure === "F13.households")?.value, 0)
      const bad = await server.call("bureau", "GET", "/reports/county-dashboard?asOf=yesterday")
      assert.strictEqual(bad.status, 400)
      assert.deepStrictEqual([...new Set(bad.body.issues.map((i: any) => i.path))], ["asOf"])
      const schedule = await server.call("worker", "GET", "/reports/visit-schedule?station=huangpen&asOf=2025-08-01")
      assert.strictEqual(schedule.status, 200, JSON.stringify(schedule.body))
      const caseloads = await server.call("lead", "GET", "/reports/caseloads?station=huangpen&asOf=2025-08-01")
      assert.strictEqual(caseloads.status, 200, JSON.stringify(caseloads.body))
      assert.isTrue(caseloads.body.stations.every((s: any) => s.station === "huangpen"))
      for (const name of ["recruitment", "training"]) {
        const answer = await server.call(
          "bureau",
          "GET",
          `/reports/${name}?asOf=2025-08-01&from=2025-01-01&to=2025-12-31`
        )
        assert.strictEqual(answer.status, 200, `${name}: ${JSON.stringify(answer.body)}`)
      }
      await refused(() => server.call("lead", "GET", "/reports/caseloads?station=qicun"), 403, "OtherStation")
      await refused(() => server.call("worker", "GET", "/reports/visit-schedule?station=qicun"), 403, "OtherStation")
    })

    it("serves the dashboard page to the bureau in either language", async () => {
      for (const lang of ["zh-CN", "en"]) {
        const page = await fetch(`${server.base}/dashboard?lang=${lang}&period=2025-08`, {
          headers: { authorization: "Bearer key-bureau" }
        })
        assert.strictEqual(page.status, 200)
        assert.match(page.headers.get("content-type") ?? "", /text\/html/)
        const text = await page.text()
        assert.include(text, `lang="${lang}"`)
        assert.include(text, "阳山县")
      }
      const bad = await server.call("bureau", "GET", "/dashboard?period=last-year")
      assert.strictEqual(bad.status, 400)
      assert.deepStrictEqual(
        bad.body.issues.map((i: any) => i.path),
        ["period"]
      )
      await refused(() => server.call("otherTenant", "GET", "/dashboard?tenant=yangshan"), 403, "OtherTenant")
    })

    it("reads a stream, and answers 404 for one that does not exist", async () => {
      const answer = await server.call("worker", "GET", "/streams/household/hh-0001")
      assert.strictEqual(answer.status, 200, JSON.stringify(answer.body))
      assert.strictEqual(answer.body[0].type, "HouseholdRegistered")
      await refused(() => server.call("auditor", "GET", "/streams/household/hh-9999"), 404, "NotFound")
    })

    it("refuses a Last-Event-ID that is not a position or is beyond the head (400)", async () => {
      const url = `${server.base}/feed`
      const notPosition = await follow(
        url,
        { authorization: "Bearer key-auditor", "x-purpose": "e2e", "last-event-id": "abc" },
        () => true
      )
      assert.strictEqual(notPosition.status, 400)
      assert.strictEqual((notPosition.body as any).code, "InvalidPosition")
      const beyond = await follow(
        url,
        { authorization: "Bearer key-auditor", "x-purpose": "e2e", "last-event-id": "999999" },
        () => true
      )
      assert.strictEqual(beyond.status, 400)
      assert.strictEqual((beyond.body as any).code, "BeyondHead")
      const worker = await follow(url, { authorization: "Bearer key-worker", "x-purpose": "e2e" }, () => true)
      assert.strictEqual(worker.status, 403)
    })

    it("resumes the feed after a disconnect while commands keep arriving: nothing skipped, nothing repeated", async () => {
      const start = (await log()).at(-1).position as number
      const commands = 12
      const received: Array<Received> = []
      const lastSeen = () => Number(received.at(-1)?.id ?? start)
      let final: number | undefined
      let connection: AbortController | undefined
      const writer = (async () => {
        for (let i = 0; i < commands; i++) {
          const answer = await server.call("worker", "POST", "/commands/visits/RecordVisit", visit(`v-feed-${i}`))
          assert.strictEqual(answer.status, 200, JSON.stringify(answer.body))
        }
        final = (await log()).at(-1).position
        if (lastSeen() >= final!) connection?.abort()
      })()
      const headers = { authorization: "Bearer key-auditor", "x-purpose": "e2e" }
      // First connection: a few events, then the client goes away mid-stream.
      await follow(`${server.base}/feed?after=${start}`, headers, (event) => {
        received.push(event)
        return received.length >= 3
      })
      // Reconnects (as EventSource does) with the last id seen, a few events each time, until caught up.
      while (final === undefined || lastSeen() < final) {
        connection = new AbortController()
        let taken = 0
        await follow(
          `${server.base}/feed`,
          { ...headers, "last-event-id": String(lastSeen()) },
          (event) => {
            received.push(event)
            taken += 1
            return taken >= 4 || (final !== undefined && lastSeen() >= final)
          },
          connection.signal
        )
      }
      await writer
      const expected = (await log()).filter((e) => e.position > start)
      assert.strictEqual(expected.length, commands)
      assert.deepStrictEqual(
        received.map((e) => Number(e.id)),
        expected.map((e) => e.position)
      )
      assert.deepStrictEqual(
        received.map((e) => JSON.parse(e.data).eventId),
        expected.map((e) => e.eventId)
      )
      assert.isTrue(received.every((e) => e.event === "VisitConducted" || e.event === JSON.parse(e.data).type))
    })

    it("reads the log, a history and a report as of a position or a store time, each with a digest", async () => {
      const all = await log()
      const third = all[2]
      const cut = await server.call("auditor", "GET", "/events?asOf=3")
      assert.deepStrictEqual(
        cut.body.map((e: any) => e.position),
        [1, 2, 3]
      )
      const digest = cut.headers.get("x-result-digest")
      assert.match(digest ?? "", /^sha256=[0-9a-f]{64}$/)
      assert.strictEqual((await server.call("auditor", "GET", "/events?asOf=3")).headers.get("x-result-digest"), digest)
      const byTime = await server.call("auditor", "GET", `/events?asOf=${third.recordedAt}&limit=1000`)
      assert.deepStrictEqual(
        byTime.body.map((e: any) => e.position),
        all.filter((e) => e.recordedAt <= third.recordedAt).map((e) => e.position)
      )
      const report = async (asOf: string) => server.call("bureau", "GET", `/reports/county-dashboard?asOf=${asOf}`)
      const [first, again, later] = [await report("5"), await report("5"), await report(String(all.length))]
      assert.strictEqual(first.status, 200, JSON.stringify(first.body))
      assert.strictEqual(first.headers.get("x-as-of-position"), "5")
      assert.strictEqual(again.headers.get("x-result-digest"), first.headers.get("x-result-digest"))
      assert.notStrictEqual(later.headers.get("x-result-digest"), first.headers.get("x-result-digest"))
      for (const bad of ["2024-02-30T00:00:00.000Z", "2024-08-08T00:00:00Z", "-1"]) {
        const refusedAnswer = await report(encodeURIComponent(bad))
        assert.strictEqual(refusedAnswer.status, 400, bad)
        assert.deepStrictEqual(
          refusedAnswer.body.issues.map((i: any) => i.path),
          ["asOf"]
        )
      }
      const before = await server.call("worker", "GET", `/households/hh-0001/history?asOf=${all[0].recordedAt}`)
      assert.strictEqual(before.status, 404)
      const stream = "/streams/household/hh-0001"
      assert.strictEqual((await server.call("worker", "GET", `${stream}?asOf=1`)).status, 404)
      const streamNow = await server.call("worker", "GET", `${stream}?asOf=${all.length}`)
      assert.strictEqual(streamNow.body[0].type, "HouseholdRegistered")
    })

    it("records every read of personal data with its purpose, and lists them to auditors only", async () => {
      const reads = async () => (await server.call("auditor", "GET", "/access-log?limit=1000")).body as Array<any>
      const count = (await reads()).length
      const missing = await server.call("worker", "GET", "/households/hh-0001/history", undefined, { "x-purpose": "" })
      assert.strictEqual(missing.status, 400)
      assert.strictEqual(missing.body.code, "MissingPurpose")
      assert.strictEqual((await reads()).length, count, "a read without a purpose is neither made nor recorded")
      const purpose = "入户探访前核对家庭情况"
      const history = await server.call("worker", "GET", "/households/hh-0001/history", undefined, {
        "x-purpose": encodeURIComponent(purpose)
      })
      assert.strictEqual(history.status, 200, JSON.stringify(history.body))
      assert.include(
        history.body.reads.map((r: any) => r.purpose),
        purpose
      )
      const listed = await reads()
      const mine = listed.find((r) => r.purpose === purpose)
      assert.deepStrictEqual(
        [mine.actor.id, mine.actor.role, mine.what],
        ["worker-017", "worker", "HouseholdHistory hh-0001"]
      )
      // the auditor's own reads of the log are recorded too
      assert.isTrue(listed.some((r) => r.actor.id === "auditor-01" && r.what === "Log"))
      const refusedAnswer = await server.call("worker", "GET", "/access-log")
      assert.strictEqual(refusedAnswer.status, 403)
      // the tenant's log holds none of them
      assert.isFalse((await log()).some((e) => e.type === "PersonalDataRead"))
    })

    it("erases a data subject as the admin only, refuses bad requests writing nothing, and answers a repeat with the first", async () => {
      const registered = await server.call("worker", "POST", "/commands/registry/RegisterHousehold", {
        ...household("hh-0003", "huangpen", "p-0003"),
        head: { person: "p-0003", name: "周阿婆", birthDate: "1938-02-02" }
      })
      assert.strictEqual(registered.status, 200, JSON.stringify(registered.body))
      const history = async () =>
        JSON.stringify((await server.call("worker", "GET", "/households/hh-0003/history")).body)
      assert.include(await history(), "周阿婆")
      const path = "/subjects/p-0003/erasure"
      const request = {
        legalBasis: { ground: "PIPL-47-3-ConsentWithdrawn", text: "本人书面申请 2025-08-09" },
        reason: "撤回同意并要求删除"
      }
      for (const who of ["worker", "bureau", "auditor"] as const) {
        await refused(() => server.call(who, "POST", path, request), 403, "RoleNotPermitted")
      }
      await refused(() => server.call("admin", "POST", `${path}?tenant=lianzhou`, request), 403, "OtherTenant")
      const invalid: Array<[unknown, string]> = [
        [{ reason: request.reason }, "legalBasis"],
        [{ ...request, legalBasis: { ground: "Because", text: "本人申请" } }, "legalBasis.ground"],
        [{ legalBasis: request.legalBasis }, "reason"],
        [{ ...request, reason: "   " }, "reason"]
      ]
      for (const [body, wrong] of invalid) {
        const answer = await refused(() => server.call("admin", "POST", path, body), 400, "InvalidErasure")
        assert.match(answer.body.message, /^erasure of p-0003 refused: a legal basis/)
        assert.deepStrictEqual(
          answer.body.issues.map((i: { path: string }) => i.path),
          [wrong]
        )
      }
      await refused(() => server.call("admin", "POST", path, [request]), 400, "InvalidRequest")
      const unknown = await refused(
        () => server.call("admin", "POST", "/subjects/p-9999/erasure", request),
        404,
        "SubjectNotFound"
      )
      assert.include(unknown.body.message, "p-9999")
      assert.include(await history(), "周阿婆", "a refused erasure leaves the subject's data readable")

      const before = (await log()).length
      // An actor in the body is not the actor: the authenticated principal is.
      const first = await server.call("admin", "POST", path, {
        ...request,
        actor: { id: "someone-else", role: "admin" }
      })
      assert.strictEqual(first.status, 200, JSON.stringify(first.body))
      const events = await log()
      assert.strictEqual(events.length, before + 1)
      const written = events.at(-1)
      assert.deepStrictEqual(first.body, {
        subject: "p-0003",
        duplicate: false,
        rewritten: 0,
        eventId: written.eventId,
        type: "SubjectErased",
        stream: { category: "erasure", id: "p-0003" },
        position: written.position,
        recordedAt: written.recordedAt
      })
      assert.deepStrictEqual(written.actor, { id: "admin-01", role: "admin" })
      assert.deepStrictEqual([written.data.legalBasis, written.data.reason], [request.legalBasis, request.reason])
      const erased = await history()
      assert.notInclude(erased, "周阿婆")
      assert.include(erased, "已删除")

      const again = await server.call("admin", "POST", path, { ...request, reason: "再次申请" })
      assert.strictEqual(again.status, 200, JSON.stringify(again.body))
      assert.deepStrictEqual(again.body, { ...first.body, duplicate: true })
      assert.strictEqual((await log()).length, before + 1, "a repeated erasure writes nothing")
    })

    it("publishes an OpenAPI document with every command and a reference page", async () => {
      const doc = await server.call(undefined, "GET", "/openapi.json")
      assert.strictEqual(doc.status, 200)
      assert.match(doc.body.openapi, /^3\./)
      assert.property(doc.body.paths, "/commands/visits/RecordVisit")
      assert.property(doc.body.paths, "/feed")
      assert.property(doc.body.paths, "/subjects/{subject}/erasure")
      const page = await fetch(`${server.base}/docs`)
      assert.strictEqual(page.status, 200)
      assert.match(await page.text(), /<html/i)
    })
  })
