import { Schema } from "effect"

/** The tenant's log does not verify: an event was edited, deleted, inserted or reordered, or the log was cut or re-chained. */
export class ChainBroken extends Schema.TaggedError<ChainBroken>()("ChainBroken", {
  tenant: Schema.String,
  kind: Schema.Literals(["HashMismatch", "BrokenLink", "PositionGap", "HeadMismatch", "AnchorMismatch", "Truncated"]),
  position: Schema.Int,
  eventId: Schema.optionalKey(Schema.String)
}) {
  readonly isRetryable = false
  override get message() {
    const what = {
      HashMismatch: "its content no longer matches its hash (edited)",
      BrokenLink: "it does not link to the event before it (deleted, inserted or reordered)",
      PositionGap: "a position is missing (deleted)",
      HeadMismatch: "the store's head does not match the last event (truncated)",
      AnchorMismatch:
        "its hash is not the one a signed anchor recorded for this position (the log was re-chained or an event forged)",
      Truncated: "a signed anchor covers this position but the log ends before it (the tail was deleted)"
    }[this.kind]
    return `the log of ${this.tenant} fails verification at position ${this.position}: ${what}`
  }
}
