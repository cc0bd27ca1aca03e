import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto"
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer, Schema } from "effect"
import { Tenant } from "./Envelope.ts"
import { canonicalJson } from "./HashChain.ts"
import { Instant } from "./Scalars.ts"

/**
 * A signed checkpoint of a tenant's log: "at `at`, the log of `tenant` ended at `position` with `hash`",
 * signed with an Ed25519 key the store never holds. Kept outside the database (see `AnchorStore`), it is
 * what makes truncating or re-chaining the log visible to an auditor (docs/audit.md).
 */
export const Anchor = Schema.Struct({
  format: Schema.Literal("shuangbai-anchor/1"),
  tenant: Tenant,
  position: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  hash: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/, { expected: "64 lower-case hex digits" })),
  at: Instant,
  /** hex sha256 of the public key (DER, SubjectPublicKeyInfo): which key signed, without trusting it. */
  key: Schema.String,
  /** base64 Ed25519 signature of `signedText(anchor)`. */
  signature: Schema.String
})
export type Anchor = typeof Anchor.Type

export type Unsigned = Pick<Anchor, "tenant" | "position" | "hash" | "at">

/** The exact text signed: canonical JSON of the format, tenant, position, hash and time. */
export const signedText = (anchor: Unsigned): string =>
  canonicalJson({
    format: "shuangbai-anchor/1",
    tenant: anchor.tenant,
    position: anchor.position,
    hash: anchor.hash,
    at: anchor.at
  })

/** The id of a public key: hex sha256 of its DER (SubjectPublicKeyInfo) encoding. */
export const keyId = (publicKey: KeyObject): string =>
  createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")

/** A key file is missing, unreadable or not an Ed25519 key of the expected kind. */
export class KeyFileError extends Schema.TaggedError<KeyFileError>()("KeyFileError", {
  path: Schema.String,
  reason: Schema.Literals(["Missing", "Unreadable", "NotEd25519"]),
  detail: Schema.String
}) {
  readonly isRetryable = false
  override get message() {
    return `key file ${this.path}: ${this.detail}`
  }
}

/** An anchor that cannot be trusted: it was not signed by the key given, or is about another tenant. */
export class AnchorRefused extends Schema.TaggedError<AnchorRefused>()("AnchorRefused", {
  tenant: Schema.String,
  position: Schema.Int,
  reason: Schema.Literals(["BadSignature", "OtherTenant"]),
  anchorTenant: Schema.String
}) {
  readonly isRetryable = false
  override get message() {
    return this.reason === "OtherTenant"
      ? `the anchor at position ${this.position} is for tenant ${this.anchorTenant}, not ${this.tenant}: it proves nothing about this log`
      : `the anchor of ${this.anchorTenant} at position ${this.position} was not signed by the public key given (a forged or altered anchor, or another key): refused`
  }
}

