import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  // ESM only: @effect/platform-node, which serves it, is ESM only.
  format: ["esm"],
  // Declarations come from tsc (scripts/declarations.ts), which keeps every Schema a value.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node22"
})
