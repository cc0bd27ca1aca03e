import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { Domain } from "@shuangbai/core"
import { Reports } from "@shuangbai/core"
import { EventStore, IdGenerator, Projection, type Recorded } from "@shuangbai/eventsourcing"
import { Effect, Layer, Result } from "effect"
import { type Browser, chromium } from "playwright-core"
import * as Dashboard from "../../src/dashboard/index.ts"
import { type Running, start } from "../helpers.ts"
import * as County from "./county.ts"

// The dashboard in a real browser: Debian's chromium (installed by .ci/run), driven by playwright-core,
// on a page served over loopback HTTP from a small county on the in-memory store. Screenshots at desktop
// and phone size are kept in the test's temp directory as CI artifacts.

const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
const required = process.env.SHUANGBAI_REQUIRE_BROWSER === "1"

const describeBrowser = (name: string, body: () => void) =>
  hasChromium
    ? describe(name, body)
    : required
      ? describe(name, () =>
          it("finds chromium", () => {
            throw new Error(
              `SHUANGBAI_REQUIRE_BROWSER=1 but ${executablePath} is missing (apt-get install -y chromium)`
            )
          })
        )
      : describe.skip(`${name} (no ${executablePath}; apt-get install -y chromium)`, body)

const { CountyDashboard, Render, StationDashboard } = Reports

let recorded: ReadonlyArray<Recorded<Domain.Event>> = []
let server: Server
let base = ""
let browser: Browser
const artifacts = mkdtempSync(join(tmpdir(), "shuangbai-dashboard-"))

/** GET /dashboard?lang=&period= as the server routes it: parse, fold the log, render. */
const serve = (url: URL) => {
  const query = Dashboard.parseQuery(
    { lang: url.searchParams.get("lang") ?? undefined, period: url.searchParams.get("period") ?? undefined },
    County.today
  )
  if (Result.isFailure(query)) return { status: 400, body: query.failure.message }
  const state = Projection.fold(Dashboard.projection(query.success.asOf), recorded)
  return { status: 200, body: Dashboard.render(state, query.success.language) }
}

