import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import type { AfterWithdrawalOf } from "../shared/Consent.ts"
import { notInFuture } from "../shared/Dates.ts"
import type { ActivityId } from "../shared/Ids.ts"
import type * as Commands from "./Commands.ts"
import { ActivityCancelled, ActivityHeld, ActivityPlanned, type Event } from "./Events.ts"
import { type Attendance, evolve, initial, type Plan, type State } from "./State.ts"

// Rules, named as the facts that refuse a command.

export const ActivityAlreadyPlanned = Rule.define<{ activity: ActivityId }>("ActivityAlreadyPlanned", {
  en: (f) => `activity ${f.activity} is already planned, with other details`,
  zh: (f) => `活动 ${f.activity} 已策划，且信息不同`
})
export const ActivityNotPlanned = Rule.define<{ activity: ActivityId }>("ActivityNotPlanned", {
  en: (f) => `activity ${f.activity} has not been planned`,
  zh: (f) => `活动 ${f.activity} 尚未策划`
})
export const ActivityAlreadyHeld = Rule.define<{ activity: ActivityId; heldOn: Scalars.LocalDate }>(
  "ActivityAlreadyHeld",
  {
    en: (f) => `activity ${f.activity} was already held on ${f.heldOn}`,
    zh: (f) => `活动 ${f.activity} 已于 ${f.heldOn} 开展`
  }
)
export const ActivityAlreadyCancelled = Rule.define<{ activity: ActivityId }>("ActivityAlreadyCancelled", {
  en: (f) => `activity ${f.activity} was cancelled: nothing more may be recorded`,
  zh: (f) => `活动 ${f.activity} 已取消，不能再登记`
})
export const HeldBeforePlanned = Rule.define<{ activity: ActivityId; heldOn: string; plannedOn: string }>(
  "HeldBeforePlanned",
  {
    en: (f) => `activity ${f.activity} cannot be held on ${f.heldOn}, before it was planned (${f.plannedOn})`,
    zh: (f) => `活动 ${f.activity} 的开展日期 ${f.heldOn} 早于策划日期（${f.plannedOn}）`
  }
)

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

const samePlan = (plan: Plan, cmd: Commands.PlanActivity): boolean =>
  plan.station === cmd.station &&
  plan.theme === cmd.theme &&
  plan.title === cmd.title &&
  plan.plannedOn === cmd.plannedOn &&
  plan.scheduledFor === cmd.scheduledFor

const sameAttendance = (a: Attendance, cmd: Commands.RecordActivity): boolean => {
  if (a.heldOn !== cmd.heldOn || a.headcount !== cmd.headcount) return false
  if (a.participants.length !== cmd.participants.length) return false
  const named = new Set<string>(a.participants)
  return cmd.participants.every((p) => named.has(p))
}

export const planActivity = (cmd: Commands.PlanActivity, state: State, context: Decider.DecisionContext): Decision =>
  Result.gen(function* () {
    if (state._tag !== "NotPlanned") {
      if (samePlan(state.plan, cmd)) return []
      return yield* Result.fail(ActivityAlreadyPlanned({ activity: cmd.activity }))
    }
    yield* notInFuture("plannedOn", cmd.plannedOn, context.now)
    return [
      new ActivityPlanned({
        activity: cmd.activity,
        station: cmd.station,
        theme: cmd.theme,
        title: cmd.title,
        plannedOn: cmd.plannedOn,
        ...(cmd.scheduledFor === undefined ? {} : { scheduledFor: cmd.scheduledFor })
      })
    ]
  })

export const recordActivity = (
  cmd: Commands.RecordActivity,
  state: State,
  context: Decider.DecisionContext
): Decision =>
  Result.gen(function* () {
    switch (state._tag) {
      case "NotPlanned":
        return yield* Result.fail(ActivityNotPlanned({ activity: cmd.activity }))
      case "Cancelled":
        return yield* Result.fail(ActivityAlreadyCancelled({ activity: cmd.activity }))
      case "Held":
        if (sameAttendance(state.attendance, cmd)) return []
        return yield* Result.fail(ActivityAlreadyHeld({ activity: cmd.activity, heldOn: state.attendance.heldOn }))
      case "Planned": {
        yield* notInFuture("heldOn", cmd.heldOn, context.now)
        if (cmd.heldOn < state.plan.plannedOn) {
          return yield* Result.fail(
            HeldBeforePlanned({ activity: cmd.activity, heldOn: cmd.heldOn, plannedOn: state.plan.plannedOn })
          )
        }
        return [
          new ActivityHeld({
            activity: cmd.activity,
            heldOn: cmd.heldOn,
            ...(cmd.headcount === undefined ? {} : { headcount: cmd.headcount }),
            participants: cmd.participants
          })
        ]
      }
    }
  })

export const cancelActivity = (cmd: Commands.CancelActivity, state: State): Decision => {
  switch (state._tag) {
    case "NotPlanned":
      return Result.fail(ActivityNotPlanned({ activity: cmd.activity }))
    case "Cancelled":
      return Result.succeed([])
    case "Held":
      return Result.fail(ActivityAlreadyHeld({ activity: cmd.activity, heldOn: state.attendance.heldOn }))
    case "Planned":
      return Result.succeed([new ActivityCancelled({ activity: cmd.activity, reason: cmd.reason })])
  }
}

/** What each activity command does for a person who withdrew consent to processing (shared/Consent.ts). */
export const afterWithdrawal: AfterWithdrawalOf<Commands.Command["_tag"]> = {
  PlanActivity: { _tag: "Runs", why: "names no one" },
  RecordActivity: {
    _tag: "NotChecked",
    why: "participants are named without their household, so their files are not read: a host counts a person who withdrew in the headcount, not by name"
  },
  CancelActivity: { _tag: "Runs", why: "names no one" }
}

export const decide = (command: Commands.Command, state: State, context: Decider.DecisionContext): Decision => {
  switch (command._tag) {
    case "PlanActivity":
      return planActivity(command, state, context)
    case "RecordActivity":
      return recordActivity(command, state, context)
    case "CancelActivity":
      return cancelActivity(command, state)
  }
}

export const decider = Decider.make<Commands.Command, Event, State>({ initialState: initial, evolve, decide })
