/**
 * Persistent (immutable, structurally shared) maps and sets over string keys, for projections that grow with
 * the log; the one persistent collection of the domain, in the contexts' projections and in the reports alike.
 * `with` and `without` return a new collection in O(log n) and leave the old one as it was, where copying a
 * `Map` on every event makes a fold quadratic.
 *
 * They read as `ReadonlyMap` / `ReadonlySet` (`get`, `has`, `size`, iteration), so a projection's readers do
 * not change. Unlike Effect's `HashMap`, they hold only plain data (arrays and objects), so a state saved with
 * `structuredClone` or as JSON and read back is the same value: `PersistentMap.from` / `PersistentSet.from`
 * take it back in O(1). A reader of a state that may have been saved (a view, an `evolve`) therefore reads each
 * collection through `from`. Iteration order is the keys' hash order, not insertion order.
 *
 * The trie is canonical: the same keys give the same shape, whatever order they came in, so two collections
 * with the same entries are deep-equal.
 */

// A hash trie of 16-way branches; a subtree of at most `leafSize` entries (or at the last level) is one leaf
// of entries sorted by key.
const bits = 4
const width = 1 << bits
const mask = width - 1
const leafSize = 8
const maxDepth = 32 / bits

type Entry<V> = readonly [string, V]
type Leaf<V> = ReadonlyArray<Entry<V>>
interface Branch<V> {
  readonly count: number
  readonly children: ReadonlyArray<Node<V> | null>
}
type Node<V> = Leaf<V> | Branch<V>

const isLeaf = <V>(node: Node<V>): node is Leaf<V> => Array.isArray(node)
const countOf = <V>(node: Node<V>): number => (isLeaf(node) ? node.length : node.count)

// FNV-1a over the UTF-16 code units.
const hashOf = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const slotOf = (hash: number, depth: number): number => (hash >>> (depth * bits)) & mask

/** Where the key is in a sorted leaf, or where it goes (as `-(index + 1)`). */
const search = <V>(leaf: Leaf<V>, key: string): number => {
  let lo = 0
  let hi = leaf.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const at = leaf[mid]![0]
    if (at === key) return mid
    if (at < key) lo = mid + 1
    else hi = mid - 1
  }
  return -(lo + 1)
}

/** A branch for sorted entries at a depth: each slot a leaf, or a branch again when it holds too many. */
const split = <V>(entries: Leaf<V>, depth: number): Node<V> => {
  if (entries.length <= leafSize || depth >= maxDepth) return entries
  const groups: Array<Array<Entry<V>>> = Array.from({ length: width }, () => [])
  for (const entry of entries) groups[slotOf(hashOf(entry[0]), depth)]!.push(entry)
  return {
    count: entries.length,
    children: groups.map((group) => (group.length === 0 ? null : split(group, depth + 1)))
  }
}

const lookup = <V>(root: Node<V>, key: string): Entry<V> | undefined => {
  const hash = hashOf(key)
  let node = root
  let depth = 0
  while (!isLeaf(node)) {
    const child = node.children[slotOf(hash, depth)]
    if (child === null || child === undefined) return undefined
    node = child
    depth++
  }
  const i = search(node, key)
  return i < 0 ? undefined : node[i]
}

const insert = <V>(node: Node<V>, key: string, value: V, hash: number, depth: number): Node<V> => {
  if (isLeaf(node)) {
    const i = search(node, key)
    if (i >= 0) {
      if (node[i]![1] === value) return node
      const next = node.slice()
      next[i] = [key, value]
      return next
    }
    const next = node.slice()
    next.splice(-(i + 1), 0, [key, value])
    return split(next, depth)
  }
  const slot = slotOf(hash, depth)
  const child = node.children[slot] ?? null
  const after = child === null ? [[key, value] as const] : insert(child, key, value, hash, depth + 1)
  if (after === child) return node
  const children = node.children.slice()
  children[slot] = after
  return { count: node.count - (child === null ? 0 : countOf(child)) + countOf(after), children }
}

const collect = <V>(node: Node<V>, into: Array<Entry<V>>): Array<Entry<V>> => {
  if (isLeaf(node)) into.push(...node)
  else for (const child of node.children) if (child !== null) collect(child, into)
  return into
}

const byKey = <V>(a: Entry<V>, b: Entry<V>): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

const remove = <V>(node: Node<V>, key: string, hash: number, depth: number): Node<V> => {
  if (isLeaf(node)) {
    const i = search(node, key)
    if (i < 0) return node
    const next = node.slice()
    next.splice(i, 1)
    return next
  }
  const slot = slotOf(hash, depth)
  const child = node.children[slot] ?? null
  if (child === null) return node
  const after = remove(child, key, hash, depth + 1)
  if (after === child) return node
  const children = node.children.slice()
  children[slot] = countOf(after) === 0 ? null : after
  const branch = { count: node.count - 1, children }
  // Back to one leaf when it fits in one, so that the shape depends on the keys only.
  return branch.count <= leafSize ? collect(branch, []).sort(byKey) : branch
}

