import { assert, describe, it } from "@effect/vitest"
import { StreamId } from "@shuangbai/eventsourcing"
import { Arbitrary } from "@shuangbai/testing"
import { Result } from "effect"
import * as fc from "fast-check"
import * as Domain from "../Domain.ts"
import {
  type CommandTag,
  commandRules,
  decideCommand,
  decideRead,
  type Facts,
  ownedCategories,
  readRule,
  streamRules,
  type Targets,
  targetsOfCommand
} from "./Policy.ts"
import { Principal, type Role, roles, stationRoles } from "./Principal.ts"
import type { Read } from "./Read.ts"

// The decision table, generated: every command the domain routes (Domain.contexts) and every read, for
// every role, at home (the principal's station, on post), at another station, off post, with the facts
// not loaded and from another tenant. What each role may do at home is written out below a second time,
// as the spec the policy must meet: a policy edit that grants or takes a role fails here.

const tenant = "yangshan"
const home = "s-home"
const away = "s-away"
const me = "w-me"

const principalAs = (role: Role, options: { readonly withStation?: boolean } = {}) =>
  new Principal({
    id: me,
    tenant,
    roles: [role],
    ...(stationRoles.has(role) && options.withStation !== false ? { station: home } : {})
  })

const field: ReadonlyArray<Role> = ["worker", "stationLead"]
const bureau: ReadonlyArray<Role> = ["bureau"]

/** Who may send each command, for their own station where the command concerns one. */
const commandSpec: Record<string, ReadonlyArray<Role>> = {
  ...Object.fromEntries(
    [
      "RegisterHousehold",
      "AddMember",
      "RemoveMember",
      "AssignCategory",
      "RevokeCategory",
      "RecordConsent",
      "WithdrawConsent",
      "AssessRisk",
      "ArchiveHousehold",
      "ScheduleVisit",
      "RecordVisit",
      "SkipVisit",
      "AmendVisit",
      "VoidVisit",
      "OpenCase",
      "RecordAssessment",
      "RecordPlan",
      "DeliverService",
      "MakeReferral",
      "AcceptReferral",
      "RejectReferral",
      "RecordFollowUp",
      "RecordEvaluation",
      "CloseCase",
      "ReopenCase",
      "PlanActivity",
      "RecordActivity",
      "CancelActivity",
      "DistributeSupplies",
      "VisitRecipient",
      "AssistRelocation"
    ].map((tag) => [tag, field])
  ),
  TransferCase: ["stationLead"],
  ...Object.fromEntries(
    [
      "EstablishStation",
      "OpenServicePoint",
      "CloseServicePoint",
      "CloseStation",
      "AllotPosts",
      "HireWorker",
      "TransferWorker",
      "EndEmployment",
      "OpenDrive",
      "ReceiveApplication",
      "ShortlistApplicant",
      "RejectApplicant",
      "MakeOffer",
      "AcceptOffer",
      "DeclineOffer",
      "HireApplicant",
      "CloseDrive",
      "LaunchCampaign",
      "ReceiveSupplies",
      "CloseCampaign",
      "RecordCourse",
      "RecordExchangeVisit",
      "RecordPrintRun"
    ].map((tag) => [tag, bureau])
  ),
  ConfigureCounty: ["admin"]
}

const domainCommands = Domain.contexts.flatMap((c) => c.commands)
const domainCategories = Domain.contexts.flatMap((c) => c.streams)

/** One command of the tag, made about `station` and recorded as the principal's own work. */
const sampleCommand = (tag: CommandTag, station: string): { readonly _tag: string } => {
  const [sample] = fc.sample(Arbitrary.make(commandRules[tag].schema), { numRuns: 1, seed: tag.length })
  const command: Record<string, unknown> = { ...(sample as object) }
  for (const key of ["station"]) if (key in command) command[key] = station
  for (const key of ["worker", "assessedBy"]) if (key in command) command[key] = me
  return command as { readonly _tag: string }
}

const targetsOf = (tag: CommandTag, command: { readonly _tag: string }): Targets =>
  (commandRules[tag].targets as (c: unknown) => Targets)(command)

const factsAbout = (targets: Targets, owner: string | null, onPost: string | undefined): Facts => ({
  owners: new Map(targets.subjects.map((s) => [StreamId.format(s), owner])),
  onPost
})

const outcome = (result: Result.Result<Role, { readonly code: string }>): string =>
  Result.isSuccess(result) ? `granted as ${result.success}` : result.failure.code

