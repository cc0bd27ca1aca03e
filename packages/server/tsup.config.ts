import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  // ESM only: @effect/platform-node, which serves it, is ESM only.
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22"
})
