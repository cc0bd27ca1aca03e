import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { Event, Modality } from "./Events.ts"
import type { Counts } from "./Projections.ts"

export const modalityLabels: Labels<Modality> = {
  HomeVisit: { "zh-CN": "入户探访", en: "home visit" },
  Phone: { "zh-CN": "电话探访", en: "phone call" },
  Video: { "zh-CN": "视频探访", en: "video call" },
  AtStation: { "zh-CN": "站内接待", en: "at the station" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  VisitScheduled: { "zh-CN": "安排探访", en: "visit scheduled" },
  VisitConducted: { "zh-CN": "完成探访", en: "visit conducted" },
  VisitSkipped: { "zh-CN": "取消探访", en: "visit skipped" },
  VisitAmended: { "zh-CN": "更正探访记录", en: "visit amended" },
  VisitVoided: { "zh-CN": "作废探访记录", en: "visit voided" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  ScheduleVisit: { "zh-CN": "安排探访", en: "schedule visit" },
  RecordVisit: { "zh-CN": "登记探访", en: "record visit" },
  SkipVisit: { "zh-CN": "取消探访", en: "skip visit" },
  AmendVisit: { "zh-CN": "更正探访记录", en: "amend visit" },
  VoidVisit: { "zh-CN": "作废探访记录", en: "void visit" }
}

/** The columns of the households-and-visits report. */
export const countLabels: Labels<keyof Counts> = {
  householdsOnFile: { "zh-CN": "建档户数", en: "households on file" },
  householdsVisited: { "zh-CN": "探访户数", en: "households visited" },
  visitsHeld: { "zh-CN": "探访次数", en: "visits held" }
}
