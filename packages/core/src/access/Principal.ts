import { type Envelope, Scalars } from "@shuangbai/eventsourcing"
import { Schema } from "effect"

/**
 * The roles a principal can hold:
 * - `worker`: a station's social worker, acting for that station's households while on post;
 * - `stationLead`: runs a station: its households, visits, cases, activities and its workers' caseloads;
 * - `bureau`: the county bureau's staff: stations, posts, recruitment, training, campaigns, county figures;
 * - `auditor`: reads everything of the tenant, the log and the access history; writes nothing;
 * - `admin`: the tenant's configuration (the county and its townships) and the county's figures.
 */
export const roles = ["worker", "stationLead", "bureau", "auditor", "admin"] as const
export const Role = Schema.Literals(roles)
export type Role = typeof Role.Type

/** Roles that act for one station: the principal names it, and the policy holds them to it. */
export const stationRoles: ReadonlySet<Role> = new Set<Role>(["worker", "stationLead"])

/**
 * Who was authenticated: what a host's authentication hands to `Access.handle` and `Access.authorizeRead`.
 * `station` is the station a worker or a station lead works for; tenant-wide roles have none.
 */
export class Principal extends Schema.Class<Principal>("Principal")({
  id: Scalars.Id,
  tenant: Scalars.Id,
  roles: Schema.NonEmptyArray(Role),
  station: Schema.optionalKey(Scalars.Id)
}) {}

/** The actor recorded on every event a principal's command writes: who, in which role, for which station. */
export const actorOf = (principal: Principal, role: Role): Envelope.Actor =>
  principal.station === undefined ? { id: principal.id, role } : { id: principal.id, role, station: principal.station }
