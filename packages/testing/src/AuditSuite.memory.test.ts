import { AuditSuite } from "./index.ts"

AuditSuite.suite("memory", AuditSuite.layerMemoryTamperable)
