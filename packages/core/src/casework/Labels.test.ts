import { assert, describe, it } from "@effect/vitest"
import { CaseType, CloseReason, EvaluationOutcome, ExcusingCloseReason, ServiceType } from "./Events.ts"
import * as Labels from "./Labels.ts"
import { stages } from "./State.ts"

describe("casework labels", () => {
  it("label every member of every enum, in both languages", () => {
    const cases: ReadonlyArray<[ReadonlyArray<string>, Record<string, { "zh-CN": string; en: string }>]> = [
      [CaseType.literals, Labels.caseTypeLabels],
      [ServiceType.literals, Labels.serviceTypeLabels],
      [EvaluationOutcome.literals, Labels.evaluationOutcomeLabels],
      [CloseReason.literals, Labels.closeReasonLabels],
      [stages, Labels.stageLabels]
    ]
    for (const [members, labels] of cases) {
      assert.deepStrictEqual(Object.keys(labels).sort(), [...members].sort())
      for (const m of members) assert.isTrue(labels[m]!["zh-CN"].length > 0 && labels[m]!.en.length > 0)
    }
  })

  it("use the article's names of the six services", () => {
    assert.deepStrictEqual(
      ServiceType.literals.map((s) => Labels.serviceTypeLabels[s]["zh-CN"]),
      ["社会福利政策指导", "社会资源链接", "社会心理支持", "社会康复", "能力建设", "危机干预"]
    )
    assert.isTrue(ExcusingCloseReason.literals.every((r) => CloseReason.literals.includes(r)))
  })
})
