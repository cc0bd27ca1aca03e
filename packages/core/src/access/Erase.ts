import { Erasure, type EventStore, type EventStoreError, IdGenerator, type SubjectKeys } from "@shuangbai/eventsourcing"
import { Effect } from "effect"
import * as Domain from "../Domain.ts"
import type { AccessDenied } from "./AccessDenied.ts"
import { decideErasure } from "./Policy.ts"
import { actorOf, type Principal } from "./Principal.ts"

/**
 * Erases a data subject as an authenticated principal (`Erasure.erase` with the domain's codec): the policy
 * lets only the tenant's `admin` do it (Policy.ts, `erasureRule`), and the erasure event records that
 * principal as its actor. `commandId` names the request (a retry with it returns the first answer).
 */
export const erase = (
  principal: Principal,
  tenant: string,
  subject: string,
  request: Erasure.Request,
  options: { readonly commandId?: string } = {}
): Effect.Effect<
  Erasure.Erased,
  AccessDenied | Erasure.InvalidErasure | Erasure.SubjectNotFound | EventStoreError,
  EventStore.EventStore | SubjectKeys.SubjectKeys | IdGenerator.IdGenerator
> =>
  Effect.gen(function* () {
    const role = yield* Effect.fromResult(decideErasure(principal, tenant, subject))
    const commandId = options.commandId ?? (yield* (yield* IdGenerator.IdGenerator).next)
    return yield* Erasure.erase(
      tenant,
      subject,
      request,
      { actor: actorOf(principal, role), commandId, correlationId: commandId, causationId: commandId },
      Domain.codec
    )
  })
