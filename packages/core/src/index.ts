// Each context is a namespace: `import { Visits } from "@shuangbai/core"` then `Visits.Events.VisitConducted`.
export * as Shared from "./shared/index.ts"
export * as Relief from "./relief/index.ts"
