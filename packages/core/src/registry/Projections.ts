import { Projection } from "@shuangbai/eventsourcing"
import { HashMap, Option } from "effect"
import type { HouseholdId } from "../shared/Ids.ts"
import type { Event } from "./Events.ts"
import * as State from "./State.ts"

/**
 * Every household file as it stands now, by id: the registry's own fold, kept for reads that span
 * households (a household's members, categories and consents; who is on file). A persistent map, so a
 * state held by a reader stays valid while the fold goes on.
 */
export const households = Projection.make<Event, HashMap.HashMap<HouseholdId, State.State>>({
  initial: HashMap.empty(),
  evolve: (files, { event }) => {
    const before = Option.getOrElse(HashMap.get(files, event.household), () => State.initial)
    const after = State.evolve(before, event)
    return after === before ? files : HashMap.set(files, event.household, after)
  }
})
