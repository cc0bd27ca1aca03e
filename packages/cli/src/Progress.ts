import { Effect } from "effect"

// A progress bar on stderr, redrawn in place, only when stderr is a terminal: a pipe or a log file gets
// nothing but the command's own output.

export interface Progress {
  readonly update: (done: number) => Effect.Effect<void>
  readonly finish: Effect.Effect<void>
}

const width = 30

export const bar = (label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress => {
  if (stream.isTTY !== true || total <= 0) return { update: () => Effect.void, finish: Effect.void }
  let shown = -1
  const draw = (done: number) => {
    const share = Math.min(1, done / total)
    const step = Math.floor(share * 200)
    if (step === shown) return
    shown = step
    const filled = Math.round(share * width)
    stream.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor(share * 100)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`
    )
  }
  return {
    update: (done) => Effect.sync(() => draw(done)),
    finish: Effect.sync(() => {
      if (shown >= 0) stream.write("\n")
    })
  }
}
