import { randomUUID } from 'node:crypto';
import { Milestones, type Milestone } from '../../domain/delivery-lots';
import type { HttpClient } from './http';
import { registerSigner, signedDecision, type Signer } from './signing';
import { day } from './training';
import type { Stack } from './stack';

/** The people who move pledges on, over the API; approvers sign with their own keys. */
export interface People {
  staff: HttpClient;
  reviewer: HttpClient;
  trainer: HttpClient;
  /** The delivery cell: records the lots' milestones. */
  logistics: HttpClient;
  approvers: Record<string, { client: HttpClient; signer: Signer }>;
}

const APPROVERS: Record<string, string> = { chief_of_staff: 'cos', commander: 'commander', saceur: 'saceur' };

/** Logs the deciders in; approvers register a key unless `signers` (keys registered before) are given. */
export async function people(stack: Stack, signers?: Record<string, Signer>): Promise<People> {
  const [staff, reviewer, trainer, logistics] = await Promise.all(
    ['staff', 'reviewer', 'trainer', 'logistics'].map((u) => stack.as(u)),
  );
  const approvers: People['approvers'] = {};
  for (const [role, username] of Object.entries(APPROVERS)) {
    const client = await stack.as(username);
    approvers[role] = { client, signer: signers?.[role] ?? (await registerSigner(client)) };
  }
  return { staff, reviewer, trainer, logistics, approvers };
}

export const signersOf = (p: People) =>
  Object.fromEntries(Object.entries(p.approvers).map(([role, a]) => [role, a.signer]));

