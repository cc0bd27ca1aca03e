import { Schema } from "effect"

/**
 * The broker could not take the log. `Unavailable`: no answer or a timeout, retried on the relay's
 * schedule (the outcome of that publish is unknown; the message id makes the retry safe).
 * `Rejected`: the broker refused (a stream that does not take the subject, a message too large).
 * `InvalidRequest`: the relay's own options are wrong.
 */
export class RelayError extends Schema.TaggedError<RelayError>()("RelayError", {
  reason: Schema.Literals(["Unavailable", "Rejected", "InvalidRequest"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  get isRetryable(): boolean {
    return this.reason === "Unavailable"
  }
}
