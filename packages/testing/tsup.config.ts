import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  // ESM only: vitest, which the kit builds on, cannot be required from CommonJS.
  format: ["esm"],
  // Declarations come from tsc (scripts/declarations.ts), which keeps every Schema a value.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node22"
})
