import { Duration, Effect, Schedule } from "effect"

/**
 * How a connection is retried (a LISTEN that ended, a page read while the database was unavailable, a
 * broker publish): exponential from 100 ms, capped at 5 s, each delay jittered by ±20% so that clients
 * cut off together do not come back together. It never gives up on its own: bound it with `while` or
 * `times` where giving up is right.
 */
export const reconnect: Schedule.Schedule<Duration.Duration> = Schedule.exponential("100 millis").pipe(
  Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, Duration.seconds(5)))),
  Schedule.jittered
)
