import { PersistentMap } from "../../shared/Persistent.ts"

/** Adds one (or `by`) to a count kept in a persistent map. */
export const increment = <K extends string>(
  map: PersistentMap<K, number>,
  key: K,
  by = 1
): PersistentMap<K, number> => {
  const counts = PersistentMap.from(map)
  return counts.with(key, (counts.get(key) ?? 0) + by)
}
