import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultApprovalPolicy } from '../../domain/schemas/approval-policy';
import { defaultTaskPolicy } from '../../domain/schemas/task-policy';
import type { HttpClient, HttpResponse } from '../support/http';
import { checkInAppNotifications } from '../support/notifications';
import { futureDay } from '../support/reliability';
import { registerSigner, signedDecision, type Signer } from '../support/signing';
import { eventually, startStack, type Stack } from '../support/stack';
import { checkSeatLedger, seedTestTraining } from '../support/training';

/**
 * Random interleavings of everything people (and failures) do to pledges, on the real stack: submissions,
 * amendments, withdrawals, every kind of decision, claims, releases and delegations, cohort reports, escalation
 * timers (a policy of seconds), and kill -9 of the Temporal worker; several of them at once. RACE_PLEDGES and
 * RACE_COMMANDS size it (the test command runs 50 pledges); RACE_SEED replays one run.
 */
const PLEDGES = Number(process.env.RACE_PLEDGES ?? 50);
const COMMANDS = Number(process.env.RACE_COMMANDS ?? 120);
const SEED = process.env.RACE_SEED ? Number(process.env.RACE_SEED) : undefined;
const MAX_KILLS = 2;

type Role = 'staff' | 'reviewer' | 'trainer' | 'cos' | 'commander' | 'deputy' | 'saceur';
const DECIDERS: Role[] = ['reviewer', 'trainer', 'cos', 'commander', 'deputy', 'saceur', 'staff'];
const SIGNERS = ['cos', 'commander', 'deputy', 'saceur'] as const;

interface Task {
  id: string;
  kind: string;
  pledgeId: string;
  assignee: string | null;
  candidateRoles: string[];
}

interface Model {
  pledges: string[];
  kills: number;
}

interface Real {
  stack: Stack;
  clients: Record<Role, HttpClient>;
  signers: Record<(typeof SIGNERS)[number], Signer>;
  serverErrors: string[];
  answers: Record<string, number>;
}

const pledgeBody = (donor: string, notes: string) => ({
  donor,
  items: [
    { systemId: 'test-uas', quantity: 1, deliveryWindow: { from: futureDay(300), to: futureDay(400) } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 2_000_000,
  notes,
});

/** Records every answer; any 5xx is a failure of the engine, whatever the race. */
function note(real: Real, what: string, res: HttpResponse | undefined) {
  if (!res) return;
  real.answers[res.status] = (real.answers[res.status] ?? 0) + 1;
  if (res.status >= 500)
    real.serverErrors.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** The open tasks of a pledge, each with a user who may see it. */
async function openTasks(real: Real, pledgeId: string): Promise<Array<{ task: Task; as: Role }>> {
  const found = new Map<string, { task: Task; as: Role }>();
  for (const role of DECIDERS) {
    const res = await real.clients[role].get(`/api/v1/tasks?pledgeId=${pledgeId}&limit=50`);
    note(real, `inbox of ${role}`, res);
    for (const task of (res.body?.items ?? []) as Task[])
      if (!found.has(task.id)) found.set(task.id, { task, as: role });
  }
  return [...found.values()];
}

/** A decision of the task's kind, chosen by `choice`. */
async function decisionFor(
  real: Real,
  task: Task,
  as: Role,
  choice: number,
): Promise<Record<string, unknown> | null> {
  const pick = <T>(options: T[]) => options[choice % options.length];
  switch (task.kind) {
    case 'compatibility_review':
      return pick([
        { decision: 'accept' },
        {
          decision: 'accept_with_conditions',
          conditions: ['race: spares first'],
          comment: 'race: conditions',
        },
        { decision: 'request_changes', comment: 'race: changes' },
        { decision: 'reject', comment: 'race: no' },
      ]);
    case 'training_plan_confirmation':
      return pick([
        { decision: 'confirm' },
        { decision: 'confirm' },
        { decision: 'replan', comment: 'race: again' },
      ]);
    case 'command_approval': {
      if (!(SIGNERS as readonly string[]).includes(as)) return null;
      const decision = pick([
        { decision: 'approve' },
        {
          decision: 'approve_with_conditions',
          conditions: ['race: spares first'],
          comment: 'race: conditions',
        },
        { decision: 'return', comment: 'race: return' },
        { decision: 'reject', comment: 'race: reject' },
      ]);
      return signedDecision(
        real.clients[as],
        real.signers[as as (typeof SIGNERS)[number]],
        task.id,
        decision,
      ).catch(() => null);
    }
    default:
      return null;
  }
}

const pledgeOf = (m: Model, pick: number) => m.pledges[pick % m.pledges.length];

class Submit implements fc.AsyncCommand<Model, Real> {
  constructor(readonly donor: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const res = await r.clients.staff.post('/api/v1/pledges', pledgeBody(this.donor, 'race submission'));
    note(r, 'submit', res);
    if (res.status === 202) m.pledges.push(res.body.id as string);
  }
  toString = () => `Submit(${this.donor})`;
}

class Decide implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly choice: number,
    readonly withWithdrawal: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.pledges.length > 0;
  async run(m: Model, r: Real) {
    const pledgeId = pledgeOf(m, this.pick);
    const [open] = await openTasks(r, pledgeId);
    const sends: Array<Promise<HttpResponse | undefined>> = [];
    if (open?.task.kind === 'revision') {
      const donor = (await r.clients.staff.get(`/api/v1/pledges/${pledgeId}`)).body.donor as string;
      sends.push(
        r.clients.staff.post(`/api/v1/pledges/${pledgeId}/amend`, pledgeBody(donor, 'race amendment')),
      );
    } else if (open) {
      const body = await decisionFor(r, open.task, open.as, this.choice);
      if (body) sends.push(r.clients[open.as].post(`/api/v1/tasks/${open.task.id}/complete`, body));
    }
    // The race: a withdrawal at the same moment as the decision.
    if (this.withWithdrawal)
      sends.push(
        r.clients.staff.post(`/api/v1/pledges/${pledgeId}/withdraw`, { reason: 'race: withdrawn at once' }),
      );
    for (const res of await Promise.all(sends)) note(r, `decide ${pledgeId}`, res);
  }
  toString = () => `Decide(${this.pick}, ${this.choice}${this.withWithdrawal ? ', withdraw at once' : ''})`;
}

/** Takes a pledge several steps further the way people mostly do: accept, confirm, approve, amend, report. */
class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly steps: number,
  ) {}
  check = (m: Readonly<Model>) => m.pledges.length > 0;
  async run(m: Model, r: Real) {
    const pledgeId = pledgeOf(m, this.pick);
    for (let i = 0; i < this.steps; i++) {
      const status = (await r.clients.staff.get(`/api/v1/pledges/${pledgeId}`)).body?.status as string;
      if (status === 'IN_TRAINING')
        await new ReportCohort(this.pick, i % 2 ? 'completed' : 'started').run(m, r);
      else await new Decide(this.pick, 0, false).run(m, r);
      await new Promise((res) => setTimeout(res, 300));
    }
  }
  toString = () => `Advance(${this.pick}, ${this.steps})`;
}

