import type { Text } from "@shuangbai/eventsourcing"
import { dateOf as caseDateOf } from "../../casework/Events.ts"
import type { Event } from "../../Domain.ts"

/**
 * The business day an event is dated by its payload, or undefined for events that carry none (settings,
 * corrections, members added or removed): those apply whenever they were recorded. Reports "as of" a day
 * leave out events dated after it.
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
      return event.establishedOn
    case "ServicePointOpened":
      return event.openedOn
    case "ServicePointClosed":
    case "StationClosed":
      return event.closedOn
    case "CountyConfigured":
      return undefined
    // workforce
    case "PostsAllotted":
      return event.allottedOn
    case "PostFilled":
      return event.filledOn
    case "PostVacated":
      return event.vacatedOn
    case "WorkerHired":
      return event.hiredOn
    case "WorkerTransferred":
      return event.transferredOn
    case "WorkerLeft":
      return event.leftOn
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
      return event.launchedOn
    case "SuppliesReceived":
      return event.receivedOn
    case "SuppliesDistributed":
      return event.distributedOn
    case "RecipientVisited":
      return event.visitedOn
    case "RelocationAssisted":
      return event.assistedOn
    case "CampaignClosed":
      return event.closedOn
    // training
    case "CourseHeld":
    case "ExchangeVisitHeld":
      return event.heldOn
    case "MaterialsPrinted":
      return event.printedOn
  }
}
