import { Schema } from "effect"

/** What a writer believes about the stream it appends to. */
export const ExpectedVersion = Schema.Union([
  Schema.Struct({ _tag: Schema.Literal("Exact"), version: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)) }),
  Schema.Struct({ _tag: Schema.Literal("NoStream") }),
  Schema.Struct({ _tag: Schema.Literal("StreamExists") }),
  Schema.Struct({ _tag: Schema.Literal("Any") })
])
export type ExpectedVersion = typeof ExpectedVersion.Type

export const exact = (version: number): ExpectedVersion => (version === 0 ? noStream : { _tag: "Exact", version })
export const noStream: ExpectedVersion = { _tag: "NoStream" }
export const streamExists: ExpectedVersion = { _tag: "StreamExists" }
export const any: ExpectedVersion = { _tag: "Any" }

/** Whether a stream now at `current` (0 = absent) satisfies the expectation. */
export const accepts = (expected: ExpectedVersion, current: number): boolean => {
  switch (expected._tag) {
    case "Exact":
      return current === expected.version
    case "NoStream":
      return current === 0
    case "StreamExists":
      return current > 0
    case "Any":
      return true
  }
}
