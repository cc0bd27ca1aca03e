import type { Text } from "@shuangbai/eventsourcing"
import { dateOf as caseDateOf } from "../../casework/Events.ts"
import type { Event } from "../../Domain.ts"
import { dateOf as reliefDateOf } from "../../relief/Handler.ts"
import { businessDate as stationDateOf } from "../../stations/Handler.ts"
import { dateOf as trainingDateOf } from "../../training/Handler.ts"
import { businessDate as workforceDateOf } from "../../workforce/Handler.ts"

/**
 * The business day an event is dated by its payload, or undefined for events that carry none (settings,
 * corrections, members added or removed): those apply whenever they were recorded. Reports "as of" a day
 * leave out events dated after it. Contexts that date their events themselves (for `occurredAt`) are asked.
 */
export const businessDate = (event: Event): Text.LocalDate | undefined => {
  switch (event._tag) {
    // registry
    case "HouseholdRegistered":
      return event.registeredOn
    case "CategoryAssigned":
    case "CategoryRevoked":
      return event.verifiedOn
    case "ConsentRecorded":
      return event.givenOn
    case "ConsentWithdrawn":
      return event.withdrawnOn
    case "RiskAssessed":
      return event.assessedOn
    case "HouseholdArchived":
      return event.archivedOn
    case "MemberAdded":
    case "MemberRemoved":
      return undefined
    // visits
    case "VisitConducted":
      return event.visitedOn
    case "VisitScheduled":
    case "VisitSkipped":
    case "VisitAmended":
    case "VisitVoided":
      return undefined
    // stations
    case "StationEstablished":
    case "ServicePointOpened":
    case "ServicePointClosed":
    case "StationClosed":
    case "CountyConfigured":
      return stationDateOf(event)
    // workforce
    case "PostsAllotted":
    case "PostFilled":
    case "PostVacated":
    case "WorkerHired":
    case "WorkerTransferred":
    case "WorkerLeft":
      return workforceDateOf(event)
    // recruitment
    case "DriveOpened":
      return event.opensOn
    case "ApplicationReceived":
      return event.receivedOn
    case "ApplicantShortlisted":
      return event.shortlistedOn
    case "ApplicantRejected":
      return event.rejectedOn
    case "OfferMade":
      return event.offeredOn
    case "OfferAccepted":
      return event.acceptedOn
    case "OfferDeclined":
      return event.declinedOn
    case "ApplicantHired":
      return event.hiredOn
    case "DriveClosed":
      return event.closedOn
    // casework
    case "CaseOpened":
    case "AssessmentRecorded":
    case "PlanRecorded":
    case "ServiceDelivered":
    case "ReferralMade":
    case "ReferralAccepted":
    case "ReferralRejected":
    case "FollowUpRecorded":
    case "EvaluationRecorded":
    case "CaseClosed":
    case "CaseReopened":
    case "CaseTransferred":
      return caseDateOf(event)
    // activities
    case "ActivityPlanned":
      return event.plannedOn
    case "ActivityHeld":
      return event.heldOn
    case "ActivityCancelled":
      return undefined
    // relief
    case "CampaignLaunched":
    case "SuppliesReceived":
    case "SuppliesDistributed":
    case "RecipientVisited":
    case "RelocationAssisted":
    case "CampaignClosed":
      return reliefDateOf(event)
    // training
    case "CourseHeld":
    case "ExchangeVisitHeld":
    case "MaterialsPrinted":
      return trainingDateOf(event)
  }
}
