// A county's event log for the replay benchmark, written once as JSON lines (one StoredEvent per line, the
// envelope and an encoded payload, as `readAll` returns them). A seeded simulation of Yangshan-like work:
// 13 townships with their stations and service points, posts and workers, households registered with
// members, categories, consents and risk; home visits scheduled, conducted, skipped, amended, voided;
// activities; cases through their stages; relief campaigns; recruitment drives; courses, exchange visits
// and print runs. Streams interleave as concurrent work does; business days advance with the log.

import { once } from "node:events"
import { createWriteStream } from "node:fs"

/** A seeded PRNG (mulberry32): the same log for the same seed and size, on every machine. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Data = Record<string, unknown>

interface Emitted {
  readonly category: string
  readonly id: string
  readonly type: string
  readonly data: Data
  readonly subjects: ReadonlyArray<string>
}

/** One aggregate's life, told an event at a time; `undefined` when it has nothing more to say. */
type Story = () => Emitted | undefined

export interface Workload {
  readonly path: string
  readonly events: number
  readonly bytes: number
  readonly byContext: ReadonlyMap<string, number>
  readonly firstDay: string
  /** The last business day of the log: "now" for the dashboard. */
  readonly lastDay: string
  /** The business day of the event at each position asked for in `marks`. */
  readonly dayAt: ReadonlyMap<number, string>
}

const surnames = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
]
const given = [..."秀英桂兰玉珍凤芳丽华明志强伟军建国平春梅红霞海燕永福德文金山水生小娟晓东新民"]
const townshipNames = [
  "阳城镇",
  "岭背镇",
  "青莲镇",
  "秤架瑶族乡",
  "大岗镇",
  "黄盆镇",
  "七拱镇",
  "杜步镇",
  "太平镇",
  "江英镇",
  "小江镇",
  "黎埠镇",
  "杨梅镇"
]
const findings = [
  "老人独居，身体状况尚可，家中有基本生活物资，已提醒注意防寒保暖。",
  "儿童由祖父母照顾，学习情况一般，需要课业辅导和心理支持。",
  "家庭经济困难，已告知低保申请流程并协助准备材料。",
  "服务对象行动不便，需要康复辅具，已链接残联资源。",
  "房屋漏雨，已反映至村委会并跟进维修进度。",
  "情绪低落，有孤独感，约定下周电话回访。"
]
const needsPool = ["生活照料", "医疗保障", "心理疏导", "课业辅导", "政策咨询", "康复服务", "住房修缮", "就业帮扶"]
const themes = [
  "Lecture",
  "ClassMeeting",
  "Reading",
  "Painting",
  "Crafts",
  "Performance",
  "DrowningPrevention",
  "TreePlanting",
  "FarmingHelp",
  "PolicyPublicity",
  "Other"
]
const categories = [
  "MinimumSubsistence",
  "ExtremePoverty",
  "ChildInDifficulty",
  "LeftBehindChild",
  "ElderlyLivingAlone",
  "LeftBehindElderly",
  "Disabled",
  "PersonInDifficulty",
  "SpecialGroup"
]
const caseTypes = ["ChildWelfare", "ElderlyCare", "Disability", "SocialAssistance", "FamilyRelations", "MentalHealth"]
const services = [
  "PolicyGuidance",
  "ResourceLinking",
  "PsychosocialSupport",
  "SocialRehabilitation",
  "CapacityBuilding",
  "CrisisIntervention"
]

const pad = (n: number, width: number) => String(n).padStart(width, "0")

const dayOf = (start: number, day: number) => new Date(start + day * 86_400_000).toISOString().slice(0, 10)

