import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  // ESM only: @effect/platform-node, which runs it, is ESM only.
  format: ["esm"],
  // Declarations come from tsc (scripts/declarations.ts), which keeps every Schema a value.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node22",
  // The demo's county lives in examples/yangshan, which is not published: the build carries it.
  noExternal: ["@shuangbai/example-yangshan"]
})
