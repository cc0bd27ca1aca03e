import { Decider, Rule, type RuleViolation, type Scalars } from "@shuangbai/eventsourcing"
import { Result } from "effect"
import { notInFuture } from "../shared/Dates.ts"
import type { StationId, TownshipId, VillageId } from "../shared/Ids.ts"
import type * as Commands from "./Commands.ts"
import {
  CountyConfigured,
  type Event,
  ServicePointClosed,
  ServicePointOpened,
  StationClosed,
  StationEstablished
} from "./Events.ts"
import {
  type CountyState,
  countyInitial,
  evolve,
  evolveCounty,
  initial,
  isOpen,
  openServicePoints,
  type State,
  type Station
} from "./State.ts"

// Rules, named as the facts that refuse a command.

export const StationAlreadyEstablished = Rule.define<{ township: TownshipId; station: StationId }>(
  "StationAlreadyEstablished",
  {
    en: (f) => `township ${f.township} already has an active station (${f.station}): one station per township`,
    zh: (f) => `乡镇 ${f.township} 已有运行中的社工站（${f.station}），每个乡镇只设一个社工站`
  }
)
export const StationNotEstablished = Rule.define<{ township: TownshipId }>("StationNotEstablished", {
  en: (f) => `township ${f.township} has no station yet`,
  zh: (f) => `乡镇 ${f.township} 尚未设立社工站`
})
export const StationIsClosed = Rule.define<{ township: TownshipId; closedOn: Scalars.LocalDate }>("StationIsClosed", {
  en: (f) => `the station of township ${f.township} closed on ${f.closedOn}: establish it again first`,
  zh: (f) => `乡镇 ${f.township} 的社工站已于 ${f.closedOn} 撤销，须先重新设立`
})
export const TownshipNotInCounty = Rule.define<{ township: TownshipId }>("TownshipNotInCounty", {
  en: (f) => `township ${f.township} is not one of the county's townships`,
  zh: (f) => `乡镇 ${f.township} 不在本县乡镇名单内`
})
export const ServicePointAlreadyOpen = Rule.define<{ township: TownshipId; village: VillageId }>(
  "ServicePointAlreadyOpen",
  {
    en: (f) => `village ${f.village} of township ${f.township} already has an open service point, with another name`,
    zh: (f) => `乡镇 ${f.township} 的村 ${f.village} 已有运行中的社工点，且名称不同`
  }
)
export const ServicePointNotOpen = Rule.define<{ township: TownshipId; village: VillageId }>("ServicePointNotOpen", {
  en: (f) => `village ${f.village} of township ${f.township} has no service point`,
  zh: (f) => `乡镇 ${f.township} 的村 ${f.village} 没有社工点`
})
export const StationDateOutOfOrder = Rule.define<{
  field: string
  date: Scalars.LocalDate
  earliest: Scalars.LocalDate
}>("StationDateOutOfOrder", {
  en: (f) => `${f.field} ${f.date} is before ${f.earliest}, a date this station already recorded`,
  zh: (f) => `${f.field} ${f.date} 早于本站已登记的日期 ${f.earliest}`
})

/**
 * What a station decision knows besides the command: the county's townships, when the county is
 * configured (the handler reads them from the county stream; absent, any township is accepted).
 */
export interface StationContext extends DecisionContext {
  readonly countyTownships?: ReadonlySet<TownshipId>
}

type DecisionContext = Decider.DecisionContext

type Decision = Result.Result<ReadonlyArray<Event>, RuleViolation>

const notBefore = (
  field: string,
  date: Scalars.LocalDate,
  earliest: Scalars.LocalDate
): Result.Result<Scalars.LocalDate, RuleViolation> =>
  date < earliest ? Result.fail(StationDateOutOfOrder({ field, date, earliest })) : Result.succeed(date)

const active = (township: TownshipId, state: State): Result.Result<Station, RuleViolation> => {
  switch (state._tag) {
    case "NotEstablished":
      return Result.fail(StationNotEstablished({ township }))
    case "Closed":
      return Result.fail(StationIsClosed({ township, closedOn: state.closedOn }))
    case "Active":
      return Result.succeed(state.station)
  }
}

