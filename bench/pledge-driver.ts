/**
 * Scripted deciders that push one pledge through every stage over the public API, as people would:
 * submit → compatibility review accepted → training plan confirmed → command approval signed step by step →
 * seats reserved (IN_TRAINING) → each cohort started and completed → each lot's milestones up to received → READY.
 * Each stage's latency runs from the
 * request that decides it until the next decider can see the next task or state (polled every `pollMs`).
 */
import { randomUUID } from 'node:crypto';
import { Milestones, type Milestone } from '../domain/delivery-lots';
import type { HttpClient, HttpResponse } from '../test/support/http';
import { signedDecision } from '../test/support/signing';
import { benchPledge, type Deciders } from './lib/engine';
import { sleep } from './lib/stats';

export const STAGES = {
  submit: 'submission → findings (review task open)',
  review: 'review accept → plan task open',
  plan: 'plan confirm → approval task open',
  approval: 'approval step → next step open',
  lastApproval: 'final approval → IN_TRAINING (seats reserved)',
  cohortEvent: 'cohort event → applied',
  milestone: 'delivery milestone → applied',
  ready: 'last lot received → READY',
} as const;
export type StageKey = keyof typeof STAGES;

export interface PledgeRun {
  id: string;
  ok: boolean;
  error?: string;
  totalMs: number;
  stages: Array<{ stage: StageKey; ms: number }>;
  /** Decisions sent as Temporal Updates (task completions and cohort events). */
  updates: number;
  /** Requests repeated after a connection error or a 502/503/504, as a real client would. */
  retries: number;
}

interface TaskRow {
  id: string;
  pledgeId: string;
  state: string;
}

const STAGE_TIMEOUT_MS = 180_000;

const describe = (res: HttpResponse) => `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;

/** Polls until `check` gives a value; a failed or refused poll is polled again, until the stage times out. */
async function until<T>(what: string, pollMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STAGE_TIMEOUT_MS;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await sleep(pollMs);
  }
}

const get = async <T>(client: HttpClient, path: string): Promise<T> => {
  const res = await client.get<T>(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${describe(res)}`);
  return res.body;
};

const openTask = (client: HttpClient, kind: string, pledgeId: string, pollMs: number, not: string[] = []) =>
  until(`${kind} task of ${pledgeId}`, pollMs, async () => {
    const body = await get<{ items: TaskRow[] }>(client, `/api/v1/tasks?kind=${kind}&pledgeId=${pledgeId}`);
    return body.items.find((t) => t.state === 'open' && !not.includes(t.id));
  });

const TRANSIENT = new Set([502, 503, 504]);

