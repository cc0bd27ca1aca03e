import { createHash } from "node:crypto"
import { StreamId } from "@shuangbai/eventsourcing"
import { CaseId, type PersonId } from "../shared/Ids.ts"
import type { CaseType } from "./Events.ts"

/**
 * One stream per recipient and case type: the recipient's case file of that type, holding every case
 * opened for them, one after the other (opened, closed, reopened, a new case opened after a close…).
 *
 * Why: "one open case per recipient per case type" must hold under concurrent writers, and the store
 * is atomic only within one stream. Keeping the rule's whole state in the one stream its commands write
 * makes it an ordinary optimistic-concurrency check: two workers opening a case for the same recipient
 * and type append to the same stream at the same expected version, one wins, the other is retried,
 * sees the open case and is refused. A separate "case-index" stream, or one stream per case numbered
 * by a sequence, would need a second append (closing case n while opening n + 1 or reopening n is
 * write skew across two streams), which no store here can make atomic.
 *
 * The case id is therefore derived, never chosen: `caseIdOf(person, caseType)`.
 */
export const category = "case"

const maxIdLength = 128

/** `person.caseType`; a person id too long to fit is replaced by its SHA-256, so the id stays one-to-one. */
export const caseIdOf = (person: PersonId, caseType: CaseType): CaseId => {
  const plain = `${person}.${caseType}`
  if (plain.length <= maxIdLength) return CaseId.make(plain)
  const digest = createHash("sha256").update(person, "utf8").digest("hex")
  return CaseId.make(`sha256-${digest}.${caseType}`)
}

export const streamOf = (id: CaseId): StreamId.StreamId => StreamId.make(category, id)
