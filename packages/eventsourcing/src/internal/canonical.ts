/** The canonical JSON writer behind `HashChain.canonicalJson` (see there for the rules). */
// Quoted object keys, memoised: envelopes and payloads repeat the same few keys on every event.
const quotedKeys = new Map<string, string>()
export const quoteKey = (key: string): string => {
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    quoted = JSON.stringify(key)
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted)
  }
  return quoted
}

// Cleared by `write` when it meets a value whose canonical form might differ from that of its JSON round
// trip; read only through `writeNotingPlain`, which sets it before writing.
let plain = true

/**
 * `write(value)`, and whether every value it met was plain JSON (plain objects and arrays, strings, numbers,
 * booleans, null): then the text is also the canonical form of the value's JSON round trip.
 */
export const writeNotingPlain = (value: unknown): { readonly text: string; readonly plain: boolean } => {
  plain = true
  const text = write(value)
  return { text, plain }
}

/** Written as its text, unchanged: a value already in canonical form. */
export class Verbatim {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

// Key orders already sorted, by their first key: a store returns every envelope, and a domain every payload
// of a type, with its keys in the same order, so each order is sorted once, not once an object (the sort
// was a fifth of the time of a hash).
const sortedOrders = new Map<string, { readonly keys: ReadonlyArray<string>; readonly sorted: ReadonlyArray<string> }>()

const sameKeys = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The object's own keys in the default sort order (UTF-16 code units). The caller must not change the array. */
export const sortedKeys = (value: object): ReadonlyArray<string> => {
  const keys = Object.keys(value)
  let inOrder = true
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      inOrder = false
      break
    }
  }
  // most objects need no sorting at all
  if (inOrder) return keys
  const known = sortedOrders.get(keys[0]!)
  if (known !== undefined && sameKeys(known.keys, keys)) return known.sorted
  const sorted = [...keys].sort()
  if (sortedOrders.size < 4096) sortedOrders.set(keys[0]!, { keys, sorted })
  return sorted
}

// What JSON.stringify escapes in a string: quote, backslash, control characters, and (well-formed JSON.stringify)
// surrogates, which it escapes when they are lone; a pair is left to it too.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/

export const write = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      // Text with nothing to escape is its own JSON (quoted); anything else as JSON.stringify writes it.
      return needsEscape.test(value) ? JSON.stringify(value) : `"${value}"`
    case "number":
      // Number → string is the same conversion JSON.stringify uses; non-finite numbers are null in JSON.
      return Number.isFinite(value) ? `${value}` : "null"
    case "boolean":
      return value ? "true" : "false"
    case "object": {
      if (value === null) return "null"
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) plain = false
        const n = value.length
        let out = "["
        for (let i = 0; i < n; i++) {
          if (i > 0) out += ","
          const item = value[i]
          // A hole is left empty, as `Array.prototype.map(…).join(",")` leaves it.
          if (item === undefined && !(i in value)) plain = false
          else out += write(item)
        }
        return `${out}]`
      }
      if (value instanceof Verbatim) return value.text
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) plain = false
      const keys = sortedKeys(value)
      let out = "{"
      let first = true
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!
        const item = (value as Record<string, unknown>)[key]
        if (item === undefined) continue
        if (first) first = false
        else out += ","
        out += quoteKey(key)
        out += ":"
        out += write(item)
      }
      return `${out}}`
    }
    case "undefined":
      return "null"
    default:
      // function, symbol: "null" as before; bigint throws as JSON.stringify does.
      plain = false
      return JSON.stringify(value) ?? "null"
  }
}