/** A pledge of the test drone system (two crew per unit: one cohort per course), below SACEUR's threshold. */
export const testPledge = (donor: string, quantity = 2) => ({
  donor,
  items: [{ systemId: 'test-uas', quantity, deliveryWindow: { from: day(300), to: day(400) } }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 5_000_000,
});

export async function submitPledge(p: People, body: unknown): Promise<string> {
  const res = await p.staff.post('/api/v1/pledges', body, { 'Idempotency-Key': randomUUID() });
  if (res.status !== 202) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

interface Cohort {
  id: string;
  state: string;
  start: string;
  end: string;
}
export interface PledgeView {
  id: string;
  status: string;
  approval: { chain: Array<{ role: string; state: string; signatureValid?: boolean }> } | null;
  trainingPlan: { cohorts: Cohort[] } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openTaskOf(client: HttpClient, kind: string, pledgeId: string, decided: Set<string>) {
  const res = await client.get(`/api/v1/tasks?kind=${kind}&pledgeId=${pledgeId}`);
  if (res.status !== 200) return undefined;
  return (res.body.items as Array<{ id: string; state: string }>).find(
    (t) => t.state === 'open' && !decided.has(t.id),
  );
}

async function complete(client: HttpClient, taskId: string, body: unknown) {
  const res = await client.post(`/api/v1/tasks/${taskId}/complete`, body);
  if (res.status !== 200) throw new Error(`completing ${taskId}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Records the next milestone of the pledge's first lot not yet received, dated today; false when every lot is in.
 * `sent` keeps each milestone to one request.
 */
export async function recordNextMilestone(logistics: HttpClient, pledgeId: string, sent = new Set<string>()) {
  const res = await logistics.get(`/api/v1/pledges/${pledgeId}/deliveries`);
  if (res.status !== 200)
    throw new Error(`deliveries of ${pledgeId}: ${res.status} ${JSON.stringify(res.body)}`);
  for (const lot of res.body.items as Array<{ id: string; state: Milestone | 'planned' }>) {
    const next = Milestones[Milestones.indexOf(lot.state as Milestone) + 1];
    if (!next || sent.has(`${lot.id}:${next}`)) continue;
    const posted = await logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, {
      state: next,
      at: new Date().toISOString().slice(0, 10),
      location: 'Rzeszów hub',
    });
    if (posted.status !== 202)
      throw new Error(`milestone ${next} of ${lot.id}: ${posted.status} ${JSON.stringify(posted.body)}`);
    sent.add(`${lot.id}:${next}`);
    return true;
  }
  return false;
}

/**
 * Moves one pledge on as its deciders would, from wherever it stands, until `done` holds for its page: accepts the
 * review, confirms the plan, signs each approval step as its approver, reports each cohort started, then completed,
 * and records each lot's milestones up to received.
 * Each task is decided once (a second 200 would be a doubled decision) and each cohort event sent once.
 */
export async function advance(
  p: People,
  id: string,
  done: (view: PledgeView) => boolean,
  { timeoutMs = 240_000 } = {},
): Promise<PledgeView> {
  const decided = new Set<string>();
  const reported = new Set<string>();
  const milestones = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await p.staff.get(`/api/v1/pledges/${id}`);
    const view = res.body as PledgeView;
    if (res.status === 200 && done(view)) return view;
    if (Date.now() > deadline) throw new Error(`pledge ${id} stuck at ${view.status}`);
    let acted = false;
    if (view.status === 'UNDER_REVIEW') {
      const task = await openTaskOf(p.reviewer, 'compatibility_review', id, decided);
      if (task) {
        await complete(p.reviewer, task.id, { decision: 'accept' });
        decided.add(task.id);
        acted = true;
      }
    } else if (view.status === 'TRAINING_PLANNING') {
      const task = await openTaskOf(p.trainer, 'training_plan_confirmation', id, decided);
      if (task) {
        await complete(p.trainer, task.id, { decision: 'confirm' });
        decided.add(task.id);
        acted = true;
      }
    } else if (view.status === 'AWAITING_APPROVAL') {
      const step = view.approval?.chain.find((s) => s.state === 'open');
      const approver = step && p.approvers[step.role];
      const task = approver && (await openTaskOf(approver.client, 'command_approval', id, decided));
      if (approver && task) {
        await complete(
          approver.client,
          task.id,
          await signedDecision(approver.client, approver.signer, task.id, { decision: 'approve' }),
        );
        decided.add(task.id);
        acted = true;
      }
    } else if (view.status === 'IN_TRAINING') {
      const cohort = [...(view.trainingPlan?.cohorts ?? [])]
        .sort((a, b) => a.start.localeCompare(b.start))
        .find((c) => c.state === 'reserved' || c.state === 'started');
      const type = cohort?.state === 'reserved' ? 'started' : 'completed';
      if (cohort && !reported.has(`${cohort.id}:${type}`)) {
        const sent = await p.trainer.post(`/api/v1/training/cohorts/${cohort.id}/events`, {
          type,
          at: type === 'started' ? cohort.start : cohort.end,
        });
        if (sent.status !== 202)
          throw new Error(`cohort ${type}: ${sent.status} ${JSON.stringify(sent.body)}`);
        reported.add(`${cohort.id}:${type}`);
        acted = true;
      } else if (!cohort) {
        // The crews are trained: the lots come in.
        acted = await recordNextMilestone(p.logistics, id, milestones);
      }
    }
    if (!acted) await sleep(200);
  }
}

/** Stops of `advance` at each stage where a pledge waits on people, with its task open. */
export const stages = {
  openReview: (v: PledgeView) => v.status === 'UNDER_REVIEW',
  trainingPlanning: (v: PledgeView) => v.status === 'TRAINING_PLANNING',
  /** One step signed, the next open. */
  awaitingApproval: (v: PledgeView) =>
    v.status === 'AWAITING_APPROVAL' &&
    v.approval?.chain[0]?.state === 'approved' &&
    v.approval.chain.some((s) => s.state === 'open'),
  /** One cohort started. */
  inTraining: (v: PledgeView) =>
    v.status === 'IN_TRAINING' && (v.trainingPlan?.cohorts ?? []).some((c) => c.state !== 'reserved'),
  ready: (v: PledgeView) => v.status === 'READY',
} as const;
export type StageName = keyof typeof stages;