/** Two commands at the same moment: their requests interleave in the engine. */
class Both implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly a: fc.AsyncCommand<Model, Real>,
    readonly b: fc.AsyncCommand<Model, Real>,
  ) {}
  check = (m: Readonly<Model>) => this.a.check(m) && this.b.check(m);
  async run(m: Model, r: Real) {
    await Promise.all([this.a.run(m, r), this.b.run(m, r)]);
  }
  toString = () => `Both(${String(this.a)}, ${String(this.b)})`;
}

class Withdraw implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.pledges.length > 0;
  async run(m: Model, r: Real) {
    note(
      r,
      'withdraw',
      await r.clients.staff.post(`/api/v1/pledges/${pledgeOf(m, this.pick)}/withdraw`, {
        reason: 'race: withdrawn',
      }),
    );
  }
  toString = () => `Withdraw(${this.pick})`;
}

class Handle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly action: 'claim' | 'release' | 'delegate' | 'claim twice',
  ) {}
  check = (m: Readonly<Model>) => m.pledges.length > 0;
  async run(m: Model, r: Real) {
    const [open] = await openTasks(r, pledgeOf(m, this.pick));
    if (!open || open.task.kind === 'revision') return;
    const client = r.clients[open.as];
    const url = `/api/v1/tasks/${open.task.id}`;
    if (this.action === 'claim') note(r, 'claim', await client.post(`${url}/claim`));
    if (this.action === 'release') note(r, 'release', await client.post(`${url}/release`));
    if (this.action === 'claim twice')
      for (const res of await Promise.all([client.post(`${url}/claim`), client.post(`${url}/claim`)]))
        note(r, 'claim twice', res);
    if (this.action === 'delegate' && open.as === 'commander')
      note(r, 'delegate', await client.post(`${url}/delegate`, { to: 'deputy' }));
  }
  toString = () => `Handle(${this.pick}, ${this.action})`;
}

