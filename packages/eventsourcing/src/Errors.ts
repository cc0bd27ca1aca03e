import { Schema, SchemaIssue } from "effect"
import { ExpectedVersion } from "./ExpectedVersion.ts"
import { StreamId } from "./StreamId.ts"

/** An issue found by a Schema, as a path into the value and a message. */
export const Issue = Schema.Struct({ path: Schema.String, message: Schema.String })
export type Issue = typeof Issue.Type

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** Flattens a Schema issue tree into `{ path: "a.b[0]", message }` rows a person can act on. */
export const issuesOf = (issue: SchemaIssue.Issue): ReadonlyArray<Issue> =>
  formatter(issue).issues.map((i) => ({
    path: (i.path ?? [])
      .map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p))
      .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
      .join(".")
      .replaceAll(".[", "["),
    message: i.message
  }))

/** Another writer moved the stream on. The command handler reloads and retries these. */
export class ConcurrencyConflict extends Schema.TaggedError<ConcurrencyConflict>()("ConcurrencyConflict", {
  tenant: Schema.String,
  stream: StreamId,
  expected: ExpectedVersion,
  actual: Schema.Int
}) {
  readonly isRetryable = true
  override get message() {
    const expected = this.expected._tag === "Exact" ? `version ${this.expected.version}` : this.expected._tag
    return `stream ${this.stream.category}/${this.stream.id} of ${this.tenant} is at version ${this.actual}, expected ${expected}`
  }
}

/** A business rule said no. `code` is stable and safe to branch on; the messages are for people. */
export class RuleViolation extends Schema.TaggedError<RuleViolation>()("RuleViolation", {
  code: Schema.String,
  message: Schema.String,
  messageZh: Schema.String,
  fields: Schema.Record(Schema.String, Schema.Unknown)
}) {
  readonly isRetryable = false
}

/** A command that does not match its Schema: each issue names the field. */
export class InvalidCommand extends Schema.TaggedError<InvalidCommand>()("InvalidCommand", {
  command: Schema.String,
  issues: Schema.Array(Issue)
}) {
  readonly isRetryable = false
  override get message() {
    return `invalid ${this.command}: ${this.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`
  }
}

/** A stored event whose payload does not match its Schema. Names the event so an auditor can find the row. */
export class InvalidEvent extends Schema.TaggedError<InvalidEvent>()("InvalidEvent", {
  type: Schema.String,
  schemaVersion: Schema.Int,
  eventId: Schema.String,
  position: Schema.optionalKey(Schema.Int),
  issues: Schema.Array(Issue)
}) {
  readonly isRetryable = false
  override get message() {
    const at = this.position === undefined ? "" : ` at position ${this.position}`
    return `invalid ${this.type} v${this.schemaVersion} (event ${this.eventId}${at}): ${this.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`
  }
}

/** A stored event of a type (or schema version) this code does not know. */
export class UnknownEventType extends Schema.TaggedError<UnknownEventType>()("UnknownEventType", {
  type: Schema.String,
  schemaVersion: Schema.Int,
  eventId: Schema.String,
  position: Schema.optionalKey(Schema.Int)
}) {
  readonly isRetryable = false
  override get message() {
    return `unknown event type ${this.type} v${this.schemaVersion} (event ${this.eventId})`
  }
}

export class StreamNotFound extends Schema.TaggedError<StreamNotFound>()("StreamNotFound", {
  tenant: Schema.String,
  stream: StreamId
}) {
  readonly isRetryable = false
  override get message() {
    return `stream ${this.stream.category}/${this.stream.id} of ${this.tenant} does not exist`
  }
}

/** The same commandId arrived again with a different request: the store refuses rather than guess. */
export class IdempotencyMismatch extends Schema.TaggedError<IdempotencyMismatch>()("IdempotencyMismatch", {
  tenant: Schema.String,
  commandId: Schema.String
}) {
  readonly isRetryable = false
  override get message() {
    return `command ${this.commandId} of ${this.tenant} was already recorded with a different request; use a new commandId`
  }
}

/** The store itself failed. `reason` says which way; retryable ones may succeed on a second try. */
export class EventStoreError extends Schema.TaggedError<EventStoreError>()("EventStoreError", {
  reason: Schema.Literals(["Unavailable", "NotMigrated", "TooLarge", "InvalidRequest", "Corrupt", "Unknown"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  get isRetryable() {
    return this.reason === "Unavailable"
  }
}