describeBrowser("dashboard page in Debian's chromium", () => {
  beforeAll(async () => {
    recorded = await Effect.runPromise(
      Effect.andThen(County.build(), County.recorded).pipe(
        Effect.provide(Layer.mergeAll(EventStore.layerMemory, IdGenerator.layerDeterministic()))
      )
    )
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const { status, body } =
        url.pathname === "/dashboard" ? serve(url) : { status: 404, body: `no page at ${url.pathname}` }
      res.writeHead(status, {
        "content-type": status === 200 ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"
      })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
    console.log(
      `dashboard screenshots: ${artifacts} (${execFileSync(executablePath, ["--version"]).toString().trim()})`
    )
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  it("shows the county's figures, the station table and the charts; switches language", async () => {
    const report = CountyDashboard.view(
      Projection.fold(CountyDashboard.projection(CountyDashboard.periods(County.asOf)), recorded)
    )
    const figure = (measure: string) => report.figures.find((f) => f.measure === measure && f.scope === undefined)!
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const requests: Array<string> = []
    page.on("request", (request) => requests.push(request.url()))

    const response = await page.goto(`${base}/dashboard?lang=zh-CN&period=${County.asOf}`)
    assert.strictEqual(response?.status(), 200)
    assert.strictEqual(await page.getAttribute("html", "lang"), "zh-CN")
    assert.include(await page.title(), "阳山县")
    for (const measure of [
      "F1.coverage",
      "F2.coverage",
      "F13.households",
      "F9.households",
      "F11.personTimes",
      "F15.cases"
    ]) {
      const shown = await page.locator(`.card[data-measure="${measure}"] .value`).textContent()
      assert.strictEqual(shown, Render.formatValue(figure(measure)), measure)
      const label = await page.locator(`.card[data-measure="${measure}"] .label`).textContent()
      assert.strictEqual(label, figure(measure).label["zh-CN"])
    }
    const stations = StationDashboard.view(
      Projection.fold(StationDashboard.projection(CountyDashboard.periods(County.asOf)), recorded)
    ).stations
    assert.strictEqual(await page.locator("table.stations tbody tr[data-station]:not(.total)").count(), stations.length)
    for (const s of stations) {
      const row = page.locator(`tr[data-station="${s.station}"]`)
      assert.strictEqual(await row.locator("td").first().textContent(), s.name)
      const households = s.figures.find((f) => f.measure === "F13.households")!
      assert.strictEqual(
        await row.locator('td[data-measure="F13.households"]').textContent(),
        Render.formatValue(households)
      )
    }
    // On a desktop the station table fits its box; it scrolls sideways only on a phone.
    const box = (await page.evaluate(
      `(() => { const b = document.querySelector("table.stations").parentElement; return { scroll: b.scrollWidth, client: b.clientWidth } })()`
    )) as { scroll: number; client: number }
    assert.isAtMost(box.scroll, box.client)
    assert.strictEqual(await page.locator("figure.chart svg").count(), 4)
    assert.strictEqual(await page.locator("#chart-visits rect").count(), 12)
    assert.isTrue(await page.locator("#chart-visits svg").isVisible())
    await page.screenshot({ path: join(artifacts, "dashboard-zh-CN-desktop.png"), fullPage: true })

    await page.click('header a[hreflang="en"]')
    await page.waitForURL(/lang=en/)
    assert.strictEqual(await page.getAttribute("html", "lang"), "en")
    assert.strictEqual(
      await page.locator('.card[data-measure="F9.households"] .label').textContent(),
      figure("F9.households").label.en
    )
    await page.screenshot({ path: join(artifacts, "dashboard-en-desktop.png"), fullPage: true })

    // Everything came from the page's own origin: no external asset.
    assert.isNotEmpty(requests)
    for (const url of requests) assert.isTrue(url.startsWith(base), url)
    await page.close()
  })

  it("reads on a phone: nothing wider than the screen, tables scroll inside their box", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true
    })
    const page = await context.newPage()
    for (const language of ["zh-CN", "en"] as const) {
      await page.goto(`${base}/dashboard?lang=${language}&period=${County.asOf}`)
      // Evaluated in the page (a string: this project has no DOM types).
      const widths = (await page.evaluate(`({
        page: document.documentElement.scrollWidth,
        screen: window.innerWidth,
        chart: document.querySelector("#chart-visits svg").getBoundingClientRect().width
      })`)) as { page: number; screen: number; chart: number }
      assert.isAtMost(widths.page, widths.screen, language)
      assert.isAbove(widths.chart, widths.screen * 0.7, language)
      // Two cards a row on a phone.
      const [first, second, third] = await page
        .locator(".card")
        .evaluateAll((cards) => cards.slice(0, 3).map((c) => c.getBoundingClientRect().top))
      assert.strictEqual(first, second)
      assert.isAbove(third!, first!)
      await page.screenshot({ path: join(artifacts, `dashboard-${language}-phone.png`), fullPage: true })
    }
    await context.close()
  })

  it("is served by the real server at GET /dashboard, behind an API key", async () => {
    // The same county in the store the server reads: the in-memory store, seeded before it starts.
    const seeded = Layer.effect(
      EventStore.EventStore,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* County.build().pipe(Effect.provide(IdGenerator.layerDeterministic()))
        return store
      })
    ).pipe(Layer.provideMerge(EventStore.layerMemory))
    const running: Running = await start(seeded)
    try {
      const anonymous = await browser.newPage()
      assert.strictEqual((await anonymous.goto(`${running.base}/dashboard`))?.status(), 401)
      await anonymous.close()

      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        extraHTTPHeaders: { authorization: "Bearer key-bureau" }
      })
      const page = await context.newPage()
      const response = await page.goto(`${running.base}/dashboard?lang=en&period=${County.asOf}`)
      assert.strictEqual(response?.status(), 200)
      assert.match(response?.headers()["content-type"] ?? "", /^text\/html/)
      assert.strictEqual(await page.getAttribute("html", "lang"), "en")
      const report = CountyDashboard.view(
        Projection.fold(CountyDashboard.projection(CountyDashboard.periods(County.asOf)), recorded)
      )
      for (const f of report.figures.filter((f) => f.scope === undefined)) {
        const cell = page.locator(`table.figures tr[data-measure="${f.measure}"] td.value`)
        assert.strictEqual(await cell.textContent(), Render.formatValue(f), f.measure)
      }
      await page.screenshot({ path: join(artifacts, "dashboard-server-en-desktop.png"), fullPage: true })
      await context.close()
    } finally {
      await running.close()
    }
  })

  it("answers a period that does not parse with 400 naming it", async () => {
    const page = await browser.newPage()
    const response = await page.goto(`${base}/dashboard?period=last-year`)
    assert.strictEqual(response?.status(), 400)
    assert.include((await page.textContent("body")) ?? "", "period must be")
    await page.close()
  })
})
