import type { StoredEvent } from "./Envelope.ts"

/** A stored event with its payload decoded: the envelope for audit fields, `event` for the domain. */
export interface Recorded<E> extends Omit<StoredEvent, "data"> {
  readonly event: E
  /** The personal fields (paths such as `head.name`) whose subject was erased: the event holds their erased value. */
  readonly erased?: ReadonlyArray<string>
}