export const establishStation = (cmd: Commands.EstablishStation, state: State, context: StationContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Active") {
      const s = state.station
      const same = s.station === cmd.station && s.name === cmd.name && s.establishedOn === cmd.establishedOn
      if (same) return []
      return yield* Result.fail(StationAlreadyEstablished({ township: cmd.township, station: s.station }))
    }
    if (context.countyTownships !== undefined && !context.countyTownships.has(cmd.township)) {
      return yield* Result.fail(TownshipNotInCounty({ township: cmd.township }))
    }
    yield* notInFuture("establishedOn", cmd.establishedOn, context.now)
    if (state._tag === "Closed") yield* notBefore("establishedOn", cmd.establishedOn, state.closedOn)
    return [
      new StationEstablished({
        township: cmd.township,
        station: cmd.station,
        name: cmd.name,
        establishedOn: cmd.establishedOn
      })
    ]
  })

export const openServicePoint = (cmd: Commands.OpenServicePoint, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    const station = yield* active(cmd.township, state)
    const point = station.servicePoints.get(cmd.village)
    if (point !== undefined && isOpen(point)) {
      if (point.name === cmd.name) return []
      return yield* Result.fail(ServicePointAlreadyOpen({ township: cmd.township, village: cmd.village }))
    }
    yield* notInFuture("openedOn", cmd.openedOn, context.now)
    yield* notBefore("openedOn", cmd.openedOn, station.establishedOn)
    if (point?.closedOn !== undefined) yield* notBefore("openedOn", cmd.openedOn, point.closedOn)
    return [
      new ServicePointOpened({
        township: cmd.township,
        station: station.station,
        village: cmd.village,
        name: cmd.name,
        openedOn: cmd.openedOn
      })
    ]
  })

export const closeServicePoint = (cmd: Commands.CloseServicePoint, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    const station = yield* active(cmd.township, state)
    const point = station.servicePoints.get(cmd.village)
    if (point === undefined) {
      return yield* Result.fail(ServicePointNotOpen({ township: cmd.township, village: cmd.village }))
    }
    if (!isOpen(point)) return []
    yield* notInFuture("closedOn", cmd.closedOn, context.now)
    yield* notBefore("closedOn", cmd.closedOn, point.openedOn)
    return [
      new ServicePointClosed({
        township: cmd.township,
        station: station.station,
        village: cmd.village,
        closedOn: cmd.closedOn
      })
    ]
  })

/** Closing a station closes its open service points first, each by its own event, on the same day. */
export const closeStation = (cmd: Commands.CloseStation, state: State, context: DecisionContext): Decision =>
  Result.gen(function* () {
    if (state._tag === "Closed") return []
    const station = yield* active(cmd.township, state)
    yield* notInFuture("closedOn", cmd.closedOn, context.now)
    yield* notBefore("closedOn", cmd.closedOn, station.establishedOn)
    const points = openServicePoints(station)
    for (const point of points) yield* notBefore("closedOn", cmd.closedOn, point.openedOn)
    return [
      ...points.map(
        (p) =>
          new ServicePointClosed({
            township: cmd.township,
            station: station.station,
            village: p.village,
            closedOn: cmd.closedOn
          })
      ),
      new StationClosed({
        township: cmd.township,
        station: station.station,
        closedOn: cmd.closedOn,
        reason: cmd.reason,
        ...(cmd.note === undefined ? {} : { note: cmd.note })
      })
    ]
  })

export const decide = (command: Commands.Command, state: State, context: StationContext): Decision => {
  switch (command._tag) {
    case "EstablishStation":
      return establishStation(command, state, context)
    case "OpenServicePoint":
      return openServicePoint(command, state, context)
    case "CloseServicePoint":
      return closeServicePoint(command, state, context)
    case "CloseStation":
      return closeStation(command, state, context)
  }
}

/** A township's station ("station" stream). */
export const decider = Decider.make<Commands.Command, Event, State, StationContext>({
  initialState: initial,
  evolve,
  decide
})

const sameTownships = (state: CountyState, cmd: Commands.ConfigureCounty): boolean => {
  if (state._tag !== "Configured" || state.name !== cmd.name) return false
  if (state.townships.length !== cmd.townships.length) return false
  const names = new Map(state.townships.map((t) => [t.township, t.name]))
  return cmd.townships.every((t) => names.get(t.township) === t.name)
}

/** Setting the county again with the same name and townships (in any order) records nothing. */
export const configureCounty = (cmd: Commands.ConfigureCounty, state: CountyState): Decision =>
  Result.succeed(sameTownships(state, cmd) ? [] : [new CountyConfigured({ name: cmd.name, townships: cmd.townships })])

export const decideCounty = (command: Commands.CountyCommand, state: CountyState): Decision =>
  configureCounty(command, state)

/** The county's settings ("county" stream). */
export const countyDecider = Decider.make<Commands.CountyCommand, Event, CountyState>({
  initialState: countyInitial,
  evolve: evolveCounty,
  decide: decideCounty
})
