import { RuleViolation } from "./Errors.ts"

/** A business rule's refusal: a stable code and the sentence a worker reads, in zh-CN and en. */
export interface Rule<Fields extends Record<string, unknown>> {
  (fields: Fields): RuleViolation
  readonly code: string
  readonly is: (error: unknown) => error is RuleViolation
}

/**
 * Declares a rule once, where it is enforced:
 * `const VisitInFuture = Rule.define("VisitInFuture", { en: (f) => …, zh: (f) => … })`.
 */
export const define = <Fields extends Record<string, unknown> = {}>(
  code: string,
  messages: { readonly en: (fields: Fields) => string; readonly zh: (fields: Fields) => string }
): Rule<Fields> =>
  Object.assign(
    (fields: Fields) =>
      new RuleViolation({ code, message: messages.en(fields), messageZh: messages.zh(fields), fields }),
    {
      code,
      is: (error: unknown): error is RuleViolation => error instanceof RuleViolation && error.code === code
    }
  )
