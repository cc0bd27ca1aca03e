import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  // ESM only: vitest, which the kit builds on, cannot be required from CommonJS.
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22"
})
