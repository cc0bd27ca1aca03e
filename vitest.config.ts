import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.ts"

export default defineConfig({
  resolve: { conditions: ["@shuangbai/source"] },
  ssr: { resolve: { conditions: ["@shuangbai/source"] } },
  test: {
    projects,
    testTimeout: 30_000
  }
})
