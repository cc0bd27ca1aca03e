import { Effect, type Option } from "effect"
import { Flag } from "effect/cli"
import * as Principal from "./Principal.ts"
import * as Store from "./Store.ts"

// What every subcommand shares: the store flags (Store.flags), `--tenant` and the principal flags
// (Principal.flags), the store they open, and the flags of reads that are recorded or anchored.

export const flags = { ...Store.flags, tenant: Store.tenantFlag, ...Principal.flags }

export type Flags = {
  readonly databaseUrl: Option.Option<string>
  readonly dataDir: Option.Option<string>
  readonly schema: string
  readonly tenant: Option.Option<string>
  readonly as: string
  readonly asRole: string
  readonly asStation: Option.Option<string>
}

/** Runs `program` on the store the flags name. */
export const onStore = <A, E, R extends Store.Services>(
  flags: Flags,
  program: (target: Store.Target) => Effect.Effect<A, E, R>,
  options: { readonly migrate?: boolean } = {}
) =>
  Effect.gen(function* () {
    const target = yield* Store.target(flags)
    return yield* program(target).pipe(Effect.provide(Store.layer(target, options)))
  })

/** Why personal data is read: required where it is (Access.AccessLog), recorded in the access log. */
export const purpose = Flag.String("purpose").pipe(
  Flag.withMetavar("TEXT"),
  Flag.withDescription(
    "Why you read this personal data (required for it; recorded with who and when in the access log, which auditors list with `shuangbai audit access-log`)."
  ),
  Flag.optional
)

export const anchorsFlag = Flag.String("anchors").pipe(
  Flag.withMetavar("DIR"),
  Flag.withDescription(
    "Directory of signed anchors (Anchor.layerAnchorsDirectory): DIR/<tenant>/<position>-<time>-<key>.json."
  )
)

export const publicKeyFlag = Flag.String("public-key").pipe(Flag.withMetavar("FILE"))
