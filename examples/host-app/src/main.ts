// `DATABASE_URL=postgres://… npm start -w examples/host-app`: the hotline on http://127.0.0.1:8081.
import { NodeRuntime } from "@effect/platform-node"
import { Layer } from "effect"
import * as App from "./App.ts"

Layer.launch(
  App.serve({
    url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    tenant: process.env.TENANT ?? "yangshan",
    storeSchema: "shuangbai",
    appSchema: "hotline"
  })
).pipe(NodeRuntime.runMain)
