import type { DeliveryLot } from './delivery-lots';
import type { Role } from './schemas/common';
import type { Finding, PledgeItem, PledgeStatus, Recommendation } from './schemas/pledge';
import type { Stage } from './pledge-lifecycle';
import type { StoredTrainingPlan } from './training/execution';

/** A decision on a task as the record keeps it. */
export interface DecisionRecord {
  decision: string;
  comment: string | null;
  conditions: string[];
  by: string;
  onBehalfOf: string | null;
  at: string;
}

export interface StoredReview {
  findings: Finding[];
  score: number;
  recommendation: Recommendation;
  decision: DecisionRecord | null;
  round: number;
  policyVersion: number;
}

export type ApprovalStepState =
  'pending' | 'open' | 'approved' | 'approved_with_conditions' | 'rejected' | 'returned';

/** One step of the command-approval chain: who must decide, and what they decided and signed. */
export interface ApprovalStepRecord {
  role: Role;
  reason: string;
  state: ApprovalStepState;
  taskId: string | null;
  decision: string | null;
  comment: string | null;
  conditions: string[];
  by: string | null;
  onBehalfOf: string | null;
  at: string | null;
  keyId: string | null;
  signature: string | null;
  payload: string | null;
}

export interface StoredApproval {
  round: number;
  /** The frozen decision package the approvers sign (by its hash). */
  package: unknown;
  packageHash: string;
  policyVersion: number;
  chain: ApprovalStepRecord[];
}

export interface TimelineEntry {
  /** The domain event's id: no event is ever in the timeline twice. */
  eventId: string;
  at: string;
  type: string;
  actor: string;
  detail: Record<string, unknown>;
  /** The status the event left the pledge in (absent in entries recorded before it was kept). */
  status?: PledgeStatus;
}

/** Fields computed from a pledge's items with the catalogue (coalitions, search text, a title people read). */
export interface PledgeDerived {
  title: string;
  coalitions: string[];
  systemIds: string[];
  searchText: string;
}

/** The pledge record: the state its events lead to. Only the projector writes it. */
export interface PledgeRecord extends PledgeDerived {
  _id: string;
  workflowId: string;
  donor: string;
  items: PledgeItem[];
  trainingOffered: boolean;
  sustainment: { spareParts: boolean; maintenanceYears: number };
  valueEur: number | null;
  notes: string | null;
  status: PledgeStatus;
  stage: Stage;
  revision: number;
  submittedBy: string;
  review: StoredReview | null;
  trainingPlan: StoredTrainingPlan | null;
  approval: StoredApproval | null;
  /** The delivery lots, planned at approval (absent for pledges approved before deliveries were tracked). */
  deliveries?: DeliveryLot[] | null;
  timeline: TimelineEntry[];
  /** How many events the record holds: orders concurrent projections of it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}
