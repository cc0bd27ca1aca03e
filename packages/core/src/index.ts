// Each context is a namespace: `import { Visits } from "@shuangbai/core"` then `Visits.Events.VisitConducted`.

export * as Activities from "./activities/index.ts"
export * as Casework from "./casework/index.ts"
export * as Domain from "./Domain.ts"
export * as Recruitment from "./recruitment/index.ts"
export * as Registry from "./registry/index.ts"
export * as Relief from "./relief/index.ts"
export * as Reports from "./reports/index.ts"
export * as Shared from "./shared/index.ts"
export * as Stations from "./stations/index.ts"
export * as Training from "./training/index.ts"
export * as Visits from "./visits/index.ts"
export * as Workforce from "./workforce/index.ts"
