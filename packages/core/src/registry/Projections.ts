import { Projection } from "@shuangbai/eventsourcing"
import type { HouseholdId } from "../shared/Ids.ts"
import { PersistentMap } from "../shared/Persistent.ts"
import type { Event } from "./Events.ts"
import * as State from "./State.ts"

/**
 * Every household file as it stands now, by id: the registry's own fold, kept for reads that span
 * households (a household's members, categories and consents; who is on file). A persistent map, so a
 * state held by a reader stays valid while the fold goes on.
 */
export const households = Projection.make<Event, PersistentMap<HouseholdId, State.State>>({
  initial: PersistentMap.empty(),
  evolve: (files, { event }) => {
    const map = PersistentMap.from(files)
    const before = map.get(event.household) ?? State.initial
    const after = State.evolve(before, event)
    return after === before ? files : map.with(event.household, after)
  }
})
