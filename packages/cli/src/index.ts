// The `shuangbai` command as a value: its definitions (for docs/cli.md and for hosts that embed it), the
// exit codes, and `main`, what the bin runs.
export * as Cli from "./Cli.ts"
export * as Failure from "./Failure.ts"
export * as Main from "./Main.ts"
