/**
 * How a tenant's log is named on the broker. A NATS subject is made of tokens separated by `.`, and
 * `*`, `>` and whitespace are wildcards or separators; a tenant id may contain any of them but spaces.
 * So a tenant becomes one token in which every byte outside `[A-Za-z0-9_-]` is written `%XX`: two
 * tenants never share a subject and the tenant can be read back from it.
 */

const plain = /^[A-Za-z0-9_-]$/

/** The tenant as one subject token (injective: `fromToken(token(t)) === t`). */
export const token = (tenant: string): string => {
  let out = ""
  for (const char of tenant) {
    if (plain.test(char)) out += char
    else
      for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return out
}

export const fromToken = (encoded: string): string => decodeURIComponent(encoded)

/** `<prefix>.<tenant token>`: every event of one tenant, in position order. */
export const forTenant = (prefix: string, tenant: string): string => `${prefix}.${token(tenant)}`

/** What the JetStream stream takes: every tenant under the prefix. */
export const all = (prefix: string): string => `${prefix}.>`

const prefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/
const streamNamePattern = /^[A-Za-z0-9_-]{1,64}$/

/** Why a subject prefix is unusable, or undefined when it is fine. */
export const checkPrefix = (prefix: string): string | undefined =>
  prefixPattern.test(prefix)
    ? undefined
    : `subject prefix ${JSON.stringify(prefix)} must be dot-separated tokens of letters, digits, _ or -`

/** Why a JetStream stream name is unusable, or undefined when it is fine. */
export const checkStreamName = (name: string): string | undefined =>
  streamNamePattern.test(name) ? undefined : `stream name ${JSON.stringify(name)} must be 1–64 letters, digits, _ or -`
