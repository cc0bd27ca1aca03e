/** A label in both languages every report prints in. */
export interface Label {
  readonly "zh-CN": string
  readonly en: string
}

export type Language = keyof Label

/** One label per member of a literal union: a missing or extra label fails to compile. */
export type Labels<Tag extends string> = { readonly [K in Tag]: Label }

export const label = <Tag extends string>(labels: Labels<Tag>, tag: Tag, language: Language): string =>
  labels[tag][language]