export async function drivePledge(d: Deciders, index: number, pollMs: number): Promise<PledgeRun> {
  const stages: PledgeRun['stages'] = [];
  let updates = 0;
  let retries = 0;
  /**
   * Sends a request, repeating it after a connection error or a 502/503/504 (at most 3 times); a 409 on a repeat
   * counts as done when `applied` confirms that the first attempt went through.
   */
  const send = async (
    what: string,
    call: () => Promise<HttpResponse>,
    expected: number,
    applied?: () => Promise<boolean>,
  ) => {
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let error = '';
      try {
        res = await call();
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (res?.status === expected) return res;
      if (res?.status === 409 && attempt > 1 && applied && (await applied().catch(() => false))) return res;
      if ((res && !TRANSIENT.has(res.status)) || attempt > 3)
        throw new Error(`${what}: ${res ? describe(res) : error}`);
      retries++;
      await sleep(500 * attempt);
    }
  };
  const taskDone = (client: HttpClient, taskId: string) => async () =>
    (await get<{ state: string }>(client, `/api/v1/tasks/${taskId}`)).state === 'completed';
  const started = performance.now();
  let id = '';
  const timed = async <T>(stage: StageKey, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await fn();
    stages.push({ stage, ms: performance.now() - t0 });
    return value;
  };
  try {
    // Submission → the review task with its findings is in the reviewer's inbox.
    const review = await timed('submit', async () => {
      const key = randomUUID();
      const res = await send(
        'submit',
        () => d.staff.post('/api/v1/pledges', benchPledge(index), { 'Idempotency-Key': key }),
        202,
      );
      id = res.body.id as string;
      return openTask(d.reviewer, 'compatibility_review', id, pollMs);
    });

    const plan = await timed('review', async () => {
      await send(
        'review accept',
        () => d.reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' }),
        200,
        taskDone(d.reviewer, review.id),
      );
      updates++;
      return openTask(d.trainer, 'training_plan_confirmation', id, pollMs);
    });

    const chainRoles = await timed('plan', async () => {
      await send(
        'plan confirm',
        () => d.trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' }),
        200,
        taskDone(d.trainer, plan.id),
      );
      updates++;
      await openTask(d.approvers.chief_of_staff.client, 'command_approval', id, pollMs);
      const view = await get<{ approval: { chain: Array<{ role: string }> } }>(
        d.staff,
        `/api/v1/pledges/${id}`,
      );
      return view.approval.chain.map((s) => s.role);
    });

    // The chain, one signed decision per step; the first step's task is already open.
    const decided: string[] = [];
    for (let step = 0; step < chainRoles.length; step++) {
      const approver = d.approvers[chainRoles[step]];
      if (!approver) throw new Error(`no benchmark approver for role ${chainRoles[step]}`);
      const last = step === chainRoles.length - 1;
      const task = await openTask(approver.client, 'command_approval', id, pollMs, decided);
      await timed(last ? 'lastApproval' : 'approval', async () => {
        const body = await signedDecision(approver.client, approver.signer, task.id, { decision: 'approve' });
        await send(
          `approval by ${chainRoles[step]}`,
          () => approver.client.post(`/api/v1/tasks/${task.id}/complete`, body),
          200,
          taskDone(approver.client, task.id),
        );
        updates++;
        decided.push(task.id);
        if (!last) {
          const next = d.approvers[chainRoles[step + 1]];
          await openTask(next.client, 'command_approval', id, pollMs, decided);
        } else {
          await until(`IN_TRAINING of ${id}`, pollMs, async () => {
            const view = await get<{ status: string }>(d.staff, `/api/v1/pledges/${id}`);
            return view.status === 'IN_TRAINING' ? view : undefined;
          });
        }
      });
    }

    type Cohort = { id: string; state: string; start: string; end: string };
    const view = await get<{ trainingPlan: { cohorts: Cohort[] } }>(d.trainer, `/api/v1/pledges/${id}`);
    const cohorts = view.trainingPlan.cohorts
      .filter((c) => c.state === 'reserved')
      .sort((a, b) => a.start.localeCompare(b.start));
    if (cohorts.length === 0) throw new Error(`pledge ${id} is IN_TRAINING without reserved cohorts`);
    for (const cohort of cohorts) {
      for (const [type, at] of [
        ['started', cohort.start],
        ['completed', cohort.end],
      ] as const) {
        await timed('cohortEvent', async () => {
          const cohortIs = async () =>
            (
              await get<{ trainingPlan: { cohorts: Cohort[] } }>(d.trainer, `/api/v1/pledges/${id}`)
            ).trainingPlan.cohorts.find((c) => c.id === cohort.id)?.state === type;
          await send(
            `cohort ${type}`,
            () => d.trainer.post(`/api/v1/training/cohorts/${cohort.id}/events`, { type, at }),
            202,
            cohortIs,
          );
          updates++;
        });
      }
    }
    type Lot = { id: string; state: string };
    const lotsOf = async () =>
      (await get<{ items: Lot[] }>(d.logistics, `/api/v1/pledges/${id}/deliveries`)).items;
    for (const lot of await lotsOf()) {
      for (const state of Milestones.slice(Milestones.indexOf(lot.state as Milestone) + 1)) {
        await timed('milestone', async () => {
          const lotIs = async () => (await lotsOf()).find((l) => l.id === lot.id)?.state === state;
          await send(
            `milestone ${state}`,
            () =>
              d.logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, {
                state,
                at: new Date().toISOString().slice(0, 10),
              }),
            202,
            lotIs,
          );
          updates++;
        });
      }
    }
    await timed('ready', () =>
      until(`READY of ${id}`, pollMs, async () => {
        const view = await get<{ status: string }>(d.staff, `/api/v1/pledges/${id}`);
        return view.status === 'READY' ? true : undefined;
      }),
    );
    return { id, ok: true, totalMs: performance.now() - started, stages, updates, retries };
  } catch (err) {
    return {
      id,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      totalMs: performance.now() - started,
      stages,
      updates,
      retries,
    };
  }
}
