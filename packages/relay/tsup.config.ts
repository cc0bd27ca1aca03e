import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // Declarations come from tsc (scripts/declarations.ts), which keeps every Schema a value.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node22"
})