/** Writes `events` stored events to `path`, one JSON line each. */
export const generate = async (
  events: number,
  path: string,
  marks: ReadonlyArray<number> = [],
  seed = 20_240_804
): Promise<Workload> => {
  const random = prng(seed)
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!
  const chance = (p: number) => random() < p
  const hex = (length: number) => {
    let s = ""
    while (s.length < length)
      s += Math.floor(random() * 0x100000000)
        .toString(16)
        .padStart(8, "0")
    return s.slice(0, length)
  }
  const nameOf = () => pick(surnames) + pick(given) + (chance(0.6) ? pick(given) : "")

  // Business time: about 250 events a day, from 1 January 2021.
  const start = Date.UTC(2021, 0, 1)
  const perDay = 250
  let step = 0
  const today = () => dayOf(start, Math.floor(step / perDay))
  const birth = (minAge: number, maxAge: number) => dayOf(Date.UTC(2021 - int(minAge, maxAge), 0, 1), int(0, 364))

  // ---- the county as it stands (what later stories refer to) ----
  const townships = townshipNames.map((name, i) => ({
    township: `tw-${pad(i + 1, 2)}`,
    station: `st-${pad(i + 1, 2)}`,
    name,
    villages: Array.from({ length: 12 }, (_, v) => `vil-${pad(i + 1, 2)}-${pad(v + 1, 2)}`)
  }))
  const workers: Array<{ worker: string; station: string }> = []
  interface Household {
    readonly household: string
    readonly station: string
    readonly village: string
    readonly persons: Array<string>
  }
  const households: Array<Household> = []
  let householdSeq = 0
  let visitSeq = 0
  let activitySeq = 0
  let campaignSeq = 0
  let driveSeq = 0
  let workerSeq = 0
  let trainingSeq = 0

  const anyWorker = () => (workers.length > 0 ? pick(workers) : { worker: "w-0001", station: townships[0]!.station })
  const anyHousehold = () => households[Math.floor(random() * households.length)]!

  // ---- stories -----------------------------------------------------------------------------------
  type Step = () => Emitted | ReadonlyArray<Emitted> | undefined
  /** A story from its steps (made when it first speaks); a step says one event, several or none. */
  const story = (make: () => ReadonlyArray<Step>): Story => {
    let pending: Array<Emitted> = []
    let index = 0
    let steps: ReadonlyArray<Step> | undefined
    return () => {
      steps ??= make()
      while (pending.length === 0 && index < steps.length) {
        const out = steps[index++]!()
        if (out === undefined) continue
        pending = Array.isArray(out) ? [...out] : [out as Emitted]
      }
      return pending.shift()
    }
  }

  const countyStory = (): Story =>
    story(() => [
      () => ({
        category: "county",
        id: "settings",
        type: "CountyConfigured",
        data: { name: "阳山县", townships: townships.map((t) => ({ township: t.township, name: t.name })) },
        subjects: []
      }),
      ...townships.map((t) => () => [
        {
          category: "station",
          id: t.township,
          type: "StationEstablished",
          data: { township: t.township, station: t.station, name: `${t.name}社工站`, establishedOn: today() },
          subjects: []
        },
        ...t.villages.slice(0, 4).map((village, v) => ({
          category: "station",
          id: t.township,
          type: "ServicePointOpened",
          data: {
            township: t.township,
            station: t.station,
            village,
            name: `${t.name}第${v + 1}社工点`,
            openedOn: today()
          },
          subjects: []
        }))
      ]),
      ...townships.map((t) => () => ({
        category: "post-quota",
        id: t.station,
        type: "PostsAllotted",
        data: { station: t.station, posts: 15, allottedOn: today() },
        subjects: []
      }))
    ])

  const workerStory = (drive?: string, worker = `w-${pad(++workerSeq, 4)}`): Story => {
    const station = pick(townships).station
    const name = nameOf()
    return story(() => [
      () => ({
        category: "post-quota",
        id: station,
        type: "PostFilled",
        data: { station, worker, filledOn: today() },
        subjects: [worker]
      }),
      () => {
        workers.push({ worker, station })
        return {
          category: "worker",
          id: worker,
          type: "WorkerHired",
          data: { worker, name, station, hiredOn: today(), ...(drive === undefined ? {} : { drive }) },
          subjects: [worker]
        }
      },
      () => {
        if (!chance(0.05)) return undefined
        const to = pick(townships).station
        if (to === station) return undefined
        return {
          category: "worker",
          id: worker,
          type: "WorkerTransferred",
          data: { worker, from: station, to, transferredOn: today() },
          subjects: [worker]
        }
      },
      () => {
        if (!chance(0.1)) return undefined
        const at = workers.findIndex((w) => w.worker === worker)
        if (at >= 0) workers.splice(at, 1)
        return [
          {
            category: "worker",
            id: worker,
            type: "WorkerLeft",
            data: { worker, station, leftOn: today(), reason: pick(["Resigned", "ContractEnded", "Retired"]) },
            subjects: [worker]
          },
          {
            category: "post-quota",
            id: station,
            type: "PostVacated",
            data: { station, worker, vacatedOn: today() },
            subjects: [worker]
          }
        ]
      }
    ])
  }

  const householdStory = (): Story => {
    const t = pick(townships)
    const household = `hh-${pad(++householdSeq, 6)}`
    const village = pick(t.villages)
    const head = `${household}-p1`
    const file: Household = { household, station: t.station, village, persons: [head] }
    const members = int(0, 3)
    const e = (type: string, data: Data, subjects: ReadonlyArray<string>): Emitted => ({
      category: "household",
      id: household,
      type,
      data: { household, ...data },
      subjects: [household, ...subjects]
    })
    return story(() => [
      () => {
        households.push(file)
        return e(
          "HouseholdRegistered",
          {
            station: t.station,
            township: t.township,
            village,
            address: `${t.name}${village.slice(-2)}村${int(1, 200)}号`,
            head: { person: head, name: nameOf(), birthDate: birth(30, 85) },
            registeredOn: today()
          },
          [head]
        )
      },
      ...Array.from({ length: members }, (_, m) => () => {
        const person = `${household}-p${m + 2}`
        file.persons.push(person)
        const child = chance(0.4)
        return e(
          "MemberAdded",
          {
            person,
            name: nameOf(),
            birthDate: child ? birth(2, 13) : birth(18, 90),
            relation: child ? "Grandchild" : pick(["Spouse", "Parent", "Sibling"]),
            ...(child ? { guardian: head } : {})
          },
          child ? [person, head] : [person]
        )
      }),
      () =>
        file.persons
          .slice(0, int(1, 2))
          .map((person) =>
            e(
              "CategoryAssigned",
              { person, category: pick(categories), verifiedBy: "mzj-officer-01", verifiedOn: today() },
              [person]
            )
          ),
      () => e("ConsentRecorded", { person: head, scope: "DataProcessing", givenBy: head, givenOn: today() }, [head]),
      () =>
        chance(0.3)
          ? e("ConsentRecorded", { person: head, scope: "Referral", givenBy: head, givenOn: today() }, [head])
          : undefined,
      () =>
        e(
          "RiskAssessed",
          {
            ...(chance(0.5) ? { person: head } : {}),
            level: pick(["Low", "Low", "Medium", "High"]),
            assessedOn: today(),
            assessedBy: anyWorker().worker
          },
          []
        ),
      () => {
        if (!chance(0.1)) return undefined
        const person = file.persons[file.persons.length - 1]!
        if (person === head)
          return e("ConsentWithdrawn", { person, scope: "DataProcessing", withdrawnBy: head, withdrawnOn: today() }, [
            person
          ])
        return chance(0.5)
          ? e("MemberRemoved", { person, reason: "外出务工，户籍迁出" }, [person])
          : e(
              "CategoryRevoked",
              {
                person,
                category: "LeftBehindChild",
                verifiedBy: "mzj-officer-01",
                verifiedOn: today(),
                reason: "父母返乡"
              },
              [person]
            )
      },
      () => (chance(0.05) ? e("HouseholdArchived", { archivedOn: today(), reason: "迁出本县" }, []) : undefined)
    ])
  }

  const visitStory = (): Story => {
    const h = anyHousehold()
    const visit = `vis-${pad(++visitSeq, 7)}`
    const { worker } = anyWorker()
    const persons = h.persons.slice(0, int(1, h.persons.length))
    const e = (type: string, data: Data, subjects: ReadonlyArray<string> = []): Emitted => ({
      category: "visit",
      id: visit,
      type,
      data: { visit, household: h.household, ...data },
      subjects: [h.household, ...subjects]
    })
    const scheduled = chance(0.5)
    const skipped = scheduled && chance(0.1)
    return story(() => [
      () =>
        scheduled ? e("VisitScheduled", { persons, worker, station: h.station, dueOn: today() }, persons) : undefined,
      () =>
        skipped
          ? e("VisitSkipped", { reason: "服务对象外出务工，暂不在家" })
          : e(
              "VisitConducted",
              {
                station: h.station,
                worker,
                visitedOn: today(),
                personsSeen: persons,
                modality: pick(["HomeVisit", "HomeVisit", "HomeVisit", "Phone", "Video", "AtStation"]),
                findings: pick(findings),
                needs: Array.from(new Set(Array.from({ length: int(0, 3) }, () => pick(needsPool)))),
                itemsGiven: chance(0.2) ? [{ item: pick(["棉被", "冬衣", "大米", "食用油"]), quantity: int(1, 3) }] : []
              },
              persons
            ),
      () => (!skipped && chance(0.03) ? e("VisitAmended", { reason: "日期登记有误", visitedOn: today() }) : undefined),
      () => (!skipped && chance(0.01) ? e("VisitVoided", { reason: "重复登记" }) : undefined)
    ])
  }

  const activityStory = (): Story => {
    const activity = `act-${pad(++activitySeq, 6)}`
    const station = pick(townships).station
    const e = (type: string, data: Data, subjects: ReadonlyArray<string> = []): Emitted => ({
      category: "activity",
      id: activity,
      type,
      data: { activity, ...data },
      subjects
    })
    return story(() => [
      () =>
        e("ActivityPlanned", {
          station,
          theme: pick(themes),
          title: pick(["暑期安全教育讲座", "长者生日会", "亲子阅读会", "防溺水宣传", "植树护绿活动", "政策宣讲会"]),
          plannedOn: today()
        }),
      () => {
        if (chance(0.08)) return e("ActivityCancelled", { reason: "天气原因取消" })
        const participants = Array.from(new Set(Array.from({ length: int(0, 12) }, () => pick(anyHousehold().persons))))
        return e(
          "ActivityHeld",
          { heldOn: today(), headcount: int(Math.max(1, participants.length), 60), participants },
          participants
        )
      }
    ])
  }

  const caseStory = (): Story => {
    const h = anyHousehold()
    const person = pick(h.persons)
    const caseType = pick(caseTypes)
    const id = `${person}.${caseType}`
    const { worker } = anyWorker()
    const e = (type: string, data: Data): Emitted => ({
      category: "case",
      id,
      type,
      data: { case: id, ...data },
      subjects: [h.household, person]
    })
    const crisis = chance(0.2)
    return story(() => [
      () =>
        e("CaseOpened", {
          person,
          household: h.household,
          station: h.station,
          worker,
          caseType,
          riskLevel: pick(["Low", "Medium", "High"]),
          openedOn: today()
        }),
      () =>
        e("AssessmentRecorded", {
          needs: [pick(needsPool), pick(needsPool)].filter((x, i, xs) => xs.indexOf(x) === i),
          riskLevel: pick(["Low", "Medium", "High"]),
          assessedOn: today()
        }),
      () =>
        e("PlanRecorded", {
          goals: ["改善服务对象生活状况", "建立社会支持网络"],
          services: ["PolicyGuidance", "PsychosocialSupport", ...(crisis ? ["CrisisIntervention"] : [])],
          plannedOn: today()
        }),
      ...Array.from(
        { length: int(1, 4) },
        () => () =>
          e("ServiceDelivered", { service: pick(services.slice(0, 5)), deliveredOn: today(), notes: "按计划开展服务" })
      ),
      () =>
        crisis ? e("ServiceDelivered", { service: "CrisisIntervention", deliveredOn: today(), notes: "" }) : undefined,
      () => (crisis ? e("FollowUpRecorded", { followedUpOn: today(), notes: "电话回访，情况稳定" }) : undefined),
      () =>
        chance(0.15)
          ? [
              e("ReferralMade", {
                referral: `${id}-r1`,
                organisation: "县残疾人联合会",
                reason: "需要康复辅具",
                referredOn: today()
              }),
              e("ReferralAccepted", { referral: `${id}-r1`, acceptedOn: today() })
            ]
          : undefined,
      () =>
        chance(0.05)
          ? [
              e("ReferralMade", {
                referral: `${id}-r2`,
                organisation: "县人民医院",
                reason: "需要住院治疗",
                referredOn: today()
              }),
              e("ReferralRejected", { referral: `${id}-r2`, rejectedOn: today(), reason: "不符合收治条件" })
            ]
          : undefined,
      () => (chance(0.1) ? e("CaseTransferred", { worker: anyWorker().worker, transferredOn: today() }) : undefined),
      () =>
        e("EvaluationRecorded", {
          outcome: pick(["GoalsAchieved", "PartlyAchieved"]),
          evaluatedOn: today(),
          notes: ""
        }),
      () => (chance(0.8) ? e("CaseClosed", { reason: "GoalsAchieved", closedOn: today(), notes: "" }) : undefined),
      () => (chance(0.05) ? e("CaseReopened", { reason: "服务对象情况反复", reopenedOn: today() }) : undefined)
    ])
  }

  const campaignStory = (kind: "ColdSnap" | "Flood"): Story => {
    const campaign = `camp-${pad(++campaignSeq, 4)}`
    const e = (type: string, data: Data, subjects: ReadonlyArray<string> = []): Emitted => ({
      category: "campaign",
      id: campaign,
      type,
      data: { campaign, ...data },
      subjects
    })
    const items = kind === "ColdSnap" ? ["Quilt", "WinterClothing"] : ["DrinkingWater", "Food", "Disinfectant"]
    const fieldWork = () => {
      const h = anyHousehold()
      const person = pick(h.persons)
      const { worker } = anyWorker()
      const where = { person, household: h.household }
      const r = random()
      if (r < 0.6)
        return e("RecipientVisited", { ...where, village: h.village, visitedOn: today(), worker, station: h.station }, [
          h.household,
          person
        ])
      if (r < 0.85 || kind === "ColdSnap")
        return e(
          "SuppliesDistributed",
          {
            item: pick(items),
            quantity: int(1, 2),
            ...where,
            village: h.village,
            distributedOn: today(),
            worker,
            station: h.station
          },
          [h.household, person]
        )
      return e(
        "RelocationAssisted",
        {
          ...where,
          fromVillage: h.village,
          toPlace: "镇中心小学临时安置点",
          assistedOn: today(),
          worker,
          station: h.station
        },
        [h.household, person]
      )
    }
    return story(() => [
      () =>
        e("CampaignLaunched", {
          kind,
          title: kind === "ColdSnap" ? "寒冬送温暖" : "灾后入户慰问",
          scope: { _tag: "CountyWide" },
          launchedOn: today()
        }),
      () =>
        items.map((item) => e("SuppliesReceived", { item, quantity: 5_000, source: "县民政局", receivedOn: today() })),
      ...Array.from({ length: int(300, 900) }, () => fieldWork),
      () => e("CampaignClosed", { closedOn: today() })
    ])
  }

  const driveStory = (): Story => {
    const drive = `drv-${pad(++driveSeq, 3)}`
    const applicants = int(300, 700)
    const e = (type: string, data: Data, subjects: ReadonlyArray<string> = []): Emitted => ({
      category: "recruitment-drive",
      id: drive,
      type,
      data: { drive, ...data },
      subjects
    })
    const ids = Array.from({ length: applicants }, (_, i) => `${drive}-a${pad(i + 1, 4)}`)
    const vacancies = 20
    return story(() => [
      () =>
        e("DriveOpened", {
          title: `阳山县"双百"社工招聘（第${driveSeq}批）`,
          vacancies,
          stations: townships.slice(0, 6).map((t) => t.station),
          opensOn: today(),
          closesOn: dayOf(Date.parse(`${today()}T00:00:00Z`), 60)
        }),
      ...ids.map(
        (applicant) => () => e("ApplicationReceived", { applicant, name: nameOf(), receivedOn: today() }, [applicant])
      ),
      ...ids.map(
        (applicant, i) => () =>
          i < 60
            ? e("ApplicantShortlisted", { applicant, shortlistedOn: today() }, [applicant])
            : e("ApplicantRejected", { applicant, reason: "FailedExam", rejectedOn: today() }, [applicant])
      ),
      ...ids
        .slice(0, vacancies + 2)
        .map((applicant, i) => () => [
          e("OfferMade", { applicant, station: pick(townships.slice(0, 6)).station, offeredOn: today() }, [applicant]),
          i < 2
            ? e("OfferDeclined", { applicant, declinedOn: today() }, [applicant])
            : e("OfferAccepted", { applicant, acceptedOn: today() }, [applicant])
        ]),
      ...ids.slice(2, vacancies + 2).map((applicant, i) => () => {
        const worker = `${drive}-w${pad(i + 1, 2)}`
        active.push(workerStory(drive, worker))
        return e("ApplicantHired", { applicant, worker, hiredOn: today() }, [applicant, worker])
      }),
      () => e("DriveClosed", { closedOn: today() })
    ])
  }

  const trainingStory = (what: "course" | "exchange" | "print"): Story => {
    const id = pad(++trainingSeq, 4)
    const attendees = () =>
      Array.from(new Map(Array.from({ length: int(10, 40) }, () => anyWorker()).map((w) => [w.worker, w])).values())
    return story(() => [
      () => {
        if (what === "course") {
          const list = attendees()
          return {
            category: "course",
            id: `crs-${id}`,
            type: "CourseHeld",
            data: {
              course: `crs-${id}`,
              kind: pick(["ProfessionalCapacity", "ChildWelfare"]),
              title: "社会工作专业能力提升培训班",
              heldOn: today(),
              attendees: list
            },
            subjects: list.map((a) => a.worker)
          }
        }
        if (what === "exchange") {
          const list = attendees()
          const stations = Array.from(new Set(list.map((a) => a.station)))
          const host = stations[0]!
          const visiting =
            stations.length > 1 ? stations.slice(1) : [townships.find((t) => t.station !== host)!.station]
          return {
            category: "exchange-visit",
            id: `ex-${id}`,
            type: "ExchangeVisitHeld",
            data: { exchangeVisit: `ex-${id}`, host, visiting, participants: list, heldOn: today() },
            subjects: list.map((a) => a.worker)
          }
        }
        return {
          category: "publicity",
          id: `pr-${id}`,
          type: "MaterialsPrinted",
          data: {
            printRun: `pr-${id}`,
            kind: "Brochure",
            title: "社会救助政策宣传手册",
            quantity: 10_000,
            printedOn: today(),
            scope: { _tag: "CountyWide" }
          },
          subjects: []
        }
      }
    ])
  }

  // New stories by weight, chosen so that the events come in a county's proportions: about half visits,
  // a quarter registry, the rest cases, activities, campaigns, recruitment, workforce and training.
  const kinds: ReadonlyArray<readonly [number, () => Story]> = [
    [20, visitStory],
    [3.4, householdStory],
    [2.5, activityStory],
    [0.5, caseStory],
    [0.25, () => workerStory()]
  ]
  const newStory = (): Story => {
    // Visits and cases need households: the first stories register them. Once the county's ~23,000
    // households are on file, registrations slow to the few new ones a year brings.
    if (households.length < 200) return householdStory()
    const slowed = households.length >= 23_000 ? 0.1 : 1
    const weight = (make: () => Story, w: number) => (make === householdStory ? w * slowed : w)
    let r = random() * kinds.reduce((n, [w, make]) => n + weight(make, w), 0)
    for (const [w, make] of kinds) {
      r -= weight(make, w)
      if (r < 0) return make()
    }
    return visitStory()
  }

  const active: Array<Story> = [countyStory(), ...Array.from({ length: 60 }, () => workerStory())]
  const versions = new Map<string, number>()
  const byContext = new Map<string, number>()
  const out = createWriteStream(path, { highWaterMark: 1 << 20 })
  let bytes = 0
  let buffer = ""
  let prevHash = "0".repeat(64)
  let lastDay = today()
  const marked = new Set(marks)
  const dayAt = new Map<number, string>()

  // What the calendar brings (月-日): the cold snap in late January, the flood in late April, the yearly
  // recruitment drive, the training courses of 5 July and 9 November, exchange visits, the July print run.
  const calendar: ReadonlyMap<string, () => Story> = new Map([
    ["01-20", () => campaignStory("ColdSnap")],
    ["02-15", () => trainingStory("exchange")],
    ["04-25", () => campaignStory("Flood")],
    ["05-20", () => trainingStory("exchange")],
    ["06-01", () => driveStory()],
    ["07-05", () => trainingStory("course")],
    ["07-10", () => trainingStory("print")],
    ["09-15", () => trainingStory("exchange")],
    ["11-09", () => trainingStory("course")],
    ["12-01", () => trainingStory("exchange")]
  ])
  let day = ""

  while (step < events) {
    if (today() !== day) {
      day = today()
      const due = calendar.get(day.slice(5))
      if (due !== undefined) active.push(due())
    }
    // Keep some 64 aggregates in progress; the county's setup runs first.
    while (active.length < 64) active.push(newStory())
    const at = step < 300 ? 0 : Math.floor(random() * active.length)
    const next = active[at]!()
    if (next === undefined) {
      active.splice(at, 1)
      continue
    }
    step++
    const key = `${next.category}/${next.id}`
    const version = (versions.get(key) ?? 0) + 1
    versions.set(key, version)
    byContext.set(next.category, (byContext.get(next.category) ?? 0) + 1)
    lastDay = today()
    if (marked.has(step)) dayAt.set(step, lastDay)
    const occurredAt = new Date(Date.parse(`${lastDay}T00:00:00+08:00`)).toISOString()
    const recordedAt = new Date(Date.parse(occurredAt) + 8 * 3_600_000 + int(0, 36_000_000)).toISOString()
    const commandId = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
    const hash = hex(64)
    const millis = Date.parse(recordedAt).toString(16).padStart(12, "0")
    const stored = {
      eventId: `${millis.slice(0, 8)}-${millis.slice(8)}-7${hex(3)}-8${hex(3)}-${hex(12)}`,
      tenant: "yangshan",
      stream: { category: next.category, id: next.id },
      version,
      position: step,
      type: next.type,
      schemaVersion: 1,
      data: next.data,
      occurredAt,
      recordedAt,
      actor: { id: anyWorker().worker, role: "worker", station: anyWorker().station },
      commandId,
      correlationId: commandId,
      causationId: commandId,
      subjects: [...new Set(next.subjects)],
      prevHash,
      hash
    }
    prevHash = hash
    buffer += `${JSON.stringify(stored)}\n`
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer)
      if (!out.write(buffer)) await once(out, "drain")
      buffer = ""
    }
  }
  bytes += Buffer.byteLength(buffer)
  out.end(buffer)
  await once(out, "finish")
  return { path, events: step, bytes, byContext, firstDay: dayOf(start, 0), lastDay, dayAt }
}

/**
 * The lines of a file in batches (one batch per chunk read), so that a reader handles many lines per
 * await and never holds more than a chunk of the file.
 */
export async function* lines(path: string): AsyncGenerator<ReadonlyArray<string>> {
  const { createReadStream } = await import("node:fs")
  let rest = ""
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string)
    const parts = text.split("\n")
    rest = parts.pop()!
    yield parts
  }
  if (rest.length > 0) yield [rest]
}
