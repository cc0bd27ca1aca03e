import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { PersistentMap, PersistentSet } from "./Persistent.ts"

// Keys from a small alphabet collide often enough to reach every shape: leaves, branches, collapses.
const key = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.integer({ min: 0, max: 400 }).map((n) => `k${n}`)
)
const op = fc.oneof(
  fc.tuple(fc.constant("with" as const), key, fc.integer({ min: 0, max: 3 })),
  fc.tuple(fc.constant("without" as const), key, fc.constant(0))
)

const apply = (ops: ReadonlyArray<readonly ["with" | "without", string, number]>) => {
  const model = new Map<string, number>()
  const versions = [PersistentMap.empty<string, number>()]
  // What each version held when it was made.
  const snapshots: Array<Array<[string, number]>> = [[]]
  for (const [kind, k, v] of ops) {
    const before = versions[versions.length - 1]!
    if (kind === "with") model.set(k, v)
    else model.delete(k)
    versions.push(kind === "with" ? before.with(k, v) : before.without(k))
    snapshots.push([...model])
  }
  return { model, versions, snapshots }
}

const sorted = <A>(entries: Iterable<A>) => [...entries].sort()

describe("PersistentMap", () => {
  it("reads as the Map the same changes make", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.array(key, { maxLength: 20 }), (ops, probes) => {
        const { model, versions } = apply(ops)
        const map = versions[versions.length - 1]!
        assert.strictEqual(map.size, model.size)
        assert.deepStrictEqual(sorted(map), sorted(model))
        assert.deepStrictEqual(sorted(map.keys()), sorted(model.keys()))
        assert.deepStrictEqual(sorted(map.values()), sorted(model.values()))
        for (const k of [...probes, ...model.keys()]) {
          assert.strictEqual(map.get(k), model.get(k))
          assert.strictEqual(map.has(k), model.has(k))
        }
        const seen: Array<[string, number]> = []
        map.forEach((v, k) => {
          seen.push([k, v])
        })
        assert.deepStrictEqual(sorted(seen), sorted(model))
      })
    )
  })

  it("leaves every earlier version as it was", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const { versions, snapshots } = apply(ops)
        for (const [i, version] of versions.entries()) assert.deepStrictEqual(sorted(version), sorted(snapshots[i]!))
      })
    )
  })

  it("has one shape for the same entries, whatever the order they came in or went out", () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 200 }), fc.array(key, { maxLength: 100 }), (keys, gone) => {
        const forward = keys.reduce((m, k) => m.with(k, 1), PersistentMap.empty<string, number>())
        const backward = [...keys, ...gone]
          .reverse()
          .reduce((m, k) => m.with(k, 1), PersistentMap.empty<string, number>())
        const removed = gone.filter((k) => !keys.includes(k)).reduce((m, k) => m.without(k), backward)
        assert.deepStrictEqual(removed, forward)
      })
    )
  })

  it("gives back the same map when nothing changes", () => {
    const map = PersistentMap.empty<string, number>().with("a", 1)
    assert.strictEqual(map.with("a", 1), map)
    assert.strictEqual(map.without("b"), map)
  })

  it("reads a saved copy back (structuredClone, JSON) as the same map", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const { versions } = apply(ops)
        const map = versions[versions.length - 1]!
        for (const copy of [structuredClone(map), JSON.parse(JSON.stringify(map))]) {
          const back = PersistentMap.from<string, number>(copy)
          assert.deepStrictEqual(sorted(back), sorted(map))
          assert.deepStrictEqual(back.with("z", 9), map.with("z", 9))
        }
        assert.deepStrictEqual(PersistentMap.from(new Map([...map])), map)
      })
    )
  })
})

describe("PersistentSet", () => {
  it("reads as the Set the same changes make, and reads a saved copy back", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const model = new Set<string>()
        let set = PersistentSet.empty<string>()
        for (const [kind, k] of ops) {
          if (kind === "with") model.add(k)
          else model.delete(k)
          set = kind === "with" ? set.with(k) : set.without(k)
        }
        assert.strictEqual(set.size, model.size)
        assert.deepStrictEqual(sorted(set), sorted(model))
        assert.deepStrictEqual(sorted(set.values()), sorted(model))
        for (const k of model) assert.isTrue(set.has(k))
        assert.deepStrictEqual(PersistentSet.from(model), set)
        assert.deepStrictEqual(PersistentSet.empty<string>().withAll(model), set)
        assert.deepStrictEqual(PersistentSet.from<string>(structuredClone(set)).with("z"), set.with("z"))
        assert.strictEqual(set.withAll(model), set)
      })
    )
  })
})