class ReportCohort implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly type: 'started' | 'completed' | 'failed',
  ) {}
  check = (m: Readonly<Model>) => m.pledges.length > 0;
  async run(m: Model, r: Real) {
    const page = await r.clients.trainer.get(`/api/v1/pledges/${pledgeOf(m, this.pick)}`);
    note(r, 'pledge page', page);
    const cohorts = (page.body?.trainingPlan?.cohorts ?? []) as Array<{ id: string; state: string }>;
    const cohort = cohorts.find((c) =>
      this.type === 'started'
        ? c.state === 'reserved'
        : this.type === 'completed'
          ? c.state === 'started'
          : c.state === 'reserved' || c.state === 'started',
    );
    if (cohort)
      note(
        r,
        'cohort event',
        await r.clients.trainer.post(`/api/v1/training/cohorts/${cohort.id}/events`, { type: this.type }),
      );
  }
  toString = () => `ReportCohort(${this.pick}, ${this.type})`;
}

class KillWorker implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.kills < MAX_KILLS;
  async run(m: Model, r: Real) {
    m.kills++;
    await r.stack.killWorker();
    await new Promise((res) => setTimeout(res, 300));
    await r.stack.startWorker();
  }
  toString = () => 'KillWorker()';
}

class Wait implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run() {
    await new Promise((res) => setTimeout(res, this.ms));
  }
  toString = () => `Wait(${this.ms})`;
}

const single = [
  fc.constantFrom('NLD', 'DNK', 'NOR', 'SWE', 'POL').map((d) => new Submit(d)),
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([p, c, w]) => new Decide(p, c, w)),
  fc.tuple(fc.nat(), fc.nat()).map(([p, c]) => new Decide(p, c, false)),
  fc.tuple(fc.nat(), fc.nat()).map(([p, c]) => new Decide(p, c, false)),
  fc.nat().map((p) => new Withdraw(p)),
  fc
    .tuple(fc.nat(), fc.constantFrom<Handle['action']>('claim', 'release', 'delegate', 'claim twice'))
    .map(([p, a]) => new Handle(p, a)),
  fc
    .tuple(fc.nat(), fc.constantFrom<ReportCohort['type']>('started', 'completed', 'completed', 'failed'))
    .map(([p, t]) => new ReportCohort(p, t)),
  fc.constant(new KillWorker()),
  fc.integer({ min: 500, max: 2_500 }).map((ms) => new Wait(ms)),
];
const commands = [
  ...single,
  // Most pledges are taken deep (a few of them, many steps), and commands often run two at once.
  fc.tuple(fc.nat({ max: 15 }), fc.integer({ min: 2, max: 8 })).map(([p, n]) => new Advance(p, n)),
  fc.tuple(fc.nat({ max: 15 }), fc.integer({ min: 2, max: 8 })).map(([p, n]) => new Advance(p, n)),
  fc.tuple(fc.oneof(...single), fc.oneof(...single)).map(([a, b]) => new Both(a, b)),
];

