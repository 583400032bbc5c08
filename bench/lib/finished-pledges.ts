/**
 * Finished pledges for the read benchmark, written without workflows: the events one real pledge went through on
 * its way to READY (read back from its record and timeline) are replayed for new pledges, with their own ids,
 * donors, titles, cohort ids, package hashes and signatures, through the same projector the workflows use.
 */
import { sign, type KeyObject } from 'node:crypto';
import { openedChain } from '../../domain/approval/chain';
import { signingPayload } from '../../domain/approval/signing-payload';
import { derivePledgeFields } from '../../domain/pledge-derived';
import type { PledgeEvent } from '../../domain/pledge-events';
import type { ApprovalStepRecord, PledgeRecord } from '../../domain/pledge-record';
import type { PledgeInput } from '../../domain/schemas/pledge';
import type { System } from '../../domain/schemas/reference';
import type { TaskSnapshot } from '../../domain/tasks';
import type { PlannedCohort, StoredTrainingPlan } from '../../domain/training/execution';
import { canonicalHash } from '../../store/canonical-hash';

export interface BenchSigner {
  username: string;
  keyId: string;
  privateKey: KeyObject;
}

export interface FinishedPledge {
  events: PledgeEvent[];
  /** The pledge's completed tasks (review, plan confirmation, each approval step). */
  tasks: TaskSnapshot[];
}

/** Replaces the template pledge's id wherever an id embeds it (cohorts, tasks). */
const renamed = (value: string, from: string, to: string) => value.split(from).join(to);

/**
 * The events of a clone of `template` (a READY pledge) as pledge `id` of `donor`, `minutesAgo` in the past.
 * `signers` sign the approval steps by role.
 */
