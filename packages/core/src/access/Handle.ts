import {
  type CommandHandler,
  type Envelope,
  EventStore,
  type IdGenerator,
  InvalidCommand,
  issuesOf
} from "@shuangbai/eventsourcing"
import { Effect, Schema } from "effect"
import * as Domain from "../Domain.ts"
import { type AccessDenied, deny, Refusals } from "./AccessDenied.ts"
import { loadFacts } from "./Facts.ts"
import { commandRule, decideCommand, decideRead, readRule } from "./Policy.ts"
import { actorOf, type Principal, type Role } from "./Principal.ts"
import type { Read } from "./Read.ts"
import { sharingReads } from "./SharedReads.ts"

type LoadError = CommandHandler.LoadError
/** What Domain.handle takes: a command decoded here first, or one no context routes (it refuses it). */
type DomainCommand = Parameters<typeof Domain.handle>[1]

/** What a way in knows about a command besides its body: never who sent it, which is the principal. */
export interface Options {
  /** The idempotency key: the same commandId twice returns the first result and writes nothing. */
  readonly commandId: string
  readonly correlationId?: string
  readonly causationId?: string
  /** The tenant a request addressed (a URL's), when it names one: refused unless it is the principal's. */
  readonly tenant?: Envelope.Tenant
}

const tagOf = (input: unknown): string | undefined =>
  typeof input === "object" && input !== null && "_tag" in input && typeof input._tag === "string"
    ? input._tag
    : undefined

/**
 * Sends a command as the principal: the tenant is the principal's, the actor recorded on its events is
 * the principal in the role that granted it (never anything the command body says), and a command the
 * policy refuses fails with AccessDenied before anything is written. The command is untrusted input (a
 * request body): it is decoded here, and one that does not decode, or whose tag no context routes, fails
 * with InvalidCommand as `Domain.handle` would. The policy and the command's handler share one read of
 * each stream per attempt (SharedReads.ts): the handler decides on the state the policy saw.
 */
export const handle = (
  principal: Principal,
  command: unknown,
  options: Options
): Effect.Effect<
  CommandHandler.Handled<unknown>,
  AccessDenied | CommandHandler.HandleError,
  EventStore.EventStore | IdGenerator.IdGenerator
> =>
  Effect.gen(function* () {
    const tenant = options.tenant ?? principal.tenant
    const tag = tagOf(command)
    const rule = tag === undefined ? undefined : commandRule(tag)
    if (rule === undefined) {
      // a tag some context routes but the policy misses is refused; any other goes to Domain.handle's error
      if (tag !== undefined && Domain.contextOfCommand(tag) !== undefined) {
        return yield* Effect.fail(deny(Refusals.NoPolicy, {}, principal.id, tag))
      }
      return yield* Domain.handle(principal.tenant, command as DomainCommand, {
        actor: actorOf(principal, principal.roles[0]),
        commandId: options.commandId
      })
    }
    const decoded = yield* Schema.decodeUnknownEffect(rule.schema, { errors: "all" })(command).pipe(
      Effect.mapError((error) => new InvalidCommand({ command: tag!, issues: issuesOf(error.issue) }))
    )
    const targets = rule.targets(decoded)
    const store = sharingReads(yield* EventStore.EventStore)
    const facts = yield* loadFacts(principal, tenant, rule.roles, targets).pipe(
      Effect.provideService(EventStore.EventStore, store)
    )
    const role = yield* Effect.fromResult(decideCommand(principal, decoded, { ...facts, tenant }))
    return yield* Domain.handle(principal.tenant, command as DomainCommand, {
      actor: actorOf(principal, role),
      commandId: options.commandId,
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      ...(options.causationId === undefined ? {} : { causationId: options.causationId })
    }).pipe(Effect.provideService(EventStore.EventStore, store))
  })

/**
 * Checks a read before it is made: loads the facts the policy needs (the household's station, the
 * worker's post today) from the principal's tenant and decides. Succeeds with the granting role.
 */
export const authorizeRead = (
  principal: Principal,
  read: Read
): Effect.Effect<Role, AccessDenied | LoadError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const rule = readRule(read)
    const facts = yield* loadFacts(principal, read.tenant, rule.roles, rule.targets(read))
    return yield* Effect.fromResult(decideRead(principal, read, facts))
  })
