/** Names for the API's shapes, as the OpenAPI document defines them (`schema.gen.ts`, generated: never by hand). */
import type { Schemas } from './client';

export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type AdminUser = Schemas['AdminUser'];

export type System = Schemas['System'];
export type Course = Schemas['Course'];
export type Site = Schemas['Site'];
export type Need = Schemas['Need'];
export type InventoryEntry = Schemas['InventoryEntry'];

export type PledgeStatus = Schemas['PledgeStatus'];
export type PledgeItem = Schemas['PledgeItem'];
export type PledgeInput = Schemas['PledgeInput'];
export type PledgeSummary = Schemas['PledgeSummary'];
export type Pledge = Schemas['Pledge'];
export type Finding = Schemas['Finding'];
export type Review = Schemas['Review'];
export type DecisionRecord = Schemas['DecisionRecord'];
export type TrainingPlan = Schemas['TrainingPlan'];
export type Cohort = Schemas['PlannedCohort'];
export type CohortState = Cohort['state'];
export type Unmet = Schemas['UnmetTraining'];
export type Approval = Schemas['Approval'];
export type ApprovalStep = Schemas['ApprovalStep'];
export type TimelineEntry = Schemas['TimelineEntry'];

export type Task = Schemas['Task'];
export type TaskKind = Task['kind'];
export type TaskComment = Schemas['TaskComment'];
export type TaskActionResult = Schemas['TaskActionResult'];

export type Notification = Schemas['Notification'];
export type AuditEntry = Schemas['AuditEntry'];
export type ImportJob = Schemas['Import'];
export type ImportRow = Schemas['ImportRowResult'];
export type Webhook = Schemas['Webhook'];
export type CreatedWebhook = Schemas['CreatedWebhook'];
export type Delivery = Schemas['Delivery'];
export type PolicyVersion = Schemas['PolicyVersion'];
export type Dashboard = Schemas['Dashboard'];
export type Requirement = Schemas['Requirement'];
export type RequirementInput = Schemas['RequirementInput'];
export type Capability = Schemas['Capability'];
export type CoalitionId = Schemas['CoalitionId'];

export type PhaseTargetReport = Schemas['PhaseTargetReport'];
export type PledgePhaseTimes = Schemas['PledgePhaseTimes'];
export type Coalition = Schemas['Coalition'];
export type CoalitionPage = Schemas['CoalitionPage'];
export type Agreement = Schemas['Agreement'];

export type DeliveryLot = Schemas['DeliveryLot'];
export type LotState = DeliveryLot['state'];
export type LotDelay = Schemas['LotDelay'];
export type PledgeDeliveries = Schemas['PledgeDeliveries'];
export type ReadinessProgress = Schemas['ReadinessProgress'];
export type LogisticsOverview = Schemas['LogisticsOverview'];
export type LogisticsLot = Schemas['LogisticsLot'];
export type LotActionResult = Schemas['LotActionResult'];
