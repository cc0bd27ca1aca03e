import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Subjects from "./Subjects.ts"

const tenant = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 })

describe("Subjects", () => {
  it("turns any tenant into one subject token free of separators and wildcards", () => {
    fc.assert(
      fc.property(tenant, (t) => {
        const token = Subjects.token(t)
        assert.match(token, /^[A-Za-z0-9_%-]+$/)
        assert.strictEqual(Subjects.fromToken(token), t)
      })
    )
  })

  it("never gives two tenants the same subject", () => {
    fc.assert(
      fc.property(tenant, tenant, (a, b) => {
        fc.pre(a !== b)
        assert.notStrictEqual(Subjects.forTenant("sb", a), Subjects.forTenant("sb", b))
      })
    )
  })

  it("keeps a plain tenant readable and escapes the rest", () => {
    assert.strictEqual(Subjects.forTenant("shuangbai", "county-yangshan"), "shuangbai.county-yangshan")
    assert.strictEqual(Subjects.token("a.b*>"), "a%2Eb%2A%3E")
    assert.strictEqual(Subjects.token("阳山"), "%E9%98%B3%E5%B1%B1")
  })

  it("names what is wrong with a prefix or a stream name", () => {
    assert.isUndefined(Subjects.checkPrefix("shuangbai.events"))
    assert.include(Subjects.checkPrefix("a.>") ?? "", "subject prefix")
    assert.include(Subjects.checkPrefix("a..b") ?? "", "subject prefix")
    assert.isUndefined(Subjects.checkStreamName("SHUANGBAI"))
    assert.include(Subjects.checkStreamName("has.dot") ?? "", "stream name")
  })
})