function* entriesOf<V>(node: Node<V>): Generator<Entry<V>, undefined, unknown> {
  if (isLeaf(node)) yield* node
  else for (const child of node.children) if (child !== null) yield* entriesOf(child)
  return undefined
}

const emptyLeaf: Leaf<never> = []

/** The plain data a collection is, as `structuredClone` or JSON gives it back. */
interface Saved<V> {
  readonly root: Node<V>
}

const isSaved = (value: unknown): value is Saved<unknown> =>
  typeof value === "object" && value !== null && "root" in value && typeof value.root === "object"

/** A persistent map with string keys that reads as a `ReadonlyMap`. */
export class PersistentMap<K extends string, V> implements ReadonlyMap<K, V> {
  readonly root: Node<V>

  private constructor(root: Node<V>) {
    this.root = root
  }

  static empty<K extends string, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(emptyLeaf)
  }

  /**
   * The map itself; a saved one (structured-cloned or parsed from JSON) read back in O(1); any other map or
   * entries built once.
   */
  static from<K extends string, V>(source: ReadonlyMap<K, V> | Iterable<readonly [K, V]>): PersistentMap<K, V> {
    if (source instanceof PersistentMap) return source
    if (isSaved(source)) return new PersistentMap<K, V>((source as Saved<V>).root)
    let map = PersistentMap.empty<K, V>()
    for (const [key, value] of source) map = map.with(key, value)
    return map
  }

  get size(): number {
    return countOf(this.root)
  }

  get(key: K): V | undefined {
    return lookup(this.root, key)?.[1]
  }

  has(key: K): boolean {
    return lookup(this.root, key) !== undefined
  }

  /** The map with `key` set to `value`; this same map when it already holds that very value. */
  with(key: K, value: V): PersistentMap<K, V> {
    const root = insert(this.root, key, value, hashOf(key), 0)
    return root === this.root ? this : new PersistentMap<K, V>(root)
  }

  /** The map without `key`; this same map when it has none. */
  without(key: K): PersistentMap<K, V> {
    const root = remove(this.root, key, hashOf(key), 0)
    return root === this.root ? this : new PersistentMap<K, V>(root)
  }

  forEach(f: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of entriesOf(this.root)) f.call(thisArg, value, key as K, this)
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of entriesOf(this.root)) yield [key as K, value]
    return undefined
  }

  *keys(): MapIterator<K> {
    for (const entry of entriesOf(this.root)) yield entry[0] as K
    return undefined
  }

  *values(): MapIterator<V> {
    for (const entry of entriesOf(this.root)) yield entry[1]
    return undefined
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries()
  }
}

/** A persistent set of strings that reads as a `ReadonlySet`. */
export class PersistentSet<A extends string> implements ReadonlySet<A> {
  readonly root: Node<1>

  private constructor(root: Node<1>) {
    this.root = root
  }

  static empty<A extends string>(): PersistentSet<A> {
    return new PersistentSet<A>(emptyLeaf)
  }

  /** The set itself; a saved one read back in O(1); any other set or members built once. */
  static from<A extends string>(source: ReadonlySet<A> | Iterable<A>): PersistentSet<A> {
    if (source instanceof PersistentSet) return source
    if (isSaved(source)) return new PersistentSet<A>((source as Saved<1>).root)
    return PersistentSet.empty<A>().withAll(source)
  }

  get size(): number {
    return countOf(this.root)
  }

  has(member: A): boolean {
    return lookup(this.root, member) !== undefined
  }

  /** The set with `member`; this same set when it has it already. */
  with(member: A): PersistentSet<A> {
    const root = insert(this.root, member, 1, hashOf(member), 0)
    return root === this.root ? this : new PersistentSet<A>(root)
  }

  /** The set with every one of `members`; this same set when it has them all. */
  withAll(members: Iterable<A>): PersistentSet<A> {
    let root = this.root
    for (const member of members) root = insert(root, member, 1, hashOf(member), 0)
    return root === this.root ? this : new PersistentSet<A>(root)
  }

  /** The set without `member`; this same set when it does not have it. */
  without(member: A): PersistentSet<A> {
    const root = remove(this.root, member, hashOf(member), 0)
    return root === this.root ? this : new PersistentSet<A>(root)
  }

  forEach(f: (value: A, key: A, set: ReadonlySet<A>) => void, thisArg?: unknown): void {
    for (const [member] of entriesOf(this.root)) f.call(thisArg, member as A, member as A, this)
  }

  *entries(): SetIterator<[A, A]> {
    for (const [member] of entriesOf(this.root)) yield [member as A, member as A]
    return undefined
  }

  *keys(): SetIterator<A> {
    for (const [member] of entriesOf(this.root)) yield member as A
    return undefined
  }

  values(): SetIterator<A> {
    return this.keys()
  }

  [Symbol.iterator](): SetIterator<A> {
    return this.keys()
  }
}
