import { Access } from "@shuangbai/core"
import type { Envelope } from "@shuangbai/eventsourcing"
import { Effect, Option, Schema } from "effect"
import { Flag } from "effect/cli"
import { type CliFailure, fail } from "./Failure.ts"

// Who is acting. Whoever runs the CLI holds the database itself, so the CLI cannot stop them; what it
// does is act as a named principal through the same Access API as every other way in, so that reads are
// decided by the same policy and writes record who made them. By default that principal is the local
// operator: id `local-operator` with the tenant-wide roles admin, bureau and auditor. `--as`, `--as-role`
// and `--as-station` (or SHUANGBAI_AS, SHUANGBAI_ROLE, SHUANGBAI_STATION) name another, e.g. to see what a
// station's worker may read.

export const localOperator = "local-operator"
export const operatorRoles: ReadonlyArray<Access.Role> = ["admin", "bureau", "auditor"]

export const flags = {
  as: Flag.String("as").pipe(
    Flag.withDescription(`The principal acting (env SHUANGBAI_AS; default ${localOperator}).`),
    Flag.withMetavar("ID"),
    Flag.withDefault(process.env.SHUANGBAI_AS ?? localOperator)
  ),
  asRole: Flag.String("as-role").pipe(
    Flag.withDescription(
      `The principal's roles, comma-separated: ${Access.roles.join(", ")} (env SHUANGBAI_ROLE; default ${operatorRoles.join(",")}).`
    ),
    Flag.withMetavar("ROLES"),
    Flag.withDefault(process.env.SHUANGBAI_ROLE ?? operatorRoles.join(","))
  ),
  asStation: Flag.String("as-station").pipe(
    Flag.withDescription("The station a worker or station lead principal works for (env SHUANGBAI_STATION)."),
    Flag.withMetavar("ID"),
    Flag.optional
  )
}

export interface Flags {
  readonly as: string
  readonly asRole: string
  readonly asStation: Option.Option<string>
}

/** The principal the flags name, for a tenant. */
export const of = (flags: Flags, tenant: Envelope.Tenant): Effect.Effect<Access.Principal, CliFailure> => {
  const roles = flags.asRole
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "")
  const station = Option.getOrUndefined(flags.asStation) ?? process.env.SHUANGBAI_STATION
  return Schema.decodeUnknownEffect(Access.Principal)({
    id: flags.as,
    tenant,
    roles,
    ...(station === undefined || station === "" ? {} : { station })
  }).pipe(
    Effect.mapError((error) =>
      fail("Usage", `--as, --as-role and --as-station do not make a principal: ${error.message}`)
    )
  )
}

const denied = (principal: Access.Principal, what: string, allowed: ReadonlyArray<Access.Role>) =>
  new Access.AccessDenied({
    code: Access.Refusals.RoleNotPermitted.code,
    messages: {
      "zh-CN": Access.Refusals.RoleNotPermitted.zh({ allowed: allowed.join(", ") }),
      en: Access.Refusals.RoleNotPermitted.en({ allowed: allowed.join(", ") })
    },
    principal: principal.id,
    what
  })

/**
 * Writes that are not one principal's domain command have no rule in the policy: the CLI allows them to
 * the tenant's administrator only. An import appends stored envelopes as they were recorded; the demo
 * seeds a simulated county whose three years of commands are sent in one run, each recorded with the
 * actor the scenario gives it (the bureau, each station's workers), as `npm run demo` does: those people
 * are simulated, and a worker's "on post today" could not hold for work back-dated years.
 */
const administrator = (principal: Access.Principal, what: string): Effect.Effect<void, Access.AccessDenied> =>
  principal.roles.includes("admin") ? Effect.void : Effect.fail(denied(principal, what, ["admin"]))

export const authorizeImport = (principal: Access.Principal) => administrator(principal, "Import")

export const authorizeDemo = (principal: Access.Principal) => administrator(principal, "Demo")

/** Reads that show personal data: checked, then recorded in the access log with their purpose. */
type Recorded = ReturnType<typeof Access.AccessLog.authorizeAndRecord>

/**
 * The whole log (export, replay, audit verify, anchor, side-tables, bundles): the auditor's read of
 * everyone's data, recorded with its purpose. Whatever a command prints of it, it reads every event.
 */
export const authorizeLog = (principal: Access.Principal, purpose: string | undefined): Recorded =>
  Access.AccessLog.authorizeAndRecord(principal, { _tag: "Log", tenant: principal.tenant }, purpose)

/** Rebuilding the side tables (`audit side-tables --rebuild`) rewrites the store's own rows: the administrator's. */
export const authorizeRebuild = (principal: Access.Principal) => administrator(principal, "SideTables")

export const authorizeHistory = (
  principal: Access.Principal,
  household: string,
  purpose: string | undefined
): Recorded =>
  Access.AccessLog.authorizeAndRecord(
    principal,
    { _tag: "HouseholdHistory", tenant: principal.tenant, household },
    purpose
  )

/** The access log itself: the auditor's. */
export const authorizeAccessLog = (principal: Access.Principal): ReturnType<typeof Access.authorizeRead> =>
  Access.authorizeRead(principal, { _tag: "AccessLog", tenant: principal.tenant })

/** The read each report is; those that list people are recorded with their purpose. */
export const authorizeReport = (
  principal: Access.Principal,
  name: string,
  station: string | undefined,
  purpose: string | undefined
): Recorded => {
  const tenant = principal.tenant
  const at = station === undefined ? {} : { station }
  const read: Access.Read =
    name === "stations"
      ? station === undefined
        ? { _tag: "CountyDashboard", tenant }
        : { _tag: "StationDashboard", tenant, station }
      : name === "visit-schedule"
        ? { _tag: "VisitSchedule", tenant, ...at }
        : name === "caseloads"
          ? { _tag: "WorkerCaseloads", tenant, ...at }
          : name === "recruitment"
            ? { _tag: "RecruitmentStatus", tenant }
            : name === "training"
              ? { _tag: "TrainingParticipation", tenant }
              : { _tag: "CountyDashboard", tenant }
  return Access.AccessLog.authorizeAndRecord(principal, read, purpose)
}
