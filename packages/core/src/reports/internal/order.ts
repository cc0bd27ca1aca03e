/** Sorts by a string key, ascending, without locale rules (ids sort the same everywhere). */
export const byKey =
  <A>(key: (a: A) => string) =>
  (a: A, b: A): number => {
    const ka = key(a)
    const kb = key(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  }
