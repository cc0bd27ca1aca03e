import { HashMap, Option } from "effect"

/** A persistent map's value, or undefined. */
export const lookup = <K, V>(map: HashMap.HashMap<K, V>, key: K): V | undefined =>
  Option.getOrUndefined(HashMap.get(map, key))

/** Adds one to a count kept in a persistent map. */
export const increment = <K>(map: HashMap.HashMap<K, number>, key: K, by = 1): HashMap.HashMap<K, number> =>
  HashMap.set(map, key, (lookup(map, key) ?? 0) + by)
