/** Words for codes: what people read instead of the API's identifiers. */
import type { FindingCode } from '@domain/schemas/pledge';
import type { Severity } from '@domain/schemas/common';
import type { TaskKind } from '@domain/tasks';
import type { PledgeStatus } from '../api/types';
import { APPROVED_STATUSES, CLOSED_STATUSES, isAmendable, type Stage } from '@domain/pledge-lifecycle';
import type { LotState } from '@domain/delivery-lots';
import { humanize } from './format';

export const statusLabel: Record<PledgeStatus, string> = {
  SUBMITTED: 'Submitted',
  INTAKE_REJECTED: 'Rejected at intake',
  UNDER_REVIEW: 'Under review',
  CHANGES_REQUESTED: 'Changes requested',
  REVIEW_REJECTED: 'Rejected in review',
  TRAINING_PLANNING: 'Training planning',
  AWAITING_APPROVAL: 'Awaiting approval',
  RETURNED: 'Returned for revision',
  REJECTED: 'Rejected',
  APPROVED: 'Approved',
  IN_TRAINING: 'In training',
  READY: 'Ready',
  WITHDRAWN: 'Withdrawn',
};

/** Where within its status a pledge stands, in words. */
export const stageLabel: Record<Stage, string> = {
  intake: 'intake checks',
  compatibility_review: 'compatibility review',
  revision: 'revision by the donor',
  training_planning: 'training planning',
  command_approval: 'command approval',
  seat_reservation: 'reserving training seats',
  training_execution: 'crews in training',
  training_failed: 'training could not be planned',
  awaiting_delivery: 'crews trained, awaiting delivery',
  closed: 'closed',
};
export const stageText = (stage: string) => stageLabel[stage as Stage] ?? humanize(stage);

/** A delivery lot's state: the milestone it reached last. */
export const lotStateLabel: Record<LotState, string> = {
  planned: 'Planned',
  prepared: 'Prepared',
  shipped: 'Shipped',
  at_hub: 'At the hub',
  handed_over: 'Handed over',
  received: 'Received',
};

/** Colour family of a status badge: done well, in progress, needs the donor, ended badly. */
export function statusTone(status: PledgeStatus): 'good' | 'progress' | 'attention' | 'bad' | 'neutral' {
  if ((APPROVED_STATUSES as readonly string[]).includes(status)) return 'good';
  if (isAmendable(status)) return 'attention';
  if (status === 'WITHDRAWN') return 'neutral';
  if ((CLOSED_STATUSES as readonly string[]).includes(status)) return 'bad';
  return 'progress';
}

export {
  APPROVED_STATUSES,
  CLOSED_STATUSES,
  PENDING_STATUSES,
  isAmendable,
  isFinal,
  isPending,
} from '@domain/pledge-lifecycle';

export const kindLabel: Record<TaskKind, string> = {
  compatibility_review: 'Compatibility review',
  training_plan_confirmation: 'Training plan confirmation',
  command_approval: 'Command approval',
  revision: 'Revision by the donor',
};

export const decisionLabel: Record<string, string> = {
  accept: 'Accept',
  accept_with_conditions: 'Accept with conditions',
  reject: 'Reject',
  request_changes: 'Request changes from the donor',
  confirm: 'Confirm the plan',
  replan: 'Ask for a new plan',
  approve: 'Approve',
  approve_with_conditions: 'Approve with conditions',
  return: 'Return for revision',
};
export const decisionText = (d: string | null | undefined) => (d ? (decisionLabel[d] ?? humanize(d)) : '—');

export const roleLabel: Record<string, string> = {
  donor_liaison: 'Donor liaison',
  staff_officer: 'Staff officer',
  reviewer: 'Reviewer',
  training_coordinator: 'Training coordinator',
  chief_of_staff: 'Chief of staff',
  commander: 'Commander',
  deputy_commander: 'Deputy commander',
  saceur: 'SACEUR',
  auditor: 'Auditor',
  admin: 'Administrator',
  ua_liaison: 'Ukraine MoD liaison',
  logistics: 'Delivery cell',
};
export const roleText = (r: string) => roleLabel[r] ?? humanize(r);

export const severityLabel: Record<Severity, { title: string; hint: string }> = {
  blocker: { title: 'Blocker', hint: 'must be resolved or consciously overridden before approval' },
  warning: { title: 'Warning', hint: 'a risk the reviewer should weigh' },
  info: { title: 'Good to know', hint: 'a positive or neutral fact' },
};

/** What each finding means, for someone who is not a logistics specialist. */
export const findingExplainer: Record<FindingCode, { title: string; why: string }> = {
  FLEET_FRAGMENTATION: {
    title: 'Adds another type to a fleet Ukraine already runs',
    why: 'Every additional type needs its own crews, training courses, spare parts, tools and maintenance. Ukraine then has to sustain all of them side by side.',
  },
  FLEET_COMMONALITY: {
    title: 'Same type Ukraine already operates',
    why: 'Crews, training, spare parts and maintenance already exist for it, so it can be used quickly.',
  },
  TRAINING_CAPACITY: {
    title: 'Not enough training places before delivery',
    why: 'Equipment is of little use until crews are trained; the course places on offer cannot train everyone in time.',
  },
  AMMUNITION_SUPPLY: {
    title: 'Ammunition Ukraine does not stock',
    why: 'The system fires a calibre that is not in Ukraine’s supply chain, so ammunition must be found and delivered as well.',
  },
  SUSTAINMENT_GAP: {
    title: 'Maintenance-heavy, without a support package',
    why: 'The system needs a lot of maintenance but the pledge offers no spare parts or maintenance support.',
  },
  DUPLICATE_PLEDGE: {
    title: 'Possibly the same offer twice',
    why: 'The donor already has an open pledge for the same system with an overlapping delivery window.',
  },
  NEED_MATCH: {
    title: 'Serves one of Ukraine’s requirements',
    why: 'The pledge answers a requirement Ukraine has stated; the priority shows how urgent it is and the share how much of it the pledge covers. When it serves none, the finding says so.',
  },
};

export const categoryLabel: Record<string, string> = {
  fighter: 'Fighter aircraft',
  'air-defence-long': 'Air defence (long range)',
  'air-defence-medium': 'Air defence (medium range)',
  'air-defence-short': 'Air defence (short range)',
  howitzer: 'Howitzers',
  mlrs: 'Rocket launchers',
  mbt: 'Main battle tanks',
  ifv: 'Infantry fighting vehicles',
  drone: 'Drones',
};
export const categoryText = (c: string) => categoryLabel[c] ?? humanize(c);

export const coalitionLabel: Record<string, string> = {
  'air-force': 'Air force',
  iamd: 'Air & missile defence',
  artillery: 'Artillery',
  armour: 'Armour',
  maritime: 'Maritime',
  it: 'IT',
  demining: 'Demining',
  drones: 'Drones',
};
export const coalitionText = (c: string) => coalitionLabel[c] ?? humanize(c);

export const priorityRank: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The phases measured against time targets, in lifecycle order. */
export { phaseTitle as phaseLabel } from '@domain/phase-targets';
