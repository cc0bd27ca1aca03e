import { SchemaLaws } from "@shuangbai/testing"
import * as Activities from "./activities/index.ts"
import * as Casework from "./casework/index.ts"
import * as Recruitment from "./recruitment/index.ts"
import * as Registry from "./registry/index.ts"
import * as Relief from "./relief/index.ts"
import * as Stations from "./stations/index.ts"
import * as Training from "./training/index.ts"
import * as Visits from "./visits/index.ts"
import * as Workforce from "./workforce/index.ts"

// Every event and command of every context: arbitrary values encode, go through JSON and decode back to
// themselves; every event goes through its context's codec; each codec owns exactly its context's events.
SchemaLaws.suite("registry", {
  codec: Registry.codec,
  events: [Registry.Events.Event],
  commands: [Registry.Commands.Command]
})
SchemaLaws.suite("visits", { codec: Visits.codec, events: [Visits.Events.Event], commands: [Visits.Commands.Command] })
SchemaLaws.suite("stations", {
  codec: Stations.codec,
  events: [Stations.Events.Event],
  commands: [Stations.Commands.Command, Stations.Commands.CountyCommand]
})
SchemaLaws.suite("workforce", {
  codec: Workforce.codec,
  events: [Workforce.Events.Event],
  commands: [Workforce.Commands.QuotaCommand, Workforce.Commands.WorkerCommand]
})
SchemaLaws.suite("recruitment", {
  codec: Recruitment.codec,
  events: [Recruitment.Events.Event],
  commands: [Recruitment.Commands.Command]
})
SchemaLaws.suite("casework", {
  codec: Casework.codec,
  events: [Casework.Events.Event],
  commands: [Casework.Commands.Command]
})
SchemaLaws.suite("activities", {
  codec: Activities.codec,
  events: [Activities.Events.Event],
  commands: [Activities.Commands.Command]
})
SchemaLaws.suite("relief", { codec: Relief.codec, events: [Relief.Events.Event], commands: [Relief.Commands.Command] })
SchemaLaws.suite("training", {
  codec: Training.codec,
  events: [Training.Events.Event],
  commands: [Training.Commands.Command]
})
