import type { Labels } from "../shared/Labels.ts"
import type { Command } from "./Commands.ts"
import type { CourseKind, Event, MaterialKind, StationScopeTag } from "./Events.ts"

export const courseKindLabels: Labels<CourseKind> = {
  ProfessionalCapacity: { "zh-CN": "专业能力提升培训", en: "professional capacity training" },
  ChildWelfare: { "zh-CN": "儿童福利保障和未成年人保护培训", en: "child welfare and protection training" },
  Other: { "zh-CN": "其他培训", en: "other training" }
}

export const materialKindLabels: Labels<MaterialKind> = {
  Brochure: { "zh-CN": "宣传手册", en: "brochures" },
  Leaflet: { "zh-CN": "宣传单张", en: "leaflets" },
  TvShort: { "zh-CN": "电视宣传短片", en: "TV shorts" },
  Other: { "zh-CN": "其他宣传品", en: "other materials" }
}

export const stationScopeLabels: Labels<StationScopeTag> = {
  CountyWide: { "zh-CN": "全县各社工站", en: "every station of the county" },
  Stations: { "zh-CN": "指定社工站", en: "selected stations" }
}

export const eventLabels: Labels<Event["_tag"]> = {
  CourseHeld: { "zh-CN": "举办培训班", en: "course held" },
  ExchangeVisitHeld: { "zh-CN": "开展互访交流", en: "exchange visit held" },
  MaterialsPrinted: { "zh-CN": "印发宣传品", en: "materials printed" }
}

export const commandLabels: Labels<Command["_tag"]> = {
  RecordCourse: { "zh-CN": "登记培训班", en: "record course" },
  RecordExchangeVisit: { "zh-CN": "登记互访交流", en: "record exchange visit" },
  RecordPrintRun: { "zh-CN": "登记宣传品印制", en: "record print run" }
}
