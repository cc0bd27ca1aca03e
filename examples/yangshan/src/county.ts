// F1…F23 are the article's figures, each defined in docs/figures.md.
// Yangshan County (阳山县), Qingyuan, as the Southern Daily article describes it: the commands its civil-affairs
// bureau and its 13 township stations would send from 2021 to the article's day, in time order. Seeded: the
// same options give the same commands, ids included, so a re-run is recognised and a resend is a no-op.
//
// The year. The article speaks of "this year" (今年以来), "last year" (去年2月, 去年7月5日、11月9日) and "by
// 4 August" (截至8月4日). We take this year to be 2024: the late-January cold wave and the late-April floods
// that hit Qingyuan are those of 2024, and Qingyuan's 2024 双百 recruitment notice closed in early August. The
// article's day is taken to be 8 August 2024 (a few days after 4 August); every business date is on or before it.
import type {
  Activities,
  Casework as CaseworkTypes,
  Recruitment,
  Registry,
  Relief,
  Shared,
  Stations,
  Training,
  Visits,
  Workforce
} from "@shuangbai/core"
import { Casework } from "@shuangbai/core"
import type { Envelope } from "@shuangbai/eventsourcing"
import { apportion, personName, Random, villageNames } from "./random.ts"

// ---- the article's frame --------------------------------------------------------------------------------

/** The county bureau: the tenant that owns the data. */
export const tenant = "yangshan"
/** The article's day: "now" for every figure. */
export const asOf = "2024-08-08"
/** The clock of a run: the evening of the article's day in China (UTC+8). */
export const articleTime = Date.parse(`${asOf}T18:00:00+08:00`)
export const year = 2024

export const bureau: Envelope.Actor = { id: "yangshan-mzj", role: "bureau" }

export const ids = {
  coldSnap: "camp-2024-01-cold",
  flood: "camp-2024-04-flood",
  drive: "drive-2024-qingyuan-shuangbai",
  exchangeVisitHuangpen: "ev-2023-02-huangpen"
} as const

// ---- commands and steps ---------------------------------------------------------------------------------

/** Every command a host app sends, as plain data (the encoded side of each context's command Schema). */
export type Command =
  | typeof Stations.Commands.Command.Encoded
  | typeof Stations.Commands.CountyCommand.Encoded
  | typeof Workforce.Commands.Command.Encoded
  | typeof Recruitment.Commands.Command.Encoded
  | typeof Registry.Commands.Command.Encoded
  | typeof Visits.Commands.Command.Encoded
  | typeof CaseworkTypes.Commands.Command.Encoded
  | typeof Activities.Commands.Command.Encoded
  | typeof Relief.Commands.Command.Encoded
  | typeof Training.Commands.Command.Encoded

/** One command as it is sent: who sends it, its idempotency key, and the streams it writes or reads. */
export interface Step {
  /** The business day it is sent on: steps are in this order (ties keep the order they were made in). */
  readonly on: string
  readonly command: Command
  readonly actor: Envelope.Actor
  readonly commandId: string
  /**
   * The streams the command writes and the ones its rules read (a visit reads its household). Steps that
   * share a key must run one after another, in order; steps with no key in common may run at once.
   */
  readonly keys: ReadonlyArray<string>
}

export interface Options {
  /** 1 (default) is the article's county; smaller values shrink the populations, for quick runs and tests. */
  readonly scale?: number
  readonly seed?: number
}

export interface Scenario {
  readonly scale: number
  readonly steps: ReadonlyArray<Step>
  /** The numbers the scenario was built to: at scale 1, the article's. */
  readonly targets: Targets
}

export type Targets = ReturnType<typeof targetsAt>

const targetsAt = (scale: number) => {
  const s = (n: number, min = 1) => Math.max(min, Math.round(n * scale))
  const visitedH1 = s(11_968, 6)
  return {
    /** F13 近2.3万户. */
    householdsOnFile: s(22_917, 30),
    archived: s(163, 1),
    /** F12 1.2万户. */
    visitedH1,
    /** F9 12,282户. */
    visitedYtd: visitedH1 + s(314, 2),
    highRisk: s(120, 1),
    revisitsSummer: s(400, 1),
    visitsLastYear: s(400, 2),
    /** F3–F6. */
    coldVillages: Math.min(s(46, 1), 46),
    coldRecipients: s(387, 2),
    coldGarments: s(36, 2),
    coldQuilts: 1,
    /** F7, F8. */
    floodVisited: s(808, 2),
    floodRelocated: s(222, 1),
    floodSupplied: s(40, 1),
    /** F10, F11. */
    activities: s(422, 4),
    personTimes: s(8_969, 60),
    activitiesLastYear: s(120, 1),
    /** F19 超过600人. */
    applicants: s(617, 3),
    rejected: s(25, 1)
  }
}

// ---- dates ----------------------------------------------------------------------------------------------