/** Reading or writing anchors failed, or a stored anchor is not an anchor. */
export class AnchorStoreError extends Schema.TaggedError<AnchorStoreError>()("AnchorStoreError", {
  where: Schema.String,
  detail: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  readonly isRetryable = false
  override get message() {
    return `anchors at ${this.where}: ${this.detail}`
  }
}

const ed25519 = (key: KeyObject, path: string, want: "private" | "public") =>
  key.asymmetricKeyType === "ed25519" && key.type === want
    ? Effect.succeed(key)
    : Effect.fail(
        new KeyFileError({
          path,
          reason: "NotEd25519",
          detail: `holds a ${key.asymmetricKeyType ?? "symmetric"} ${key.type} key, not an Ed25519 ${want} key (make one with: openssl genpkey -algorithm ed25519${want === "public" ? " | openssl pkey -pubout" : ""})`
        })
      )

const readKeyFile = (path: string, parse: (pem: Buffer) => KeyObject, want: "private" | "public") =>
  Effect.tryPromise({
    try: () => readFile(path),
    catch: (error) =>
      new KeyFileError({
        path,
        reason: (error as NodeJS.ErrnoException).code === "ENOENT" ? "Missing" : "Unreadable",
        detail: (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)
      })
  }).pipe(
    Effect.flatMap((pem) =>
      Effect.try({
        try: () => parse(pem),
        catch: () => new KeyFileError({ path, reason: "Unreadable", detail: `is not a PEM ${want} key` })
      })
    ),
    Effect.flatMap((key) => ed25519(key, path, want))
  )

/** An Ed25519 private key from a PEM file, as `openssl genpkey -algorithm ed25519` writes it. */
export const readPrivateKey = (path: string): Effect.Effect<KeyObject, KeyFileError> =>
  readKeyFile(path, (pem) => createPrivateKey(pem), "private")

/** An Ed25519 public key from a PEM file, as `openssl pkey -pubout` writes it. */
export const readPublicKey = (path: string): Effect.Effect<KeyObject, KeyFileError> =>
  readKeyFile(path, (pem) => createPublicKey(pem), "public")

/** Signs checkpoints. The store never holds it: a host provides it from a key file or a signing service. */
export class Signer extends Context.Service<
  Signer,
  {
    readonly publicKey: KeyObject
    /** An Ed25519 signature of `message`. */
    readonly sign: (message: Uint8Array) => Effect.Effect<Uint8Array, SignerError>
  }
>()("@shuangbai/eventsourcing/Signer") {}

export class SignerError extends Schema.TaggedError<SignerError>()("SignerError", {
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  readonly isRetryable = false
}

/** A signer over a private key held in this process. */
export const signerFromKey = (privateKey: KeyObject): Signer["Service"] => ({
  publicKey: createPublicKey(privateKey),
  sign: (message) =>
    Effect.try({
      try: () => sign(null, message, privateKey),
      catch: (cause) => new SignerError({ message: `signing failed: ${String(cause)}`, cause })
    })
})

/** `Signer` from a PEM private key file (`openssl genpkey -algorithm ed25519 -out FILE`). */
export const layerSignerKeyFile = (path: string): Layer.Layer<Signer, KeyFileError> =>
  Layer.effect(Signer, Effect.map(readPrivateKey(path), signerFromKey))

/** Signs a checkpoint with the `Signer`. */
export const signWith = (unsigned: Unsigned): Effect.Effect<Anchor, SignerError, Signer> =>
  Effect.gen(function* () {
    const signer = yield* Signer
    const signature = yield* signer.sign(Buffer.from(signedText(unsigned), "utf8"))
    return {
      format: "shuangbai-anchor/1",
      tenant: unsigned.tenant,
      position: unsigned.position,
      hash: unsigned.hash,
      at: unsigned.at,
      key: keyId(signer.publicKey),
      signature: Buffer.from(signature).toString("base64")
    }
  })

/** Checks an anchor's signature and tenant; returns it when it can be trusted. */
export const check = (anchor: Anchor, tenant: string, publicKey: KeyObject): Effect.Effect<Anchor, AnchorRefused> => {
  const refused = (reason: "BadSignature" | "OtherTenant") =>
    Effect.fail(new AnchorRefused({ tenant, position: anchor.position, reason, anchorTenant: anchor.tenant }))
  if (anchor.tenant !== tenant) return refused("OtherTenant")
  let ok = false
  try {
    const signature = Buffer.from(anchor.signature, "base64")
    // Base64 has spare bits: only the one spelling of the signature is accepted, so no byte of an anchor can change.
    ok =
      anchor.key === keyId(publicKey) &&
      signature.toString("base64") === anchor.signature &&
      verify(null, Buffer.from(signedText(anchor), "utf8"), publicKey, signature)
  } catch {
    ok = false
  }
  return ok ? Effect.succeed(anchor) : refused("BadSignature")
}

/** Where checkpoints are kept: a place the host chooses, outside the event store's database. */
export class AnchorStore extends Context.Service<
  AnchorStore,
  {
    readonly put: (anchor: Anchor) => Effect.Effect<void, AnchorStoreError>
    /** Every anchor of the tenant, by position (then time). Not checked: see `check`. */
    readonly list: (tenant: string) => Effect.Effect<ReadonlyArray<Anchor>, AnchorStoreError>
  }
>()("@shuangbai/eventsourcing/AnchorStore") {}

const byPosition = (a: Anchor, b: Anchor) => a.position - b.position || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)

/** Anchors in memory: for tests and for hosts that publish them elsewhere themselves. */
export const layerAnchorsMemory: Layer.Layer<AnchorStore> = Layer.sync(AnchorStore, () => {
  const anchors: Array<Anchor> = []
  return {
    put: (anchor) => Effect.sync(() => void anchors.push(anchor)),
    list: (tenant) => Effect.sync(() => anchors.filter((a) => a.tenant === tenant).sort(byPosition))
  }
})

const decodeAnchor = Schema.decodeUnknownEffect(Schema.fromJsonString(Anchor))

/** The file an anchor is written to: one per checkpoint, named so a listing sorts by position. */
export const fileName = (anchor: Anchor): string =>
  `${String(anchor.position).padStart(15, "0")}-${anchor.at.replaceAll(":", "")}-${anchor.key.slice(0, 8)}.json`

/**
 * Anchors as files, `DIR/<tenant>/<position>-<time>-<key>.json`, one JSON anchor each: a directory a host
 * can sync, publish or mount read-only for auditors. A file that is not an anchor is an error naming it.
 */
export const layerAnchorsDirectory = (dir: string): Layer.Layer<AnchorStore> =>
  Layer.succeed(AnchorStore, {
    put: (anchor) =>
      Effect.tryPromise({
        try: async () => {
          const folder = join(dir, encodeURIComponent(anchor.tenant))
          await mkdir(folder, { recursive: true })
          const file = join(folder, fileName(anchor))
          // Written whole or not at all: a reader never sees half an anchor.
          await writeFile(`${file}.tmp`, `${JSON.stringify(anchor, null, 2)}\n`, { flag: "w" })
          await rename(`${file}.tmp`, file)
        },
        catch: (cause) => new AnchorStoreError({ where: dir, detail: `cannot write: ${String(cause)}`, cause })
      }),
    list: (tenant) =>
      Effect.gen(function* () {
        const folder = join(dir, encodeURIComponent(tenant))
        const names = yield* Effect.tryPromise({
          try: () => readdir(folder),
          catch: (cause) => cause as NodeJS.ErrnoException
        }).pipe(
          Effect.catch((error) =>
            error.code === "ENOENT"
              ? Effect.succeed([] as Array<string>)
              : Effect.fail(new AnchorStoreError({ where: folder, detail: `cannot list: ${String(error)}` }))
          )
        )
        const anchors: Array<Anchor> = []
        for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
          const file = join(folder, name)
          const text = yield* Effect.tryPromise({
            try: () => readFile(file, "utf8"),
            catch: (cause) => new AnchorStoreError({ where: file, detail: `cannot read: ${String(cause)}`, cause })
          })
          anchors.push(
            yield* Effect.mapError(
              decodeAnchor(text),
              (error) => new AnchorStoreError({ where: file, detail: `is not an anchor: ${error.message}` })
            )
          )
        }
        return anchors.sort(byPosition)
      })
  })
