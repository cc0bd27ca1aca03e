// HTML built only through the `html` tag: every interpolated string is escaped, so a station name, a
// campaign title or a county name typed by a user can never become markup. Markup nests as `Html`.

const HtmlTypeId: unique symbol = Symbol.for("@shuangbai/server/dashboard/Html")

export interface Html {
  readonly [HtmlTypeId]: true
  readonly text: string
}

/** What may be interpolated: text (escaped), numbers, nested Html, lists of them, nothing. */
export type Part = string | number | Html | ReadonlyArray<Part> | undefined | false

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Text safe in element content and in quoted attribute values. */
export const escapeText = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!)

const isHtml = (part: unknown): part is Html => typeof part === "object" && part !== null && HtmlTypeId in part

const render = (part: Part): string => {
  if (part === undefined || part === false) return ""
  if (typeof part === "string") return escapeText(part)
  if (typeof part === "number") return escapeText(String(part))
  if (isHtml(part)) return part.text
  return part.map(render).join("")
}

/** The template's own text is markup; every value in it is escaped unless it is already `Html`. */
export const html = (strings: TemplateStringsArray, ...parts: ReadonlyArray<Part>): Html => {
  let text = strings[0]!
  for (let i = 0; i < parts.length; i++) text += render(parts[i]!) + strings[i + 1]!
  return { [HtmlTypeId]: true, text }
}

/** A number for an SVG attribute: finite and short. */
export const coordinate = (n: number): string => (Number.isFinite(n) ? String(Math.round(n * 10) / 10) : "0")