describe("Access policy: coverage", () => {
  it("has a rule for every command the domain routes, and none for a command it does not", () => {
    assert.deepStrictEqual(Object.keys(commandRules).sort(), [...domainCommands].sort())
    assert.deepStrictEqual(Object.keys(commandSpec).sort(), [...domainCommands].sort())
  })

  it("has a rule for every stream category of the domain, and loads the station of each it calls owned", () => {
    assert.deepStrictEqual(Object.keys(streamRules).sort(), [...domainCategories].sort())
    const owned = Object.entries(streamRules).flatMap(([category, rule]) => (rule.owned ? [category] : []))
    assert.deepStrictEqual(owned.sort(), [...ownedCategories].sort())
  })

  it("lets station staff send only commands that name what they concern", () => {
    for (const tag of domainCommands as ReadonlyArray<CommandTag>) {
      if (!commandRules[tag].roles.some((r) => stationRoles.has(r))) continue
      const targets = targetsOf(tag, sampleCommand(tag, home))
      assert.isTrue(targets.stations.length + targets.subjects.length > 0, `${tag} names no station or subject`)
    }
  })
})

describe("Access policy: every command × every role", () => {
  for (const tag of domainCommands as ReadonlyArray<CommandTag>) {
    describe(tag, () => {
      const atHome = sampleCommand(tag, home)
      const elsewhere = sampleCommand(tag, away)
      const targets = targetsOf(tag, atHome)
      for (const role of roles) {
        it(role, () => {
          const principal = principalAs(role)
          // the sample is made about the principal's station and work; a target field it missed fails here
          assert.isTrue(targets.stations.every((s) => s === home) && targets.workers.every((w) => w === me))
          const allowed = commandSpec[tag]!.includes(role)
          const station = stationRoles.has(role)
          const decide = (command: { readonly _tag: string }, facts: Facts, to = tenant) =>
            outcome(decideCommand(principal, command, { ...facts, tenant: to }))

          const granted = `granted as ${role}`
          const atHomeOnPost = factsAbout(targets, home, home)
          assert.strictEqual(decide(atHome, atHomeOnPost), allowed ? granted : "RoleNotPermitted")
          assert.strictEqual(
            decide(elsewhere, factsAbout(targetsOf(tag, elsewhere), away, home)),
            !allowed ? "RoleNotPermitted" : station ? "OtherStation" : granted
          )
          assert.strictEqual(
            decide(atHome, factsAbout(targets, home, undefined)),
            !allowed ? "RoleNotPermitted" : role === "worker" ? "NotOnPost" : granted
          )
          assert.strictEqual(
            decide(atHome, factsAbout(targets, home, away)),
            !allowed ? "RoleNotPermitted" : role === "worker" ? "NotOnPost" : granted
          )
          // a subject the store does not have yet is left to the command's own rules
          assert.strictEqual(decide(atHome, factsAbout(targets, null, home)), allowed ? granted : "RoleNotPermitted")
          if (targets.subjects.length > 0) {
            assert.strictEqual(
              decide(atHome, { owners: new Map(), onPost: home }),
              !allowed ? "RoleNotPermitted" : station ? "FactsNotLoaded" : granted
            )
          }
          if (targets.workers.length > 0) {
            const forAnother = { ...atHome } as Record<string, unknown>
            for (const key of ["worker", "assessedBy"]) if (key in forAnother) forAnother[key] = "w-other"
            assert.strictEqual(
              decide(forAnother as { readonly _tag: string }, atHomeOnPost),
              !allowed ? "RoleNotPermitted" : role === "worker" ? "OtherWorkersWork" : granted
            )
          }
          assert.strictEqual(decide(atHome, atHomeOnPost, "another-county"), "OtherTenant")
          if (station) {
            assert.strictEqual(
              outcome(decideCommand(principalAs(role, { withStation: false }), atHome, { ...atHomeOnPost, tenant })),
              allowed ? "NoStationAssigned" : "RoleNotPermitted"
            )
          }
        })
      }
    })
  }
})