describe('races: random interleavings of decisions, withdrawals, timers and crashes', () => {
  let stack: Stack;
  let real: Real;

  beforeAll(async () => {
    // The engine's error lines are shown (TEST_LOG_LEVEL overrides): a 5xx that a rare interleaving produced is
    // explained in the same output that reports it.
    stack = await startStack('races', {
      workerProcess: true,
      jobsWorker: 'inline',
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' },
    });
    const admin = await stack.as('admin');
    // Timers of seconds: reminders and escalations fire during the run.
    const fast = { slaSeconds: 4, remindBeforeDueSeconds: [2], escalateToRoles: ['staff_officer'] };
    await stack.db.collection('policies').insertOne({
      kind: 'tasks',
      version: 2,
      createdBy: 'test',
      document: {
        ...defaultTaskPolicy,
        version: 2,
        compatibility_review: fast,
        training_plan_confirmation: fast,
      },
    });
    const { version: _v, ...approval } = defaultApprovalPolicy;
    const step = {
      slaSeconds: 6,
      remindBeforeDueSeconds: [3],
      escalateToRoles: ['deputy_commander'],
      delegateToRoles: ['deputy_commander'],
    };
    expect(
      (
        await admin.post('/api/v1/admin/policies/approval', {
          ...approval,
          steps: { ...approval.steps, commander: step },
        })
      ).status,
    ).toBe(201);
    await seedTestTraining(
      stack,
      admin,
      [1, 2].flatMap((n) => [
        { id: `uas-basic-${n}`, courseId: 'uas-basic', start: 20 * n, end: 20 * n + 15, seats: 60 },
        {
          id: `uas-advanced-${n}`,
          courseId: 'uas-advanced',
          start: 20 * n + 60,
          end: 20 * n + 75,
          seats: 40,
        },
      ]),
    );
    const clients = Object.fromEntries(
      await Promise.all([...DECIDERS].map(async (u) => [u, await stack.as(u)] as const)),
    ) as Record<Role, HttpClient>;
    const signers = Object.fromEntries(
      await Promise.all(SIGNERS.map(async (u) => [u, await registerSigner(clients[u])] as const)),
    ) as Real['signers'];
    real = { stack, clients, signers, serverErrors: [], answers: {} };
  }, 240_000);
  afterAll(async () => stack?.stop());

  it(`when ${COMMANDS} random commands run on ${PLEDGES} pledges, then no 5xx, no workflow fails, every status agrees, no open task is orphaned, no seat leaks or doubles, notifications arrive once and the audit log verifies`, async () => {
    const started = Date.now();
    let ran = '';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...commands), { minLength: COMMANDS, maxLength: COMMANDS }),
        async (cmds) => {
          const model: Model = { pledges: [], kills: 0 };
          for (let i = 0; i < PLEDGES; i++)
            await new Submit(['NLD', 'DNK', 'NOR', 'SWE', 'POL'][i % 5]).run(model, real);
          ran = cmds.map(String).join(' ');
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        },
      ),
      { numRuns: 1, endOnFailure: true, ...(SEED !== undefined ? { seed: SEED } : {}), verbose: 2 },
    );
    const driveMs = Date.now() - started;
    const { client } = stack.api.deps.temporal;
    const queue = stack.config.TEMPORAL_TASK_QUEUE;

    // Quiet: no workflow of this run has work in flight (an activity or a workflow task) any more.
    await eventually(
      async () => {
        for await (const wf of client.workflow.list({
          query: `TaskQueue = "${queue}" AND ExecutionStatus = "Running"`,
        })) {
          const d = await client.workflow.getHandle(wf.workflowId).describe();
          if ((d.raw.pendingActivities?.length ?? 0) > 0 || d.raw.pendingWorkflowTask) return false;
        }
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );

    // No workflow failed, was terminated or timed out.
    const broken = (
      await client.workflow.count(
        `TaskQueue = "${queue}" AND ExecutionStatus IN ("Failed", "Terminated", "TimedOut")`,
      )
    ).count;
    expect(broken, 'workflows that ended FAILED, TERMINATED or TIMED_OUT').toBe(0);

    // Every pledge's status in the read model is its workflow's.
    const staff = real.clients.staff;
    const ids = (
      await stack.db
        .collection('pledges')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((p) => String(p._id));
    const disagreements: string[] = [];
    for (const id of ids) {
      const view = (await staff.get(`/api/v1/pledges/${id}`)).body;
      const handle = client.workflow.getHandle(`pledge-${id}`);
      const d = await handle.describe();
      const workflowStatus =
        d.status.name === 'RUNNING'
          ? (d.searchAttributes.PledgeStatus?.[0] as string | undefined)
          : ((await handle.result()) as { status: string }).status;
      if (workflowStatus !== view.status)
        disagreements.push(`${id}: read model ${view.status}, workflow ${d.status.name} ${workflowStatus}`);
    }
    expect(disagreements).toEqual([]);

    // Every open task belongs to a running workflow: every open task in the record, however many.
    const allOpen = await stack.db
      .collection('tasks')
      .find({ state: 'open' }, { projection: { workflowId: 1 } })
      .toArray();
    const orphans: string[] = [];
    for (const t of allOpen) {
      const d = await client.workflow
        .getHandle(String(t.workflowId))
        .describe()
        .catch(() => null);
      if (d?.status.name !== 'RUNNING') orphans.push(`${String(t._id)} (${d?.status.name ?? 'no workflow'})`);
    }
    expect(orphans).toEqual([]);

    // No seat leaked or doubled.
    const ledger = await checkSeatLedger(stack);
    // Notifications once per event and recipient.
    const inApp = await checkInAppNotifications(stack);
    expect({
      duplicates: inApp.duplicates,
      lost: inApp.lost,
      unexpected: inApp.unexpected,
      failedJobs: inApp.failedJobs,
    }).toEqual({
      duplicates: 0,
      lost: [],
      unexpected: [],
      failedJobs: 0,
    });
    // The audit log verifies.
    const verify = (await (await stack.as('auditor')).get('/api/v1/audit/verify')).body;
    expect(verify).toMatchObject({ ok: true, problems: [] });

    const statuses: Record<string, number> = {};
    for (const id of ids) {
      const s = (await staff.get(`/api/v1/pledges/${id}`)).body.status as string;
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
    console.log(
      `races: ${ids.length} pledges, ${COMMANDS} commands in ${Math.round(driveMs / 1000)} s; answers ${JSON.stringify(real.answers)}; ` +
        `statuses ${JSON.stringify(statuses)}; ${allOpen.length} tasks open; seats held ${ledger.seats}; ${inApp.events.length} notification events, ` +
        `${inApp.stored} in-app; audit ${verify.checked} entries\n  commands: ${ran.slice(0, 2000)}`,
    );
    expect(real.serverErrors).toEqual([]);
  }, 1_200_000);
});
