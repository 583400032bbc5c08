import { describe, expect, it } from 'vitest';
import { DomainFailure, type FailureKind } from '../../domain/failures';
import type { Principal } from '../../domain/permissions';
import type { PledgeInput } from '../../domain/schemas/pledge';
import type { TaskSnapshot } from '../../domain/tasks';
import { amendPledge } from '../../app/amend-pledge';
import { taskToAct } from '../../app/decide-task';
import {
  claimTask,
  delegateTask,
  eligibleDelegates,
  releaseTask,
  type DirectoryEntry,
} from '../../app/task-actions';
import type { PledgeRef } from '../../app/pledge-ports';
import { recordCohortEvent, type CohortOwner } from '../../app/record-cohort-event';
import { withdrawPledge } from '../../app/withdraw-pledge';
import { commentOnTask, type NewTaskComment, type TaskCommentPorts } from '../../app/comment-on-task';

const liaisonDeu: Principal = { username: 'liaison.deu', roles: ['donor_liaison'], nation: 'DEU' };
const staff: Principal = { username: 'staff', roles: ['staff_officer'], nation: null };
const frenchPledge: PledgeRef = { id: 'PL1', donor: 'FRA', workflowId: 'pledge-PL1' };

/** The kind a use case refuses with, or 'ok'. */
async function outcome(call: () => Promise<unknown>): Promise<FailureKind | 'ok'> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    if (err instanceof DomainFailure) return err.kind;
    throw err;
  }
}

const unreachable = () => Promise.reject(new Error('the workflow must not be called'));
const pledgePorts = {
  pledge: async (id: string) => (id === frenchPledge.id ? frenchPledge : undefined),
  systems: async () => [],
  amend: unreachable,
  withdraw: unreachable,
};

describe('the pledge use cases refuse before anything reaches a workflow', () => {
  it("when a liaison names another nation's pledge, then it is not_found, as a missing one", async () => {
    expect(await outcome(() => withdrawPledge(pledgePorts, liaisonDeu, 'PL1', 'why'))).toBe('not_found');
    expect(await outcome(() => withdrawPledge(pledgePorts, staff, 'PL2', 'why'))).toBe('not_found');
  });

  it('when an amendment changes the donor, then it is invalid and names the field', async () => {
    const input = { donor: 'DEU', items: [] } as unknown as PledgeInput;
    const refused = await amendPledge(pledgePorts, staff, 'PL1', input).catch((err: DomainFailure) => err);
    expect(refused).toMatchObject({
      kind: 'invalid',
      details: [{ path: 'donor', message: 'must stay FRA' }],
    });
  });
});

describe('finding a task to act on', () => {
  const task = {
    id: 'T1',
    pledgeId: 'PL1',
    candidateRoles: ['commander'],
    nation: null,
    assignee: null,
  } as unknown as TaskSnapshot;
  const finder = { task: async () => task, pledge: async () => ({ donor: 'FRA' }) };

  it("when the caller may see the pledge but not decide, then forbidden; another nation's, then not_found", async () => {
    expect(await outcome(() => taskToAct(finder, staff, 'T1'))).toBe('forbidden');
    expect(await outcome(() => taskToAct(finder, liaisonDeu, 'T1'))).toBe('not_found');
  });
});

describe('recording a cohort event', () => {
  const owner = (status: string): CohortOwner =>
    ({
      _id: 'PL1',
      workflowId: 'pledge-PL1',
      status,
      trainingPlan: { cohorts: [{ id: 'PL1-c1', trainees: 4 }] },
    }) as unknown as CohortOwner;
  const ports = (status: string) => ({
    pledgeOfCohort: async (id: string) => (id === 'PL1-c1' ? owner(status) : null),
    reportCohortEvent: unreachable,
  });

  it('when the cohort is unknown, or its pledge not in training, then not_found or conflict', async () => {
    const started = { type: 'started' } as const;
    expect(await outcome(() => recordCohortEvent(ports('IN_TRAINING'), staff, 'x', started))).toBe(
      'not_found',
    );
    expect(await outcome(() => recordCohortEvent(ports('APPROVED'), staff, 'PL1-c1', started))).toBe(
      'conflict',
    );
  });

  it("when the counts do not add up to the cohort's trainees, then unprocessable, naming the field", async () => {
    const counts = { type: 'completed', passed: 1, failed: 1 } as const;
    const refused = await recordCohortEvent(ports('IN_TRAINING'), staff, 'PL1-c1', counts).catch(
      (err: DomainFailure) => err,
    );
    expect(refused).toMatchObject({ kind: 'unprocessable' });
    expect((refused as DomainFailure).details).toHaveLength(1);
  });
});