/** Who may make each read, for their own station where it concerns one. */
const readSpec: ReadonlyArray<{
  readonly read: Read
  readonly roles: ReadonlyArray<Role>
  /** Station roles the rule names but refuses for this read, and why. */
  readonly refused?: Partial<Record<Role, string>>
}> = [
  { read: { _tag: "CountyDashboard", tenant }, roles: ["bureau", "auditor", "admin"] },
  { read: { _tag: "StationDashboard", tenant, station: home }, roles: roles },
  { read: { _tag: "VisitSchedule", tenant, station: home }, roles: ["worker", "stationLead", "bureau", "auditor"] },
  {
    read: { _tag: "VisitSchedule", tenant },
    roles: ["bureau", "auditor"],
    refused: { worker: "StationNotNamed", stationLead: "StationNotNamed" }
  },
  { read: { _tag: "WorkerCaseloads", tenant, station: home }, roles: ["stationLead", "bureau", "auditor"] },
  {
    read: { _tag: "WorkerCaseloads", tenant },
    roles: ["bureau", "auditor"],
    refused: { stationLead: "StationNotNamed" }
  },
  { read: { _tag: "RecruitmentStatus", tenant }, roles: ["bureau", "auditor", "admin"] },
  { read: { _tag: "TrainingParticipation", tenant }, roles: ["bureau", "auditor", "admin"] },
  { read: { _tag: "HouseholdHistory", tenant, household: "h-1" }, roles: ["worker", "stationLead", "auditor"] },
  { read: { _tag: "Log", tenant }, roles: ["auditor"] },
  { read: { _tag: "AccessLog", tenant }, roles: ["auditor"] },
  ...[
    ["household", ["worker", "stationLead", "auditor"]],
    ["visit", ["worker", "stationLead", "auditor"]],
    ["case", ["worker", "stationLead", "auditor"]],
    ["activity", ["worker", "stationLead", "auditor"]],
    ["worker", ["worker", "stationLead", "bureau", "auditor"]],
    ["post-quota", ["stationLead", "bureau", "auditor", "admin"]],
    ["station", ["bureau", "auditor", "admin"]],
    ["county", ["bureau", "auditor", "admin"]],
    ["recruitment-drive", ["bureau", "auditor"]],
    ["campaign", ["bureau", "auditor"]],
    ["course", ["bureau", "auditor"]],
    ["exchange-visit", ["bureau", "auditor"]],
    ["publicity", ["bureau", "auditor"]],
    ["not-a-category", ["auditor"]]
  ].map(([category, allowed]) => ({
    read: {
      _tag: "Stream" as const,
      tenant,
      // a worker reads their own worker stream; a post quota's id is its station's
      stream: StreamId.make(category as string, category === "worker" ? me : category === "post-quota" ? home : "x-1")
    },
    roles: allowed as ReadonlyArray<Role>
  }))
]

/** Every read tag: a read added to Access.Read fails to compile here until the spec lists it. */
const readTags: Record<Read["_tag"], true> = {
  CountyDashboard: true,
  StationDashboard: true,
  VisitSchedule: true,
  WorkerCaseloads: true,
  RecruitmentStatus: true,
  TrainingParticipation: true,
  HouseholdHistory: true,
  Stream: true,
  Log: true,
  AccessLog: true
}

describe("Access policy: every read × every role", () => {
  it("covers every read and every stream category of the domain", () => {
    const tags = new Set(readSpec.map((r) => r.read._tag))
    assert.deepStrictEqual([...tags].sort(), Object.keys(readTags).sort())
    const categories = readSpec.flatMap((r) => (r.read._tag === "Stream" ? [r.read.stream.category] : []))
    for (const category of domainCategories) assert.include(categories, category)
  })

  for (const { read, roles: allowedRoles, refused } of readSpec) {
    const name = read._tag === "Stream" ? `Stream ${StreamId.format(read.stream)}` : JSON.stringify(read)
    describe(name, () => {
      const targets = readRule(read).targets(read)
      for (const role of roles) {
        it(role, () => {
          const principal = principalAs(role)
          const allowed = allowedRoles.includes(role)
          const station = stationRoles.has(role)
          const granted = `granted as ${role}`
          const decide = (r: Read, facts: Facts) => outcome(decideRead(principal, r, facts))
          const why = refused?.[role]
          if (why !== undefined) {
            assert.strictEqual(decide(read, factsAbout(targets, home, home)), why)
            return
          }
          assert.strictEqual(decide(read, factsAbout(targets, home, home)), allowed ? granted : "RoleNotPermitted")
          assert.strictEqual(
            decide(read, factsAbout(targets, home, undefined)),
            !allowed ? "RoleNotPermitted" : role === "worker" ? "NotOnPost" : granted
          )
          if (targets.subjects.length > 0 || targets.stations.length > 0) {
            const elsewhere =
              "station" in read && read.station !== undefined
                ? { ...read, station: away }
                : read._tag === "Stream" && read.stream.category === "post-quota"
                  ? { ...read, stream: StreamId.make("post-quota", away) }
                  : read
            assert.strictEqual(
              decide(elsewhere as Read, factsAbout(readRule(elsewhere as Read).targets(elsewhere as Read), away, home)),
              !allowed ? "RoleNotPermitted" : station ? "OtherStation" : granted
            )
          }
          assert.strictEqual(
            decide({ ...read, tenant: "another-county" }, factsAbout(targets, home, home)),
            "OtherTenant"
          )
        })
      }
    })
  }
})

