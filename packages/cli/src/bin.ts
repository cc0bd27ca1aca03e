#!/usr/bin/env node
import { run } from "./Main.ts"

run(process.argv.slice(2))