describe('claiming, releasing and delegating a task', () => {
  const commander: Principal = { username: 'commander', roles: ['commander'], nation: null };
  const task = {
    id: 'T2',
    kind: 'command_approval',
    pledgeId: 'PL1',
    candidateRoles: ['commander'],
    delegateRoles: ['deputy_commander'],
    nation: null,
    assignee: null,
    state: 'open',
    excluded: [{ username: 'deputy.submitter', rule: 'separation of duties: the submitter …' }],
  } as unknown as TaskSnapshot;
  const directory: DirectoryEntry[] = [
    { username: 'deputy', displayName: 'Deputy', roles: ['deputy_commander'], nation: null },
    {
      username: 'deputy.submitter',
      displayName: 'Deputy (submitter)',
      roles: ['deputy_commander'],
      nation: null,
    },
    { username: 'commander', displayName: 'Commander', roles: ['commander'], nation: null },
    { username: 'staff', displayName: 'Staff', roles: ['staff_officer'], nation: null },
  ];
  const sent: string[] = [];
  const ports = (state = 'open') => ({
    task: async () => ({ ...task, state }) as TaskSnapshot,
    pledge: async () => ({ donor: 'FRA' }),
    users: {
      active: async (name: string) => directory.find((u) => u.username === name) ?? null,
      activeHolders: async () => directory,
    },
    claim: async (t: TaskSnapshot) => (
      sent.push(`claim ${t.id}`),
      { task: t, pledge: { id: 'PL1', status: 'x' } }
    ),
    release: unreachable,
    delegate: async (t: TaskSnapshot, args: { to: { username: string } }) => (
      sent.push(`delegate ${t.id} to ${args.to.username}`),
      { task: t, pledge: { id: 'PL1', status: 'x' } }
    ),
  });

  it('when the task is open, then a claim reaches its workflow; once closed, conflict and nothing is sent', async () => {
    sent.length = 0;
    expect(await outcome(() => claimTask(ports(), commander, 'T2'))).toBe('ok');
    expect(await outcome(() => releaseTask(ports('completed'), commander, 'T2'))).toBe('conflict');
    expect(sent).toEqual(['claim T2']);
  });

  it('when the target is unknown, excluded by separation of duties or holds no deciding role, then unprocessable naming `to`', async () => {
    sent.length = 0;
    for (const to of ['nobody', 'deputy.submitter', 'staff']) {
      const refused = await delegateTask(ports(), commander, 'T2', to).catch((err: DomainFailure) => err);
      expect(refused).toMatchObject({ kind: 'unprocessable', details: [{ path: 'to' }] });
    }
    expect(await outcome(() => delegateTask(ports(), staff, 'T2', 'deputy'))).toBe('forbidden');
    expect(sent).toEqual([]);
    expect(await outcome(() => delegateTask(ports(), commander, 'T2', 'deputy'))).toBe('ok');
    expect(sent).toEqual(['delegate T2 to deputy']);
  });

  it('then the eligible delegates are those who may decide it, the caller and the excluded left out', async () => {
    const names = (await eligibleDelegates(ports(), commander, 'T2')).map((u) => u.username);
    expect(names).toEqual(['deputy']);
  });
});

describe('commenting on a task', () => {
  const auditor: Principal = { username: 'auditor', roles: ['auditor'], nation: null };
  const task = { id: 'PL1-review-1', pledgeId: 'PL1' };
  const recorder = () => {
    const kept: NewTaskComment[] = [];
    const shown: NewTaskComment[] = [];
    const audited: Parameters<TaskCommentPorts['audit']>[0][] = [];
    const ports: TaskCommentPorts = {
      keep: async (_taskId, c) => void kept.push(c),
      show: async (_taskId, c) => void shown.push(c),
      audit: async (e) => void audited.push(e),
    };
    return { ports, kept, shown, audited };
  };

  it('when an auditor comments, then it is forbidden and nothing is kept, shown or audited', async () => {
    const r = recorder();
    expect(await outcome(() => commentOnTask(r.ports, auditor, task, 'looks fine'))).toBe('forbidden');
    expect([r.kept, r.shown, r.audited]).toEqual([[], [], []]);
  });

  it('when staff comment, then the comment is kept, shown and audited on its pledge under one id', async () => {
    const r = recorder();
    const comment = await commentOnTask(r.ports, staff, task, 'spares come from the NLD stock');
    expect(comment).toMatchObject({ by: 'staff', text: 'spares come from the NLD stock' });
    expect(r.kept).toEqual([comment]);
    expect(r.shown).toEqual([comment]);
    expect(r.audited).toEqual([
      {
        eventId: `comment:${comment.id}`,
        actor: 'staff',
        action: 'task.commented',
        pledgeId: 'PL1',
        detail: { taskId: 'PL1-review-1', text: 'spares come from the NLD stock' },
      },
    ]);
  });
});
