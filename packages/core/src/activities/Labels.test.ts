import { assert, describe, it } from "@effect/vitest"
import { ActivityTheme } from "./Events.ts"
import * as Labels from "./Labels.ts"

describe("activities labels", () => {
  it("use the article's names of the themes", () => {
    assert.deepStrictEqual(Object.keys(Labels.themeLabels).sort(), [...ActivityTheme.literals].sort())
    assert.deepStrictEqual(
      ActivityTheme.literals.map((t) => Labels.themeLabels[t]["zh-CN"]),
      ["讲座", "主题班会", "读书", "绘画", "手工", "文艺表演", "防溺水", "植树护绿", "助耕助农", "政策宣传", "其他"]
    )
  })
})