// ---- properties: for any principal, command or read, and facts ---------------------------------------

const tenants = ["t-1", "t-2"]
const stations = ["s-1", "s-2"]
const workers = ["w-1", "w-2"]

const principals = fc
  .record({
    id: fc.constantFrom(...workers),
    tenant: fc.constantFrom(...tenants),
    roles: fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: roles.length }),
    station: fc.option(fc.constantFrom(...stations), { nil: undefined })
  })
  .map(
    ({ station, roles, ...rest }) =>
      new Principal({ ...rest, roles: roles as [Role, ...Array<Role>], ...(station === undefined ? {} : { station }) })
  )

/** Any command of these tags, its station and worker fields drawn from a small set so that they collide. */
const commandsOf = (tags: ReadonlyArray<CommandTag>) =>
  fc
    .tuple(
      fc.oneof(...tags.map((tag) => Arbitrary.make(commandRules[tag].schema))),
      fc.constantFrom(...stations),
      fc.constantFrom(...workers)
    )
    .map(([sample, station, worker]) => {
      const command: Record<string, unknown> = { ...(sample as object) }
      if ("station" in command) command.station = station
      for (const key of ["worker", "assessedBy"]) if (key in command) command[key] = worker
      return command as unknown as Domain.Command
    })
const commands = commandsOf(domainCommands as ReadonlyArray<CommandTag>)

const reads: fc.Arbitrary<Read> = fc
  .tuple(
    fc.constantFrom(...readSpec.map((r) => r.read)),
    fc.constantFrom(...tenants),
    fc.option(fc.constantFrom(...stations), { nil: undefined }),
    fc.constantFrom(...workers, ...stations, "h-1", "v-1")
  )
  .map(([read, tenant, station, id]): Read => {
    if (read._tag === "Stream") return { ...read, tenant, stream: StreamId.make(read.stream.category, id) }
    if (read._tag === "StationDashboard") return { ...read, tenant, station: station ?? "s-1" }
    if (read._tag === "VisitSchedule" || read._tag === "WorkerCaseloads") {
      return station === undefined ? { _tag: read._tag, tenant } : { _tag: read._tag, tenant, station }
    }
    return { ...read, tenant }
  })

/** What the store might say about the targets: each subject at some station, absent, or not loaded. */
const factsFor = (targets: Targets): fc.Arbitrary<Facts> =>
  fc
    .tuple(
      fc.array(fc.option(fc.constantFrom<string | null>(...stations, null), { nil: undefined }), {
        minLength: targets.subjects.length,
        maxLength: targets.subjects.length
      }),
      fc.option(fc.constantFrom(...stations), { nil: undefined })
    )
    .map(([owners, onPost]) => ({
      owners: new Map(
        targets.subjects.flatMap((subject, i) =>
          owners[i] === undefined ? [] : [[StreamId.format(subject), owners[i]!] as const]
        )
      ),
      onPost
    }))

const commandCases = fc
  .tuple(principals, commands, fc.constantFrom(...tenants))
  .chain(([principal, command, to]) =>
    factsFor(targetsOfCommand(command)).map((facts) => ({ principal, command, facts: { ...facts, tenant: to } }))
  )
const readCases = fc
  .tuple(principals, reads)
  .chain(([principal, read]) => factsFor(readRule(read).targets(read)).map((facts) => ({ principal, read, facts })))

/** What a grant to a station role implies: everything it concerns is the principal's station's. */
const withinStation = (principal: Principal, role: Role, targets: Targets, facts: Facts): boolean =>
  !stationRoles.has(role) ||
  (principal.station !== undefined &&
    !targets.county &&
    targets.stations.every((s) => s === principal.station) &&
    targets.subjects.every((s) => {
      const owner = facts.owners.get(StreamId.format(s))
      return owner === null || owner === principal.station
    }) &&
    (role !== "worker" || (facts.onPost === principal.station && targets.workers.every((w) => w === principal.id))))

