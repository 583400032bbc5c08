/** Shapes of the API's answers, as the contract (shared/CONTRACT.md) describes them. */
import type { Finding, PledgeItem, PledgeStatus } from '@domain/schemas/pledge';
import type { Role } from '@domain/schemas/common';
import type { Priority, TaskKind, TaskState } from '@domain/tasks';

export type { Course, InventoryEntry, Need, Session, Site, System } from '@domain/schemas/reference';
export type { Finding, PledgeInput, PledgeItem, PledgeStatus } from '@domain/schemas/pledge';
export type { Role } from '@domain/schemas/common';
export type { TaskKind } from '@domain/tasks';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  username: string;
  displayName?: string;
  roles: Role[];
  nation: string | null;
}

export interface DecisionRecord {
  decision: string;
  comment?: string | null;
  conditions?: string[];
  by?: string;
  onBehalfOf?: string | null;
  at?: string;
}

export interface Review {
  findings: Finding[];
  score: number;
  recommendation: string;
  decision: DecisionRecord | null;
}

export type CohortState = 'planned' | 'reserved' | 'started' | 'completed' | 'failed' | string;

export interface Cohort {
  id: string;
  systemId: string;
  courseId: string;
  sessionId: string;
  siteId?: string;
  trainees: number;
  start: string;
  end: string;
  state?: CohortState;
}

export interface Unmet {
  systemId?: string;
  courseId?: string | null;
  trainees?: number;
  reason?: string;
}

export interface TrainingPlan {
  cohorts: Cohort[];
  readyBy?: Record<string, string | null>;
  unmet?: Unmet[];
  traineesNeeded?: number;
  traineesReadyByDeadline?: number;
  state?: string;
}

export interface ApprovalStep {
  role: string;
  state: string;
  decision?: string | null;
  by?: string | null;
  onBehalfOf?: string | null;
  at?: string | null;
  comment?: string | null;
  conditions?: string[];
  signatureValid?: boolean | null;
}

export interface Approval {
  chain: ApprovalStep[];
  packageHash?: string;
}

export interface TimelineEntry {
  at: string;
  type: string;
  actor: string;
  detail: unknown;
}

export interface Pledge {
  id: string;
  /** What the pledge is, in one line: "FRA · 6 × Mirage 2000-5F · €450m · deliver Dec 2027". */
  title: string;
  workflowId: string;
  donor: string;
  items: PledgeItem[];
  trainingOffered: boolean;
  sustainment: { spareParts: boolean; maintenanceYears: number };
  valueEur: number | null;
  notes: string | null;
  coalitions: string[];
  status: PledgeStatus;
  stage: string;
  revision: number;
  submittedBy: string;
  createdAt: string;
  updatedAt: string;
  review: Review | null;
  trainingPlan?: TrainingPlan | null;
  approval?: Approval | null;
  timeline?: TimelineEntry[];
}

export interface TaskComment {
  by: string;
  at: string;
  text: string;
}

export interface Task {
  id: string;
  kind: TaskKind;
  pledgeId: string;
  pledgeTitle: string;
  candidateRoles: string[];
  nation?: string | null;
  assignee: string | null;
  delegatedBy?: string | null;
  priority: Priority | string;
  dueAt: string;
  createdAt: string;
  state: TaskState;
  title?: string;
  escalated?: boolean;
  overdue?: boolean;
  decision?: DecisionRecord | null;
  comments?: TaskComment[];
}

export interface TaskActionResult {
  task: Task;
  pledge: { id: string; status: PledgeStatus };
}

export interface Notification {
  id: string;
  type: string;
  title: string;
  body: string;
  pledgeId: string | null;
  taskId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export interface ImportRow {
  row: number;
  status: 'created' | 'failed';
  pledgeId?: string;
  errors?: Array<{ path?: string; message: string } | string>;
}

export interface ImportJob {
  jobId?: string;
  state: string;
  progress?: number;
  total?: number;
  processed?: number;
  rows?: ImportRow[];
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdBy: string | null;
  createdAt: string | null;
  secret?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  channel: 'email' | 'webhook';
  target: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  retries: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  failedAt: string | null;
}