const dayMs = 86_400_000
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`)
const addDays = (date: string, days: number): string => new Date(toMs(date) + days * dayMs).toISOString().slice(0, 10)
const daysFrom = (from: string, to: string): number => Math.round((toMs(to) - toMs(from)) / dayMs)
const maxDate = (a: string, b: string) => (a > b ? a : b)
const pushTo = <K, V>(map: Map<K, Array<V>>, key: K, value: V) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
const minDate = (a: string, b: string) => (a < b ? a : b)

// ---- the county's townships (one station each) -----------------------------------------------------------

/**
 * The 13 townships of Yangshan (12 towns and 1 Yao ethnic township). The article names seven; the other six
 * are the county's real towns. The article writes 大岗镇 and 黄盆镇 for 大崀镇 and 黄坌镇 (uncommon
 * characters); we keep the article's spelling. `onPost` and `posts` are ours: they sum to 142 and 196.
 */
export const townships = [
  { township: "yangcheng", name: "阳城镇", onPost: 18, posts: 24 },
  { township: "qigong", name: "七拱镇", onPost: 12, posts: 17 },
  { township: "taiping", name: "太平镇", onPost: 10, posts: 14 },
  { township: "dubu", name: "杜步镇", onPost: 9, posts: 13 },
  { township: "jiangying", name: "江英镇", onPost: 10, posts: 14 },
  { township: "yangmei", name: "杨梅镇", onPost: 10, posts: 13 },
  { township: "dagang", name: "大岗镇", onPost: 11, posts: 15 },
  { township: "xiaojiang", name: "小江镇", onPost: 11, posts: 15 },
  { township: "lingbei", name: "岭背镇", onPost: 12, posts: 16 },
  { township: "libu", name: "黎埠镇", onPost: 12, posts: 16 },
  { township: "huangpen", name: "黄盆镇", onPost: 9, posts: 13 },
  { township: "qinglian", name: "青莲镇", onPost: 11, posts: 15 },
  { township: "chengjia", name: "秤架瑶族乡", onPost: 7, posts: 11 }
] as const

export type TownshipKey = (typeof townships)[number]["township"]

export const stationOf = (township: string): string => `sgz-${township}`
export const stationNameOf = (name: string): string => `${name}社工站`

// ---- the model the generator keeps ----------------------------------------------------------------------

type Category = Shared.RecipientCategory

interface Village {
  readonly id: string
  readonly name: string
  readonly township: string
}

interface Worker {
  readonly id: string
  readonly name: string
  readonly station: string
  readonly hiredOn: string
  leftOn: string | undefined
}

interface StationModel {
  readonly township: string
  readonly name: string
  readonly station: string
  readonly onPost: number
  readonly posts: number
  readonly establishedOn: string
  readonly villages: ReadonlyArray<Village>
  readonly workers: Array<Worker>
  /** The first day a worker of the station is on post. */
  openFrom: string
}

interface Person {
  readonly id: string
  readonly name: string
  readonly birthDate: string
  readonly categories: ReadonlyArray<Category>
}

type Kind = "dibao" | "tekun" | "alone" | "leftBehind" | "childInDifficulty" | "disabled" | "difficulty" | "special"

interface Household {
  readonly id: string
  readonly station: StationModel
  readonly village: Village
  readonly kind: Kind
  readonly registeredOn: string
  readonly head: Person
  readonly child: (Person & { readonly relation: "Child" | "Grandchild" }) | undefined
  archivedOn: string | undefined
}

const recipientsOf = (h: Household): Array<Person> => (h.child === undefined ? [h.head] : [h.head, h.child])

const kinds: ReadonlyArray<readonly [Kind, number]> = [
  ["dibao", 33],
  ["tekun", 10],
  ["alone", 15],
  ["leftBehind", 3.5],
  ["childInDifficulty", 2.5],
  ["disabled", 15],
  ["difficulty", 15],
  ["special", 6]
]

const elderly = new Set<Kind>(["tekun", "alone", "leftBehind"])

// ---- the generator --------------------------------------------------------------------------------------

/** The county's commands from 2021 to the article's day. */
export const makeScenario = (options: Options = {}): Scenario => {
  const scale = options.scale ?? 1
  if (!(scale > 0 && scale <= 1)) throw new Error(`scale must be in (0, 1], got ${scale}`)
  const random = new Random(options.seed ?? 20240808)
  const targets = targetsAt(scale)
  const steps: Array<Step> = []

  const add = (on: string, command: Command, actor: Envelope.Actor, commandId: string, keys: ReadonlyArray<string>) => {
    if (on > asOf) throw new Error(`${commandId} is dated ${on}, after the article's day`)
    steps.push({ on, command, actor, commandId, keys: [...new Set(keys)] })
  }

  // ---- stations, workers, posts (2021 onwards) ----------------------------------------------------------

  const takenVillageNames = new Set<string>()
  const stations: Array<StationModel> = townships.map((t, i) => {
    const count = Math.max(6, t.onPost + random.int(-2, 2))
    const villages = villageNames(random, count, takenVillageNames).map((name, v) => ({
      id: `${t.township}-v${String(v + 1).padStart(2, "0")}`,
      name,
      township: t.township
    }))
    return {
      township: t.township,
      name: t.name,
      station: stationOf(t.township),
      onPost: t.onPost,
      posts: t.posts,
      establishedOn: addDays("2021-04-06", i * 6 + random.int(0, 3)),
      villages,
      workers: [],
      openFrom: "9999-12-31"
    }
  })
  const stationByKey = new Map(stations.map((s) => [s.township, s]))
  const st = (township: TownshipKey) => stationByKey.get(township)!

  add(
    "2021-03-30",
    {
      _tag: "ConfigureCounty",
      name: "阳山县",
      townships: townships.map((t) => ({ township: t.township, name: t.name })) as [
        { township: string; name: string },
        ...Array<{ township: string; name: string }>
      ]
    },
    bureau,
    "configure-county",
    ["county"]
  )

  const workerActor = (w: Worker): Envelope.Actor => ({ id: w.id, role: "worker", station: w.station })
  const onPost = (s: StationModel, date: string): Array<Worker> =>
    s.workers.filter((w) => w.hiredOn <= date && (w.leftOn === undefined || w.leftOn >= date))
  const someWorker = (s: StationModel, date: string): Worker => {
    const here = onPost(s, date)
    if (here.length === 0) throw new Error(`no worker on post at ${s.station} on ${date}`)
    return random.pick(here)
  }

  let workerSeq = 0
  const hire = (s: StationModel, hiredOn: string): Worker => {
    workerSeq += 1
    const w: Worker = {
      id: `sw-${String(workerSeq).padStart(3, "0")}`,
      name: personName(random, "adult"),
      station: s.station,
      hiredOn,
      leftOn: undefined
    }
    s.workers.push(w)
    s.openFrom = minDate(s.openFrom, hiredOn)
    add(
      hiredOn,
      { _tag: "HireWorker", worker: w.id, name: w.name, station: s.station, hiredOn },
      bureau,
      `hire:${w.id}`,
      [`quota:${s.station}`, `worker:${w.id}`, `station:${s.township}`]
    )
    return w
  }

  for (const s of stations) {
    add(
      s.establishedOn,
      {
        _tag: "EstablishStation",
        township: s.township,
        station: s.station,
        name: stationNameOf(s.name),
        establishedOn: s.establishedOn
      },
      bureau,
      `establish:${s.township}`,
      [`station:${s.township}`]
    )
    // Posts at the start: those on post now, and the extra ones of workers who left without a successor.
    const extra = random.int(0, 2)
    const initial = s.onPost + extra
    add(
      s.establishedOn,
      { _tag: "AllotPosts", station: s.station, posts: initial, allottedOn: s.establishedOn },
      bureau,
      `allot:${s.station}:${s.establishedOn}`,
      [`quota:${s.station}`, `station:${s.township}`]
    )
    const first = Array.from({ length: initial }, () => hire(s, addDays(s.establishedOn, random.int(3, 45))))
    // Turnover: `extra + successors` workers leave; `successors` of them are replaced.
    const successors = random.int(0, 3)
    const leavers = random.sample(first, extra + successors)
    leavers.forEach((w, i) => {
      const latest = i < successors ? "2024-05-20" : "2024-06-30"
      const leftOn = addDays(w.hiredOn, random.int(200, Math.max(201, daysFrom(w.hiredOn, latest))))
      w.leftOn = minDate(leftOn, latest)
      add(
        w.leftOn,
        {
          _tag: "EndEmployment",
          worker: w.id,
          leftOn: w.leftOn,
          reason: random.chance(0.8) ? "Resigned" : "ContractEnded"
        },
        bureau,
        `leave:${w.id}`,
        [`worker:${w.id}`, `quota:${s.station}`]
      )
      if (i < successors) hire(s, minDate(addDays(w.leftOn, random.int(20, 60)), "2024-07-10"))
    })
    // Service points (社工点) in a few villages, once the station has staff.
    for (const v of random.sample(s.villages, 2)) {
      const openedOn = addDays(s.establishedOn, random.int(60, 240))
      add(
        openedOn,
        { _tag: "OpenServicePoint", township: s.township, village: v.id, name: `${v.name}社工点`, openedOn },
        bureau,
        `service-point:${v.id}`,
        [`station:${s.township}`]
      )
    }
  }

  // ---- households on file (建档) --------------------------------------------------------------------------

  const totalHouseholds = targets.householdsOnFile + targets.archived
  const perStation = apportion(
    totalHouseholds,
    stations.map((s) => s.onPost)
  )
  const households: Array<Household> = []
  const registrationPeriods: ReadonlyArray<readonly [readonly [string, string], number]> = [
    [["2021-06-01", "2021-12-31"], 35],
    [["2022-01-01", "2022-12-31"], 30],
    [["2023-01-01", "2023-12-31"], 25],
    [["2024-01-01", "2024-07-31"], 10]
  ]
  let personSeq = 0
  const newPerson = (name: string, birthDate: string, categories: ReadonlyArray<Category>): Person => {
    personSeq += 1
    return { id: `p-${String(personSeq).padStart(6, "0")}`, name, birthDate, categories }
  }
  const birth = (from: number, to: number) => addDays(`${random.int(from, to)}-01-01`, random.int(0, 364))

  stations.forEach((s, si) => {
    for (let n = 0; n < perStation[si]!; n++) {
      const [from, to] = random.weighted(registrationPeriods)
      const registeredOn = maxDate(addDays(from, random.int(0, daysFrom(from, to))), addDays(s.openFrom, 7))
      const kind = random.weighted(kinds)
      const surname = personName(random, "elder").slice(0, 1)
      const old = elderly.has(kind) || random.chance(0.4)
      const headCategories: Array<Category> = (() => {
        switch (kind) {
          case "dibao":
            return random.chance(0.1) ? ["MinimumSubsistence", "Disabled"] : ["MinimumSubsistence"]
          case "tekun":
            return ["ExtremePoverty"]
          case "alone":
            return random.chance(0.1) ? ["ElderlyLivingAlone", "MinimumSubsistence"] : ["ElderlyLivingAlone"]
          case "leftBehind":
            return ["LeftBehindElderly"]
          case "childInDifficulty":
            return ["PersonInDifficulty"]
          case "disabled":
            return ["Disabled"]
          case "difficulty":
            return ["PersonInDifficulty"]
          case "special":
            return ["SpecialGroup"]
        }
      })()
      const head = newPerson(
        personName(random, old ? "elder" : "adult", surname),
        old ? birth(1934, 1958) : birth(1962, 1990),
        headCategories
      )
      const child =
        kind === "leftBehind" || kind === "childInDifficulty"
          ? {
              ...newPerson(
                personName(random, "child", surname),
                birth(2009, 2019),
                kind === "leftBehind" ? ["LeftBehindChild"] : ["ChildInDifficulty"]
              ),
              relation: (kind === "leftBehind" || old ? "Grandchild" : "Child") as "Child" | "Grandchild"
            }
          : undefined
      households.push({
        id: `hh-${s.township}-${String(n + 1).padStart(5, "0")}`,
        station: s,
        village: random.pick(s.villages),
        kind,
        registeredOn: child === undefined ? registeredOn : maxDate(registeredOn, addDays(child.birthDate, 30)),
        head,
        child,
        archivedOn: undefined
      })
    }
  })

  const verifier = "yangshan-mzj"
  for (const h of households) {
    const w = someWorker(h.station, h.registeredOn)
    const actor = workerActor(w)
    const key = [`household:${h.id}`]
    const on = h.registeredOn
    add(
      on,
      {
        _tag: "RegisterHousehold",
        household: h.id,
        station: h.station.station,
        township: h.station.township,
        village: h.village.id,
        address: `阳山县${h.station.name}${h.village.name}${random.int(1, 120)}号`,
        head: { person: h.head.id, name: h.head.name, birthDate: h.head.birthDate },
        registeredOn: on
      },
      actor,
      `register:${h.id}`,
      key
    )
    for (const category of h.head.categories) {
      add(
        on,
        { _tag: "AssignCategory", household: h.id, person: h.head.id, category, verifiedBy: verifier, verifiedOn: on },
        actor,
        `category:${h.head.id}:${category}`,
        key
      )
    }
    if (h.child !== undefined) {
      const c = h.child
      add(
        on,
        {
          _tag: "AddMember",
          household: h.id,
          person: c.id,
          name: c.name,
          birthDate: c.birthDate,
          relation: c.relation,
          guardian: h.head.id
        },
        actor,
        `member:${c.id}`,
        key
      )
      add(
        on,
        {
          _tag: "AssignCategory",
          household: h.id,
          person: c.id,
          category: c.categories[0]!,
          verifiedBy: verifier,
          verifiedOn: on
        },
        actor,
        `category:${c.id}:${c.categories[0]}`,
        key
      )
      // A child's data is processed with the guardian's consent (PIPL art. 31): the head, an adult member.
      add(
        on,
        {
          _tag: "RecordConsent",
          household: h.id,
          person: c.id,
          scope: "DataProcessing",
          givenBy: h.head.id,
          givenOn: on
        },
        actor,
        `consent:${c.id}:DataProcessing`,
        key
      )
    }
  }

  // Files closed (moved away, no longer eligible, deceased): registered, then archived; nothing else happens to them.
  const archivable = households.filter((h) => h.registeredOn <= "2023-06-30")
  for (const h of random.sample(archivable, targets.archived)) {
    h.archivedOn = minDate(addDays(maxDate(h.registeredOn, "2023-01-01"), random.int(90, 500)), "2024-06-30")
    add(
      h.archivedOn,
      {
        _tag: "ArchiveHousehold",
        household: h.id,
        archivedOn: h.archivedOn,
        reason: random.pick(["迁居外地", "户主离世", "经复核不再符合救助条件"])
      },
      workerActor(someWorker(h.station, h.archivedOn)),
      `archive:${h.id}`,
      [`household:${h.id}`]
    )
  }
  const onFile = households.filter((h) => h.archivedOn === undefined)
  const onFileBy = (date: string) => onFile.filter((h) => h.registeredOn <= date)

  // ---- visits -------------------------------------------------------------------------------------------

  let visitSeq = 0
  const findings: Record<Kind, ReadonlyArray<string>> = {
    dibao: ["生活基本稳定，低保金按时发放", "家中收入来源少，需关注就业帮扶", "住房陈旧，已向村委反映"],
    tekun: ["供养待遇落实，身体状况一般", "行动不便，需定期上门探访", "生活自理能力下降，建议评估照护需求"],
    alone: ["独居，身体尚可，叮嘱注意用电安全", "独居，子女在外务工，情绪偶有低落", "独居，慢性病需按时服药"],
    leftBehind: [
      "祖孙二人居住，孩子学习情况良好",
      "留守老人身体尚可，孩子需加强安全教育",
      "孩子父母在外务工，已联系学校关注"
    ],
    childInDifficulty: ["孩子生活保障到位，需心理支持", "监护人照料能力有限，已链接助学资源", "孩子情况稳定，继续跟进"],
    disabled: ["残疾补贴已落实，需康复服务", "行动不便，已协助申请辅具", "生活基本稳定"],
    difficulty: ["家庭困难，已讲解救助政策", "因病致困，已链接医疗救助", "生活基本稳定，继续跟进"],
    special: ["情况稳定，保持联系", "需关注心理状况", "已讲解相关惠民政策"]
  }
  const visit = (
    h: Household,
    on: string,
    modality: "HomeVisit" | "Phone",
    persons: ReadonlyArray<Person>,
    extra: {
      readonly campaign?: string
      readonly itemsGiven?: ReadonlyArray<{ readonly item: string; readonly quantity: number }>
      readonly worker?: Worker
    } = {}
  ): { readonly id: string; readonly worker: Worker } => {
    if (on < h.registeredOn) throw new Error(`visit to ${h.id} on ${on} before it was registered`)
    if (h.archivedOn !== undefined) throw new Error(`visit to archived household ${h.id}`)
    visitSeq += 1
    const id = `visit-${String(visitSeq).padStart(6, "0")}`
    const worker = extra.worker ?? someWorker(h.station, on)
    add(
      on,
      {
        _tag: "RecordVisit",
        visit: id,
        household: h.id,
        station: h.station.station,
        worker: worker.id,
        visitedOn: on,
        personsSeen: persons.map((p) => p.id) as [string, ...Array<string>],
        modality,
        findings: modality === "Phone" ? "电话回访：近况平稳，已告知社工站联系方式" : random.pick(findings[h.kind]),
        needs: [],
        itemsGiven: (extra.itemsGiven ?? []).map((i) => ({ item: i.item, quantity: i.quantity })),
        ...(extra.campaign === undefined ? {} : { campaign: extra.campaign })
      },
      workerActor(worker),
      `visit:${id}`,
      [`visit:${id}`, `household:${h.id}`, `worker:${worker.id}`]
    )
    return { id, worker }
  }

  const inYear = (date: string) => date >= `${year}-01-01` && date <= asOf
  const reached = new Set<string>()
  const homeVisitedH1 = new Set<string>()
  const homeVisitedYtd = new Set<string>()
  const homeVisit = (h: Household, on: string, persons = recipientsOf(h), extra: Parameters<typeof visit>[4] = {}) => {
    const made = visit(h, on, "HomeVisit", persons, extra)
    if (inYear(on)) {
      homeVisitedYtd.add(h.id)
      if (on <= `${year}-06-30`) homeVisitedH1.add(h.id)
      for (const p of persons) reached.add(p.id)
    }
    return made
  }
  const dateIn = (from: string, to: string) => addDays(from, random.int(0, daysFrom(from, to)))

  // Last year's visits: outside every figure of this year.
  for (const h of random.sample(onFileBy("2023-08-31"), targets.visitsLastYear)) {
    homeVisit(h, dateIn(maxDate(h.registeredOn, "2023-09-01"), "2023-12-29"))
  }

  // ---- this year: the cold snap (寒冬送温暖, 送暖入户), late January ----------------------------------------------

  const launch = (
    campaign: string,
    kind: "ColdSnap" | "Flood",
    title: string,
    on: string,
    scope: typeof Relief.Events.CampaignScope.Encoded
  ) =>
    add(on, { _tag: "LaunchCampaign", campaign, kind, title, scope, launchedOn: on }, bureau, `launch:${campaign}`, [
      `campaign:${campaign}`
    ])
  const receive = (campaign: string, item: typeof Relief.Events.ReliefItem.Type, quantity: number, on: string) =>
    add(
      on,
      {
        _tag: "ReceiveSupplies",
        campaign,
        item,
        quantity,
        source: "阳山县民政局链接的爱心企业及慈善资源",
        receivedOn: on
      },
      bureau,
      `supplies:${campaign}:${item}`,
      [`campaign:${campaign}`]
    )
  const campaignVisit = (campaign: string, h: Household, p: Person, on: string, worker: Worker, visitId: string) => {
    reached.add(p.id)
    add(
      on,
      {
        _tag: "VisitRecipient",
        campaign,
        person: p.id,
        household: h.id,
        village: h.village.id,
        visitedOn: on,
        worker: worker.id,
        station: h.station.station,
        visit: visitId
      },
      workerActor(worker),
      `campaign-visit:${campaign}:${p.id}`,
      [`campaign:${campaign}`, `household:${h.id}`, `worker:${worker.id}`]
    )
  }
  const distribute = (
    campaign: string,
    h: Household,
    p: Person,
    item: typeof Relief.Events.ReliefItem.Type,
    quantity: number,
    on: string,
    worker: Worker
  ) => {
    reached.add(p.id)
    add(
      on,
      {
        _tag: "DistributeSupplies",
        campaign,
        item,
        quantity,
        person: p.id,
        household: h.id,
        village: h.village.id,
        distributedOn: on,
        worker: worker.id,
        station: h.station.station
      },
      workerActor(worker),
      `distribute:${campaign}:${p.id}:${item}`,
      [`campaign:${campaign}`, `household:${h.id}`, `worker:${worker.id}`]
    )
  }

  {
    const campaign = ids.coldSnap
    launch(campaign, "ColdSnap", "2024年寒冬送温暖·送暖入户", "2024-01-16", { _tag: "CountyWide" })
    receive(campaign, "WinterClothing", targets.coldGarments + 4, "2024-01-18")
    receive(campaign, "Quilt", targets.coldQuilts, "2024-01-18")
    const eligible = onFileBy("2024-01-21")
    const byVillage = new Map<string, Array<Household>>()
    for (const h of eligible) pushTo(byVillage, h.village.id, h)
    const villages = random.sample([...byVillage.keys()].sort(), targets.coldVillages)
    // One household per village first, so that every village counts, then more from the same villages.
    const chosen: Array<{ h: Household; persons: Array<Person> }> = []
    let persons = 0
    // (A scaled-down county may need more villages than the target to find enough recipients.)
    const others = random.shuffle([...byVillage.keys()].sort().filter((v) => !villages.includes(v)))
    const pool = [
      ...random.shuffle(villages.flatMap((v) => byVillage.get(v)!)),
      ...(scale < 1 ? others.flatMap((v) => byVillage.get(v)!) : [])
    ]
    const firsts = villages.map((v) => random.pick(byVillage.get(v)!))
    for (const h of [...firsts, ...pool.filter((h) => !firsts.includes(h))]) {
      if (persons >= targets.coldRecipients) break
      const take = recipientsOf(h).slice(0, targets.coldRecipients - persons)
      chosen.push({ h, persons: take })
      persons += take.length
    }
    if (persons !== targets.coldRecipients) throw new Error("not enough households for the cold snap")
    // Winter garments: most get one, a few two; one quilt to an elderly person living alone if there is one.
    const heads = chosen.map((c) => c.persons[0]!)
    const twice = Math.min(5, Math.floor(targets.coldGarments / 3))
    const garmentPersons = random.sample(heads, targets.coldGarments - twice)
    const garments = new Map(garmentPersons.map((p, i) => [p.id, i < twice ? 2 : 1]))
    const quiltTo =
      chosen.find((c) => c.h.kind === "alone" && !garments.has(c.persons[0]!.id))?.persons[0] ??
      heads[heads.length - 1]!
    for (const { h, persons: seen } of chosen) {
      const on = dateIn("2024-01-22", "2024-01-31")
      const head = seen[0]!
      const items = [
        ...(garments.has(head.id) ? [{ item: "防寒衣物", quantity: garments.get(head.id)! }] : []),
        ...(quiltTo.id === head.id ? [{ item: "棉被", quantity: 1 }] : [])
      ]
      const made = homeVisit(h, on, seen, { campaign, itemsGiven: items })
      for (const p of seen) campaignVisit(campaign, h, p, on, made.worker, made.id)
      if (garments.has(head.id))
        distribute(campaign, h, head, "WinterClothing", garments.get(head.id)!, on, made.worker)
      if (quiltTo.id === head.id) distribute(campaign, h, head, "Quilt", 1, on, made.worker)
    }
    add("2024-02-06", { _tag: "CloseCampaign", campaign, closedOn: "2024-02-06" }, bureau, `close:${campaign}`, [
      `campaign:${campaign}`
    ])
  }

  // ---- high-risk households: assessed, then visited every month of the first half --------------------------

  const highRisk = random.sample(
    onFileBy("2023-12-31").filter((h) => h.kind === "tekun" || h.kind === "alone" || h.kind === "childInDifficulty"),
    targets.highRisk
  )
  for (const h of highRisk) {
    const first = dateIn("2024-01-03", "2024-01-31")
    const made = homeVisit(h, first)
    add(
      first,
      { _tag: "AssessRisk", household: h.id, level: "High", assessedOn: first, assessedBy: made.worker.id },
      workerActor(made.worker),
      `risk:${h.id}:${first}`,
      [`household:${h.id}`]
    )
    for (let month = 2; month <= 6; month++) {
      const m = String(month).padStart(2, "0")
      homeVisit(h, dateIn(`2024-${m}-01`, `2024-${m}-27`))
    }
  }

  // ---- the flood (洪涝灾害, 灾后恢复及入户慰问), late April -----------------------------------------------------

  {
    const campaign = ids.flood
    const affected = (["yangcheng", "qigong", "qinglian", "libu", "jiangying", "xiaojiang", "dagang"] as const).map(st)
    launch(campaign, "Flood", "2024年4月洪涝灾害灾后恢复及入户慰问", "2024-04-20", {
      _tag: "Stations",
      stations: affected.map((s) => s.station) as [string, ...Array<string>]
    })
    const inArea = onFileBy("2024-04-19").filter((h) => affected.includes(h.station))
    // Relocation during the flood: some registered recipients, most other residents (受灾群众) not on file.
    const registered = Math.round(targets.floodRelocated * 0.35)
    const relocatedOnFile = random.sample(inArea, registered)
    for (let i = 0; i < targets.floodRelocated; i++) {
      const h = relocatedOnFile[i]
      const s = h?.station ?? random.pick(affected)
      const on = dateIn("2024-04-20", "2024-04-22")
      const worker = someWorker(s, on)
      const person = h?.head.id ?? `flood-p-${String(i + 1).padStart(4, "0")}`
      if (h !== undefined) reached.add(person)
      add(
        on,
        {
          _tag: "AssistRelocation",
          campaign,
          person,
          household: h?.id ?? `flood-hh-${String(i + 1).padStart(4, "0")}`,
          fromVillage: h?.village.id ?? random.pick(s.villages).id,
          toPlace: random.pick(["村委会临时安置点", "镇中心小学临时安置点", "投靠亲友"]),
          assistedOn: on,
          worker: worker.id,
          station: s.station
        },
        workerActor(worker),
        `relocate:${campaign}:${person}`,
        [`campaign:${campaign}`, `worker:${worker.id}`]
      )
    }
    receive(campaign, "DrinkingWater", targets.floodSupplied * 2 + 20, "2024-04-22")
    receive(campaign, "Food", targets.floodSupplied + 10, "2024-04-22")
    receive(campaign, "Disinfectant", targets.floodSupplied + 10, "2024-04-22")
    // After the water went down: visits to the recipients of the flooded townships.
    let persons = 0
    const supplied = new Set(random.sample(inArea, targets.floodSupplied * 3).map((h) => h.id))
    let suppliedCount = 0
    for (const h of random.shuffle(inArea)) {
      if (persons >= targets.floodVisited) break
      const seen = recipientsOf(h).slice(0, targets.floodVisited - persons)
      persons += seen.length
      const on = dateIn("2024-04-23", "2024-05-10")
      const supply = suppliedCount < targets.floodSupplied && supplied.has(h.id)
      const items = supply
        ? [
            { item: "饮用水", quantity: 2 },
            { item: "食品", quantity: 1 },
            { item: "消毒灭虫物资", quantity: 1 }
          ]
        : []
      const made = homeVisit(h, on, seen, { campaign, itemsGiven: items })
      for (const p of seen) campaignVisit(campaign, h, p, on, made.worker, made.id)
      if (supply) {
        suppliedCount += 1
        distribute(campaign, h, seen[0]!, "DrinkingWater", 2, on, made.worker)
        distribute(campaign, h, seen[0]!, "Food", 1, on, made.worker)
        distribute(campaign, h, seen[0]!, "Disinfectant", 1, on, made.worker)
      }
    }
    if (persons !== targets.floodVisited) throw new Error("not enough households for the flood visits")
    add("2024-05-20", { _tag: "CloseCampaign", campaign, closedOn: "2024-05-20" }, bureau, `close:${campaign}`, [
      `campaign:${campaign}`
    ])
  }

  // ---- home visits of the first half, then of July and August ---------------------------------------------

  {
    const candidates = random.shuffle(onFileBy("2024-06-27").filter((h) => !homeVisitedH1.has(h.id)))
    for (const h of candidates) {
      if (homeVisitedH1.size >= targets.visitedH1) break
      homeVisit(h, dateIn(maxDate(h.registeredOn, "2024-01-02"), "2024-06-28"))
    }
    if (homeVisitedH1.size !== targets.visitedH1) throw new Error("not enough households for the first half's visits")
    // Summer: first visits to new files and to households with children (防溺水 每到一户), then revisits.
    const notYet = onFile.filter((h) => !homeVisitedH1.has(h.id))
    const firstSummer = [
      ...random.shuffle(notYet.filter((h) => h.registeredOn >= "2024-06-01")),
      ...random.shuffle(notYet.filter((h) => h.registeredOn < "2024-06-01" && h.child !== undefined)),
      ...random.shuffle(notYet.filter((h) => h.registeredOn < "2024-06-01" && h.child === undefined))
    ]
    for (const h of firstSummer) {
      if (homeVisitedYtd.size >= targets.visitedYtd) break
      homeVisit(h, dateIn(maxDate(h.registeredOn, "2024-07-01"), "2024-08-07"))
    }
    if (homeVisitedYtd.size !== targets.visitedYtd) throw new Error("not enough households for the summer visits")
    const visitedBefore = onFile.filter((h) => homeVisitedH1.has(h.id))
    const revisits = [
      ...random.shuffle(visitedBefore.filter((h) => h.child !== undefined)),
      ...random.shuffle(visitedBefore.filter((h) => h.child === undefined))
    ].slice(0, targets.revisitsSummer)
    for (const h of revisits) homeVisit(h, dateIn("2024-07-01", "2024-08-07"))
  }

  // ---- activities --------------------------------------------------------------------------------------

  type Theme = typeof Activities.Events.ActivityTheme.Type
  const themeTitles: Record<Theme, ReadonlyArray<string>> = {
    Lecture: ["惠老政策知识讲座", "防诈骗知识讲座", "健康养生讲座"],
    ClassMeeting: ["“珍爱生命 预防溺水”主题班会", "安全教育主题班会"],
    Reading: ["“快乐阅读”亲子读书会", "四点半课堂·读书分享"],
    Painting: ["童心绘画小课堂", "“我的家乡”绘画活动"],
    Crafts: ["新春手工剪纸活动", "手工小课堂"],
    Performance: ["迎新春文艺汇演", "敬老文艺表演"],
    DrowningPrevention: ["暑期关爱留守困境儿童·防溺水安全宣传", "防溺水安全知识进村入户宣传"],
    TreePlanting: ["植树护绿志愿活动"],
    FarmingHelp: ["助耕助农·春耕帮扶", "助耕助农·抢收帮扶"],
    PolicyPublicity: ["民政惠民政策宣传", "社会救助政策进村宣传"],
    Other: ["清洁家园志愿活动", "文明劝导志愿服务"]
  }
  const themesOf = (month: number): ReadonlyArray<Theme> => {
    if (month <= 2) return ["Crafts", "Performance", "PolicyPublicity", "Lecture", "Reading"]
    if (month === 3) return ["TreePlanting", "FarmingHelp", "Lecture", "PolicyPublicity", "Reading", "Other"]
    if (month <= 5) return ["FarmingHelp", "Lecture", "PolicyPublicity", "Painting", "Reading", "Other"]
    return ["DrowningPrevention", "ClassMeeting", "Reading", "Painting", "Crafts", "Lecture"]
  }
  const forChildren = new Set<Theme>(["ClassMeeting", "Reading", "Painting", "Crafts", "DrowningPrevention"])
  const children = new Map<string, Array<{ h: Household; p: Person }>>()
  const adults = new Map<string, Array<{ h: Household; p: Person }>>()
  for (const h of onFile) {
    pushTo(adults, h.station.station, { h, p: h.head })
    if (h.child !== undefined) pushTo(children, h.station.station, { h, p: h.child })
  }
  // Named participants: recipients on file that day, those social work has not reached yet this year first.
  const participantsFor = (s: StationModel, theme: Theme, heldOn: string, n: number): Array<string> => {
    const pools = (
      forChildren.has(theme)
        ? [children.get(s.station) ?? [], adults.get(s.station) ?? []]
        : [adults.get(s.station) ?? []]
    ).map((pool) => pool.filter((x) => x.h.registeredOn <= heldOn))
    // Children and, for children's activities, the grandparents and parents who bring them.
    const fresh = pools.map((pool) =>
      random.sample(
        pool.filter((x) => !reached.has(x.p.id)),
        n
      )
    )
    const any = pools.map((pool) => random.sample(pool, n))
    const out: Array<string> = []
    const taken = new Set<string>()
    for (const x of [...fresh.flat(), ...any.flat()]) {
      if (out.length >= n) break
      if (taken.has(x.p.id)) continue
      taken.add(x.p.id)
      out.push(x.p.id)
    }
    return out
  }
  let activitySeq = 0
  const activity = (
    s: StationModel,
    theme: Theme,
    heldOn: string,
    personTimes: number,
    what: "held" | "cancelled" | "ahead"
  ) => {
    activitySeq += 1
    const id = `act-${String(activitySeq).padStart(5, "0")}`
    const plannedOn = what === "ahead" ? addDays(asOf, -random.int(1, 6)) : addDays(heldOn, -random.int(5, 14))
    const worker = someWorker(s, plannedOn)
    const actor = workerActor(worker)
    add(
      plannedOn,
      {
        _tag: "PlanActivity",
        activity: id,
        station: s.station,
        theme,
        title: `${s.name}${random.pick(themeTitles[theme])}`,
        plannedOn,
        scheduledFor: heldOn
      },
      actor,
      `plan:${id}`,
      [`activity:${id}`]
    )
    if (what === "ahead") return
    if (what === "cancelled") {
      add(
        maxDate(plannedOn, "2024-04-20"),
        { _tag: "CancelActivity", activity: id, reason: "受暴雨洪涝影响取消" },
        actor,
        `cancel:${id}`,
        [`activity:${id}`]
      )
      return
    }
    const farming = theme === "FarmingHelp"
    // Most who come are recipients on the station's sign-in sheet (签到表); the rest are counted only.
    const named = farming ? personTimes : Math.floor(personTimes * (0.75 + random.float() * 0.25))
    const participants = participantsFor(s, theme, heldOn, named)
    if (inYear(heldOn)) for (const p of participants) reached.add(p)
    const headcount = farming && participants.length === personTimes ? undefined : personTimes
    add(
      heldOn,
      {
        _tag: "RecordActivity",
        activity: id,
        heldOn,
        participants,
        ...(headcount === undefined ? {} : { headcount })
      },
      workerActor(someWorker(s, heldOn)),
      `hold:${id}`,
      [`activity:${id}`]
    )
  }
  const stationWeights = stations.map((s) => s.onPost)
  // Last year's activities: not this year's figures.
  apportion(targets.activitiesLastYear, stationWeights).forEach((n, si) => {
    for (let i = 0; i < n; i++) {
      const heldOn = dateIn("2023-03-01", "2023-12-28")
      activity(stations[si]!, random.pick(themesOf(Number(heldOn.slice(5, 7)))), heldOn, random.int(8, 40), "held")
    }
  })
  // This year's: `activities` held with `personTimes` in all (人次), a few cancelled, a few still ahead.
  {
    const perStationCount = apportion(targets.activities, stationWeights)
    const held: Array<{ s: StationModel; heldOn: string; theme: Theme }> = []
    perStationCount.forEach((n, si) => {
      for (let i = 0; i < n; i++) {
        const heldOn = dateIn("2024-01-06", "2024-08-07")
        held.push({ s: stations[si]!, heldOn, theme: random.pick(themesOf(Number(heldOn.slice(5, 7)))) })
      }
    })
    held.sort((a, b) => (a.heldOn < b.heldOn ? -1 : a.heldOn > b.heldOn ? 1 : 0))
    const sizes = apportion(
      targets.personTimes,
      held.map((a) => (a.theme === "FarmingHelp" ? random.int(3, 8) : random.int(10, 40)))
    )
    held.forEach((a, i) => {
      activity(a.s, a.theme, a.heldOn, Math.max(1, sizes[i]!), "held")
    })
    for (const s of random.sample(stations, 6)) activity(s, "PolicyPublicity", "2024-04-21", 20, "cancelled")
    for (const s of random.sample(stations, 5)) activity(s, "DrowningPrevention", "2024-08-16", 30, "ahead")
  }

  // ---- casework ---------------------------------------------------------------------------------------

  type CaseType = typeof CaseworkTypes.Events.CaseType.Type
  type Service = typeof CaseworkTypes.Events.ServiceType.Type
  /** The case types a recipient's case may have: one, or two for a household in difficulty. */
  const caseTypesOf = (h: Household, p: Person): ReadonlyArray<CaseType> => {
    if (p !== h.head) return ["ChildWelfare"]
    switch (h.kind) {
      case "tekun":
      case "alone":
      case "leftBehind":
        return ["ElderlyCare"]
      case "disabled":
        return ["Disability"]
      case "dibao":
        return ["SocialAssistance"]
      case "childInDifficulty":
      case "difficulty":
        return ["FamilyRelations", "SocialAssistance"]
      case "special":
        return ["MentalHealth"]
    }
  }
  const caseTypeOf = (h: Household, p: Person): CaseType => {
    const types = caseTypesOf(h, p)
    return types.length === 1 ? types[0]! : random.pick(types)
  }
  const servicesOf: Record<CaseType, ReadonlyArray<Service>> = {
    ChildWelfare: ["PsychosocialSupport", "ResourceLinking", "CapacityBuilding"],
    ElderlyCare: ["PolicyGuidance", "ResourceLinking", "PsychosocialSupport"],
    Disability: ["SocialRehabilitation", "ResourceLinking", "PolicyGuidance"],
    SocialAssistance: ["PolicyGuidance", "ResourceLinking", "CapacityBuilding"],
    FamilyRelations: ["PsychosocialSupport", "CapacityBuilding"],
    MentalHealth: ["PsychosocialSupport", "ResourceLinking"],
    Other: ["PolicyGuidance"]
  }
  const usedCases = new Set<string>()
  interface CaseFile {
    readonly id: string
    readonly h: Household
    readonly p: Person
    readonly type: CaseType
    readonly openedOn: string
    readonly worker: Worker
  }
  const caseStep = (c: CaseFile, on: string, command: Command, name: string, keys: ReadonlyArray<string> = []) =>
    add(on, command, workerActor(c.worker), `case:${c.id}:${name}`, [
      `case:${c.id}`,
      `household:${c.h.id}`,
      `worker:${c.worker.id}`,
      ...keys
    ])

  /** Opens a case and takes it through assessment, plan and services; closes it on `closeOn` if given. */
  const runCase = (
    c: CaseFile,
    openedOn: string,
    options: {
      readonly closeOn?: string
      readonly crisis?: boolean
      readonly referral?: boolean
      readonly round?: number
    } = {}
  ) => {
    const round = options.round ?? 1
    const tag = round === 1 ? "" : `:r${round}`
    const last = options.closeOn === undefined ? asOf : addDays(options.closeOn, -3)
    const until = (d: string) => d <= last
    if (inYear(openedOn) || (options.closeOn ?? asOf) >= `${year}-01-01`) reached.add(c.p.id)
    caseStep(
      c,
      openedOn,
      {
        _tag: "OpenCase",
        person: c.p.id,
        household: c.h.id,
        station: c.h.station.station,
        worker: c.worker.id,
        caseType: c.type,
        riskLevel: options.crisis === true ? "High" : random.pick(["Low", "Medium", "Medium"]),
        openedOn
      },
      `open${tag}`
    )
    const assessedOn = addDays(openedOn, random.int(1, 3))
    if (!until(assessedOn)) return
    caseStep(
      c,
      assessedOn,
      {
        _tag: "RecordAssessment",
        case: c.id,
        needs: ["生活照料与政策落实", "情绪与社会支持"],
        riskLevel: "Medium",
        assessedOn
      },
      `assess${tag}`
    )
    const plannedOn = addDays(assessedOn, random.int(1, 4))
    if (!until(plannedOn)) return
    const services = random.sample(servicesOf[c.type], random.int(1, servicesOf[c.type].length))
    const planned: Array<Service> = options.crisis === true ? ["CrisisIntervention", ...services] : services
    caseStep(
      c,
      plannedOn,
      {
        _tag: "RecordPlan",
        case: c.id,
        goals: ["改善基本生活状况", "增强社会支持网络"],
        services: planned as [Service, ...Array<Service>],
        plannedOn
      },
      `plan${tag}`
    )
    let on = plannedOn
    planned.forEach((service, i) => {
      const deliveredOn = addDays(on, random.int(1, 5))
      if (!until(deliveredOn)) return
      on = deliveredOn
      caseStep(
        c,
        on,
        { _tag: "DeliverService", case: c.id, service, deliveredOn: on, notes: "" },
        `service${tag}:${i + 1}`
      )
      if (service === "CrisisIntervention") {
        const followedUpOn = addDays(on, 2)
        if (until(followedUpOn)) {
          on = followedUpOn
          caseStep(
            c,
            followedUpOn,
            { _tag: "RecordFollowUp", case: c.id, followedUpOn, notes: "危机干预后跟进，情况稳定" },
            `follow-up${tag}`
          )
        }
      }
    })
    if (options.referral === true && until(addDays(on, 4))) {
      const consentOn = addDays(on, 1)
      const referredOn = addDays(on, 2)
      const givenBy = c.p === c.h.head ? c.p.id : c.h.head.id
      add(
        consentOn,
        { _tag: "RecordConsent", household: c.h.id, person: c.p.id, scope: "Referral", givenBy, givenOn: consentOn },
        workerActor(c.worker),
        `consent:${c.p.id}:Referral`,
        [`household:${c.h.id}`]
      )
      const referral = `${c.id}-ref`
      caseStep(
        c,
        referredOn,
        {
          _tag: "MakeReferral",
          case: c.id,
          referral,
          organisation: random.pick(["阳山县残疾人联合会", "阳山县人民医院", "阳山县妇女联合会"]),
          reason: "需专业机构跟进服务",
          referredOn
        },
        `refer${tag}`,
        [`household:${c.h.id}`]
      )
      on = addDays(referredOn, 2)
      caseStep(c, on, { _tag: "AcceptReferral", case: c.id, referral, acceptedOn: on }, `referral-accepted${tag}`)
    }
    if (options.closeOn !== undefined) {
      const evaluatedOn = maxDate(addDays(options.closeOn, -2), on)
      caseStep(
        c,
        evaluatedOn,
        { _tag: "RecordEvaluation", case: c.id, outcome: "GoalsAchieved", evaluatedOn, notes: "服务目标基本达成" },
        `evaluate${tag}`
      )
      const closedOn = maxDate(options.closeOn, evaluatedOn)
      caseStep(
        c,
        closedOn,
        { _tag: "CloseCase", case: c.id, reason: "GoalsAchieved", closedOn, notes: "结案" },
        `close${tag}`
      )
    }
  }
  /**
   * A case file for a recipient on file for a month at least, in the charge of a worker on post that day;
   * undefined when every such recipient has each case they may have (a small county runs out).
   */
  const newCaseFile = (openedOn: string): CaseFile | undefined => {
    const registeredBy = addDays(openedOn, -30)
    // Whether anyone is left to pick: asked only after many misses, so a full county never pays for it.
    const anyLeft = () =>
      onFile.some(
        (h) =>
          h.registeredOn <= registeredBy &&
          [h.head, ...(h.child === undefined ? [] : [h.child])].some((p) =>
            caseTypesOf(h, p).some((type) => !usedCases.has(Casework.caseIdOf(p.id as Shared.PersonId, type)))
          )
      )
    for (let misses = 0; ; misses++) {
      if (misses === 1_000 && !anyLeft()) return undefined
      const h = random.pick(onFile)
      if (h.registeredOn > registeredBy) continue
      const p = h.child !== undefined && random.chance(0.5) ? h.child : h.head
      const type = caseTypeOf(h, p)
      const id = Casework.caseIdOf(p.id as Shared.PersonId, type)
      if (usedCases.has(id)) continue
      usedCases.add(id)
      return { id, h, p, type, openedOn, worker: someWorker(h.station, openedOn) }
    }
  }
  const history: Array<{ c: CaseFile; closedOn: string }> = []
  // Cases of earlier years, all closed by the end of last year.
  for (let i = 0; i < 30; i++) {
    const openedOn = dateIn("2022-03-01", "2023-05-31")
    const c = newCaseFile(openedOn)
    if (c === undefined) continue
    const closedOn = addDays(openedOn, random.int(60, 180))
    runCase(c, openedOn, { closeOn: closedOn })
    history.push({ c, closedOn })
  }
  // Cases carried into this year: 75 open on 31 December; 17 closed in the first half, 1 of them reopened.
  const carried: Array<CaseFile> = []
  for (let i = 0; i < 75; i++) {
    const openedOn = dateIn("2023-04-01", "2023-12-20")
    const c = newCaseFile(openedOn)
    if (c === undefined) continue
    carried.push(c)
    const closeOn = i < 17 ? dateIn("2024-02-01", "2024-06-20") : undefined
    runCase(c, openedOn, closeOn === undefined ? {} : { closeOn })
    if (i === 0 && closeOn !== undefined) {
      const reopenedOn = dateIn(maxDate(addDays(closeOn, 3), "2024-05-01"), "2024-06-25")
      caseStep(c, reopenedOn, { _tag: "ReopenCase", case: c.id, reason: "情况反复，重新跟进", reopenedOn }, "reopen")
    }
  }
  // New cases of the first half (新增服务个案): 68, 9 of them closed by 30 June; one for a recipient whose
  // earlier case of the same type was closed (a new case on the same file), three crises, four referrals.
  const newThisHalf: Array<CaseFile> = []
  for (let i = 0; i < 68; i++) {
    const closes = i < 9
    const openedOn = closes ? dateIn("2024-01-08", "2024-04-30") : dateIn("2024-01-08", "2024-06-25")
    const again = i === 10 ? history.find((x) => x.closedOn < openedOn) : undefined
    const c =
      again !== undefined
        ? { ...again.c, openedOn, worker: someWorker(again.c.h.station, openedOn) }
        : newCaseFile(openedOn)
    if (c === undefined) continue
    newThisHalf.push(c)
    runCase(c, openedOn, {
      ...(closes ? { closeOn: dateIn(addDays(openedOn, 30), "2024-06-28") } : {}),
      crisis: i >= 20 && i < 23,
      referral: i >= 30 && i < 34,
      round: again !== undefined ? 2 : 1
    })
  }
  // July and August: new cases and closings after the first half (outside F14 and F15).
  for (let i = 0; i < 11; i++) {
    const openedOn = dateIn("2024-07-01", "2024-08-05")
    const c = newCaseFile(openedOn)
    if (c !== undefined) runCase(c, openedOn)
  }
  const openInJuly = [
    ...carried.slice(40, 42),
    ...newThisHalf
      .slice(34)
      .filter((c) => c.openedOn <= "2024-05-31")
      .slice(-2)
  ]
  for (const c of openInJuly) {
    const evaluatedOn = dateIn("2024-07-15", "2024-07-25")
    caseStep(
      c,
      evaluatedOn,
      { _tag: "RecordEvaluation", case: c.id, outcome: "PartlyAchieved", evaluatedOn, notes: "阶段目标达成" },
      "evaluate-july"
    )
    const closedOn = addDays(evaluatedOn, 3)
    caseStep(
      c,
      closedOn,
      { _tag: "CloseCase", case: c.id, reason: "GoalsAchieved", closedOn, notes: "结案" },
      "close-july"
    )
  }

  // ---- training, exchange visits, publicity ---------------------------------------------------------------

  const workersOn = (date: string, from: ReadonlyArray<StationModel> = stations) => from.flatMap((s) => onPost(s, date))
  const course = (
    id: string,
    kind: "ProfessionalCapacity" | "ChildWelfare",
    title: string,
    heldOn: string,
    n?: number
  ) => {
    const all = workersOn(heldOn)
    const attendees = (n === undefined ? all : random.sample(all, n)).map((w) => w.id)
    add(
      heldOn,
      { _tag: "RecordCourse", course: id, kind, title, heldOn, attendees: attendees as [string, ...Array<string>] },
      bureau,
      `course:${id}`,
      [`course:${id}`, ...attendees.map((w) => `worker:${w}`)]
    )
  }
  const exchange = (
    id: string,
    heldOn: string,
    host: TownshipKey,
    visiting: ReadonlyArray<TownshipKey>,
    perStation: ReadonlyArray<number>
  ) => {
    const taking = [host, ...visiting].map(st)
    const participants = taking.flatMap((s, i) => random.sample(onPost(s, heldOn), perStation[i]!)).map((w) => w.id)
    add(
      heldOn,
      {
        _tag: "RecordExchangeVisit",
        exchangeVisit: id,
        host: st(host).station,
        visiting: visiting.map((v) => st(v).station) as [string, ...Array<string>],
        participants: participants as [string, ...Array<string>],
        heldOn
      },
      bureau,
      `exchange:${id}`,
      [`exchange:${id}`, ...participants.map((w) => `worker:${w}`)]
    )
  }
  const print = (
    id: string,
    kind: "Brochure" | "Leaflet" | "TvShort",
    title: string,
    quantity: number,
    printedOn: string
  ) =>
    add(
      printedOn,
      { _tag: "RecordPrintRun", printRun: id, kind, title, quantity, printedOn, scope: { _tag: "CountyWide" } },
      bureau,
      `print:${id}`,
      [`print:${id}`]
    )

  exchange("ev-2022-06-yangcheng", "2022-06-16", "yangcheng", ["qigong", "taiping", "dubu"], [5, 4, 4, 3])
  exchange("ev-2022-11-libu", "2022-11-17", "libu", ["xiaojiang", "jiangying", "yangmei"], [5, 4, 4, 4])
  // 去年2月: 阳城镇, 岭背镇, 青莲镇, 秤架瑶族乡 and 大岗镇 to 黄盆镇 — 6 stations, 25 workers.
  exchange(
    ids.exchangeVisitHuangpen,
    "2023-02-23",
    "huangpen",
    ["yangcheng", "lingbei", "qinglian", "chengjia", "dagang"],
    [5, 4, 4, 4, 4, 4]
  )
  exchange("ev-2024-05-qigong", "2024-05-16", "qigong", ["jiangying", "libu", "xiaojiang"], [5, 3, 4, 3])

  // 去年7月5日、11月9日: two professional-capacity courses, 74 attendances; 去年8月 the child-welfare course for all.
  course(
    "course-2023-07-05",
    "ProfessionalCapacity",
    "阳山县“双百工程”社工专业能力提升培训班（第一期）",
    "2023-07-05",
    38
  )
  course("course-2023-08-child", "ChildWelfare", "阳山县儿童福利保障和未成年人保护工作培训班", "2023-08-24")
  course(
    "course-2023-11-09",
    "ProfessionalCapacity",
    "阳山县“双百工程”社工专业能力提升培训班（第二期）",
    "2023-11-09",
    36
  )
  course("course-2024-03-14", "ProfessionalCapacity", "2024年阳山县“双百”社工专业能力提升培训班", "2024-03-14", 40)

  // 去年7月: 10,000 brochures for the stations; leaflets and a TV short besides.
  print("print-2023-07-brochure", "Brochure", "阳山县各乡镇社工站宣传手册", 10_000, "2023-07-20")
  print("print-2023-07-leaflet", "Leaflet", "社工站宣传单张", 6_000, "2023-07-20")
  print("print-2023-10-tv", "TvShort", "“双百”社工站宣传短片（县电视台播出）", 1, "2023-10-12")

  // ---- posts and recruitment (近期): 196 posts, 142 on post, 54 to recruit -----------------------------------

  for (const s of stations) {
    add(
      "2024-07-15",
      { _tag: "AllotPosts", station: s.station, posts: s.posts, allottedOn: "2024-07-15" },
      bureau,
      `allot:${s.station}:2024-07-15`,
      [`quota:${s.station}`, `station:${s.township}`]
    )
  }
  {
    const drive = ids.drive
    const vacancies = stations.reduce((n, s) => n + s.posts - s.onPost, 0)
    add(
      "2024-07-24",
      {
        _tag: "OpenDrive",
        drive,
        title: "2024年清远市“双百工程”社工招聘（阳山县岗位）",
        vacancies,
        stations: stations.filter((s) => s.posts > s.onPost).map((s) => s.station) as [string, ...Array<string>],
        opensOn: "2024-07-25",
        closesOn: "2024-08-04"
      },
      bureau,
      `open:${drive}`,
      [`drive:${drive}`]
    )
    // More applications each day towards the deadline (截至8月4日).
    const days = Array.from({ length: 11 }, (_, i) => addDays("2024-07-25", i))
    const perDay = apportion(
      targets.applicants,
      days.map((_, i) => 1 + i * 0.6)
    )
    const applicants: Array<string> = []
    days.forEach((receivedOn, d) => {
      for (let i = 0; i < perDay[d]!; i++) {
        const applicant = `applicant-${String(applicants.length + 1).padStart(4, "0")}`
        applicants.push(applicant)
        add(
          receivedOn,
          { _tag: "ReceiveApplication", drive, applicant, name: personName(random, "adult"), receivedOn },
          bureau,
          `apply:${drive}:${applicant}`,
          [`drive:${drive}`]
        )
      }
    })
    // 资格审查 after the window closed: some turned away.
    for (const applicant of random.sample(applicants, targets.rejected)) {
      const rejectedOn = dateIn("2024-08-05", "2024-08-07")
      add(
        rejectedOn,
        {
          _tag: "RejectApplicant",
          drive,
          applicant,
          reason: "NotEligible",
          rejectedOn,
          note: "不符合报考资格条件"
        },
        bureau,
        `reject:${drive}:${applicant}`,
        [`drive:${drive}`]
      )
    }
  }

  // ---- follow-up calls (跟踪回访): every recipient on file not otherwise reached this year ----------------------

  for (const h of onFile) {
    const missed = recipientsOf(h).filter((p) => !reached.has(p.id))
    if (missed.length === 0) continue
    const on = dateIn(maxDate(h.registeredOn, "2024-01-03"), "2024-08-07")
    visit(h, on, "Phone", missed)
    for (const p of missed) reached.add(p.id)
  }

  // Time order; ties keep the order above (a household's file before its visits, a case's steps in order).
  const ordered = steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => (a.step.on < b.step.on ? -1 : a.step.on > b.step.on ? 1 : a.i - b.i))
    .map((x) => x.step)
  return { scale, steps: ordered, targets }
}