/** Facts that put every household the targets name at a station no principal holds. */
const householdsElsewhere = (targets: Targets) =>
  factsFor(targets).map(
    (facts): Facts => ({
      ...facts,
      owners: new Map([
        ...facts.owners,
        ...targets.subjects.flatMap((s) =>
          s.category === "household" ? [[StreamId.format(s), "s-other"] as const] : []
        )
      ])
    })
  )
const workerPrincipals = principals.map((p) => new Principal({ ...p, roles: ["worker"] }))
const householdTags = (domainCommands as ReadonlyArray<CommandTag>).filter((tag) =>
  targetsOf(tag, sampleCommand(tag, home)).subjects.some((s) => s.category === "household")
)
const householdReads: fc.Arbitrary<Read> = fc
  .tuple(fc.constantFrom(...tenants), fc.constantFrom("h-1", "h-2"), fc.boolean())
  .map(([tenant, household, history]) =>
    history
      ? { _tag: "HouseholdHistory", tenant, household }
      : { _tag: "Stream", tenant, stream: StreamId.make("household", household) }
  )

describe("Access policy: properties", () => {
  it("no role ever acts or reads outside its tenant", () => {
    fc.assert(
      fc.property(commandCases, ({ principal, command, facts }) => {
        const decided = decideCommand(principal, command, facts)
        return Result.isFailure(decided) ? true : facts.tenant === principal.tenant
      }),
      { numRuns: 1000 }
    )
    fc.assert(
      fc.property(readCases, ({ principal, read, facts }) => {
        const decided = decideRead(principal, read, facts)
        return Result.isFailure(decided) ? true : read.tenant === principal.tenant
      }),
      { numRuns: 1000 }
    )
  })

  it("a grant to station staff concerns only their station, and a worker's only while on post, for their own work", () => {
    fc.assert(
      fc.property(commandCases, ({ principal, command, facts }) => {
        const decided = decideCommand(principal, command, facts)
        return Result.isFailure(decided) || withinStation(principal, decided.success, targetsOfCommand(command), facts)
      }),
      { numRuns: 1000 }
    )
    fc.assert(
      fc.property(readCases, ({ principal, read, facts }) => {
        const decided = decideRead(principal, read, facts)
        return (
          Result.isFailure(decided) || withinStation(principal, decided.success, readRule(read).targets(read), facts)
        )
      }),
      { numRuns: 1000 }
    )
  })

  it("a worker never reads or writes another station's household", () => {
    assert.isAbove(householdTags.length, 10)
    const commandCases = fc.tuple(workerPrincipals, commandsOf(householdTags)).chain(([principal, command]) =>
      householdsElsewhere(targetsOfCommand(command)).map((facts) => ({
        principal,
        command,
        facts: { ...facts, tenant: principal.tenant }
      }))
    )
    fc.assert(
      fc.property(commandCases, ({ principal, command, facts }) =>
        Result.isFailure(decideCommand(principal, command, facts))
      ),
      { numRuns: 500 }
    )
    const readCases = fc
      .tuple(workerPrincipals, householdReads)
      .chain(([principal, read]) =>
        householdsElsewhere(readRule(read).targets(read)).map((facts) => ({ principal, read, facts }))
      )
    fc.assert(
      fc.property(readCases, ({ principal, read, facts }) => Result.isFailure(decideRead(principal, read, facts))),
      { numRuns: 500 }
    )
  })

  it("an auditor never writes, whatever other roles the principal holds", () => {
    fc.assert(
      fc.property(commandCases, ({ principal, command, facts }) => {
        const decided = decideCommand(principal, command, facts)
        const auditorOnly = principal.roles.every((r) => r === "auditor")
        return Result.isFailure(decided) ? true : decided.success !== "auditor" && !auditorOnly
      }),
      { numRuns: 1000 }
    )
  })

  it("refuses a command the policy has no rule for, whoever sends it", () => {
    fc.assert(
      fc.property(principals, fc.constantFrom("FillPost", "VacatePost", "DropAllTables"), (principal, tag) => {
        const decided = decideCommand(
          principal,
          { _tag: tag },
          { owners: new Map(), onPost: undefined, tenant: principal.tenant }
        )
        return Result.isFailure(decided) && decided.failure.code === "NoPolicy"
      })
    )
  })
})
