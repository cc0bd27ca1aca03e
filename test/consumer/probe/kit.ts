// ESM only, as the testing kit is: the kit's Schema → fast-check arbitrary on the library's Schemas.
import { Casework, Shared } from "@shuangbai/core"
import { Arbitrary } from "@shuangbai/testing"
import { Schema } from "effect"
import * as fc from "fast-check"
import { Referral, run } from "./probe.js"

const households = fc.sample(Arbitrary.make(Shared.HouseholdId), 20)
const referrals = fc.sample(Arbitrary.make(Referral), 20)
const caseTypes = fc.sample(Arbitrary.make(Casework.Events.CaseType), 20)
const result = await run()
console.log(
  JSON.stringify({
    ...result,
    arbitraries:
      households.every(Schema.is(Shared.HouseholdId)) &&
      referrals.every(Schema.is(Referral)) &&
      caseTypes.every(Schema.is(Casework.Events.CaseType))
  })
)