export function finishedPledge(
  template: PledgeRecord,
  {
    id,
    donor,
    minutesAgo,
    systems,
    signers,
  }: {
    id: string;
    donor: string;
    minutesAgo: number;
    systems: System[];
    signers: Record<string, BenchSigner>;
  },
): FinishedPledge {
  const base = Date.now() - minutesAgo * 60_000;
  let tick = 0;
  const at = () => new Date(base + tick++ * 1000).toISOString();
  const input: PledgeInput = {
    donor,
    items: template.items,
    trainingOffered: template.trainingOffered,
    sustainment: template.sustainment,
    ...(template.valueEur !== null ? { valueEur: template.valueEur } : {}),
    notes: `finished benchmark pledge ${id}`,
  };
  const finalPlan = template.trainingPlan!;
  const cohorts = (state: (c: PlannedCohort) => PlannedCohort['state']): StoredTrainingPlan => ({
    ...finalPlan,
    cohorts: finalPlan.cohorts.map((c) => ({ ...c, id: renamed(c.id, template._id, id), state: state(c) })),
  });
  const approval = template.approval!;
  const pkg = JSON.parse(renamed(JSON.stringify(approval.package), template._id, id)) as {
    pledge: { donor: string };
  };
  pkg.pledge.donor = donor;
  const packageHash = canonicalHash(pkg);
  const chain = openedChain(approval.chain, id, 1);
  const tasks: TaskSnapshot[] = [];
  const task = (
    taskId: string,
    kind: TaskSnapshot['kind'],
    role: TaskSnapshot['candidateRoles'][number],
    by: string,
    decision: string,
    decidedAt: string,
  ) =>
    tasks.push({
      id: taskId,
      kind,
      pledgeId: id,
      pledgeTitle: '',
      workflowId: `pledge-${id}`,
      candidateRoles: [role],
      nation: null,
      assignee: null,
      delegatedBy: null,
      priority: 'normal',
      dueAt: decidedAt,
      createdAt: decidedAt,
      state: 'completed',
      title: `${kind.replace(/_/g, ' ')}: ${id}`,
      escalated: false,
      delegateRoles: [],
      context: {},
      decision: { decision, comment: null, conditions: [], by, onBehalfOf: null, at: decidedAt },
    });

  const events: PledgeEvent[] = [];
  const common = (type: string, actor = 'system') => ({ id: `${id}:${type}`, pledgeId: id, at: at(), actor });
  const derived = derivePledgeFields(id, input, systems);
  events.push({
    ...common('submitted', 'staff'),
    type: 'pledge.submitted',
    workflowId: `pledge-${id}`,
    pledge: input,
    derived,
  });
  events.push({ ...common('intake'), type: 'intake.accepted', coalitions: derived.coalitions });
  const review = template.review!;
  events.push({
    ...common('review-1:findings'),
    type: 'review.findings',
    round: 1,
    review: { findings: review.findings, score: review.score, recommendation: review.recommendation },
    policyVersion: review.policyVersion,
  });
  const reviewed = common('review-1:decision', 'reviewer');
  events.push({
    ...reviewed,
    type: 'review.accepted',
    round: 1,
    taskId: `${id}-review-1`,
    decision: {
      decision: 'accept',
      comment: null,
      conditions: [],
      by: 'reviewer',
      onBehalfOf: null,
      at: reviewed.at,
    },
  });
  task(`${id}-review-1`, 'compatibility_review', 'reviewer', 'reviewer', 'accept', reviewed.at);
  events.push({
    ...common('training-1:plan'),
    type: 'training.planned',
    round: 1,
    plan: cohorts(() => 'planned'),
    findings: null,
    reason: null,
  });
  const confirmed = common('training-1:confirm', 'trainer');
  events.push({
    ...confirmed,
    type: 'training.confirmed',
    round: 1,
    taskId: `${id}-training-plan-1`,
    comment: null,
    constraints: null,
  });
  task(
    `${id}-training-plan-1`,
    'training_plan_confirmation',
    'training_coordinator',
    'trainer',
    'confirm',
    confirmed.at,
  );
  events.push({
    ...common('approval-1:started'),
    type: 'approval.started',
    round: 1,
    package: pkg,
    packageHash,
    policyVersion: approval.policyVersion,
    chain,
  });
  chain.forEach((step, i) => {
    const signer = signers[step.role];
    const last = i === chain.length - 1;
    const payload = signingPayload({
      taskId: step.taskId!,
      pledgeId: id,
      packageHash,
      decision: 'approve',
      comment: null,
      conditions: [],
      signer: signer.username,
      role: step.role,
      step: i + 1,
      round: 1,
    });
    const e = common(`approval-1:step-${i + 1}`, signer.username);
    const decided: ApprovalStepRecord = {
      ...step,
      state: 'approved',
      decision: 'approve',
      by: signer.username,
      at: e.at,
      keyId: signer.keyId,
      signature: sign(null, Buffer.from(payload, 'utf8'), signer.privateKey).toString('base64url'),
      payload,
    };
    events.push({
      ...e,
      type: last ? 'approval.approved' : 'approval.step_approved',
      round: 1,
      step: i + 1,
      decided,
      next: last ? null : i + 2,
    });
    task(step.taskId!, 'command_approval', step.role, signer.username, 'approve', e.at);
  });
  const reserved = cohorts(() => 'reserved');
  events.push({
    ...common('training-1:seats'),
    type: 'training.seats_reserved',
    plan: reserved,
    seats: reserved.cohorts.reduce((n, c) => n + c.trainees, 0),
  });
  events.push({ ...common('training-1:in-training'), type: 'training.in_training', plan: reserved });
  let plan = reserved;
  for (const cohort of reserved.cohorts) {
    for (const state of ['started', 'completed'] as const) {
      plan = { ...plan, cohorts: plan.cohorts.map((c) => (c.id === cohort.id ? { ...c, state } : c)) };
      events.push({
        ...common(`cohort:${cohort.id}:${state}`, 'trainer'),
        type: state === 'started' ? 'training.cohort_started' : 'training.cohort_completed',
        plan,
        cohort: plan.cohorts.find((c) => c.id === cohort.id)!,
      });
    }
  }
  events.push({ ...common('training:ready'), type: 'training.ready', plan });
  for (const t of tasks) t.pledgeTitle = derived.title;
  return { events, tasks };
}
