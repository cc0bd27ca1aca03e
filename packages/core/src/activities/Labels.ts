import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { ActivityTheme, Event } from "./Events.ts"
import type { State } from "./State.ts"

export const themeLabels: Labels<ActivityTheme> = {
  Lecture: { "zh-CN": "讲座", en: "lecture" },
  ClassMeeting: { "zh-CN": "主题班会", en: "class meeting" },
  Reading: { "zh-CN": "读书", en: "reading" },
  Painting: { "zh-CN": "绘画", en: "painting" },
  Crafts: { "zh-CN": "手工", en: "crafts" },
  Performance: { "zh-CN": "文艺表演", en: "performance" },
  DrowningPrevention: { "zh-CN": "防溺水", en: "drowning prevention" },
  TreePlanting: { "zh-CN": "植树护绿", en: "tree planting" },
  FarmingHelp: { "zh-CN": "助耕助农", en: "farming help" },
  PolicyPublicity: { "zh-CN": "政策宣传", en: "policy publicity" },
  Other: { "zh-CN": "其他", en: "other" }
}

export const statusLabels: Labels<State["_tag"]> = {
  NotPlanned: { "zh-CN": "未策划", en: "not planned" },
  Planned: { "zh-CN": "已策划", en: "planned" },
  Held: { "zh-CN": "已开展", en: "held" },
  Cancelled: { "zh-CN": "已取消", en: "cancelled" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  ActivityPlanned: { "zh-CN": "策划活动", en: "activity planned" },
  ActivityHeld: { "zh-CN": "开展活动", en: "activity held" },
  ActivityCancelled: { "zh-CN": "取消活动", en: "activity cancelled" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  PlanActivity: { "zh-CN": "策划活动", en: "plan activity" },
  RecordActivity: { "zh-CN": "登记活动开展", en: "record activity held" },
  CancelActivity: { "zh-CN": "取消活动", en: "cancel activity" }
}
