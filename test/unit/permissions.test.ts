import { describe, expect, it } from 'vitest';
import {
  type Action,
  can,
  canSeeDonor,
  donorScope,
  permissions,
  type Principal,
} from '../../domain/permissions';
import { NationCode, type Role, Roles } from '../../domain/schemas/common';
import {
  type Actor,
  checkClaim,
  checkDecision,
  checkDelegate,
  checkMayAct,
  checkRelease,
  type DecisionInput,
  isCandidate,
  type TaskKind,
  type TaskSnapshot,
} from '../../domain/tasks';
import { DomainFailure, type FailureKind } from '../../domain/failures';

const allActions = Object.keys(permissions) as Action[];

// Expected grants, written from the roles in DOMAIN.md and CONTRACT.md rather than copied from the map.
const reads: Action[] = ['pledge:read', 'task:read', 'reference:read', 'self:read', 'requirement:read'];
const requirementWrites: Action[] = ['requirement:write'];
const pledgeWrites: Action[] = ['pledge:create', 'pledge:amend', 'pledge:withdraw'];
const decider: Action[] = [...reads, 'task:act', 'policy:read'];
// The command chain reads the phase-target figures and the decision brief; a reviewer decides reviews and does not.
const commandChain: Action[] = [...decider, 'report:read', 'brief:read'];
// The training portfolio: capacity and an approval's effect on the other pending pledges across nations for NSATU's
// people (and auditors), what-if also for a liaison's own pledges.
const portfolio: Action[] = ['training:capacity', 'training:what-if'];

// Agreements: liaisons read and write their own nation's; coalition pages: reviewers (their own) and staff.
const agreementWrites: Action[] = ['agreement:read', 'agreement:write'];
const overview: Action[] = ['agreement:read', 'coalition:read'];
// Deliveries: read by the donor (its own), staff, the command chain, auditors and admins; recorded by the cell.
const deliveries: Action[] = ['delivery:read'];

const expectedGrants: Record<Role, Action[]> = {
  donor_liaison: [
    ...reads,
    ...pledgeWrites,
    'task:act',
    'training:what-if',
    ...agreementWrites,
    ...deliveries,
  ],
  staff_officer: [
    ...reads,
    ...pledgeWrites,
    ...requirementWrites,
    'requirement:match',
    'pledge:import',
    'task:act',
    'policy:read',
    'report:read',
    'brief:read',
    ...portfolio,
    ...agreementWrites,
    'coalition:read',
    ...deliveries,
    'delivery:plan',
  ],
  reviewer: [...decider, ...portfolio, 'coalition:read'],
  training_coordinator: [
    ...reads,
    'task:act',
    'training:write',
    'training:record',
    ...portfolio,
    ...deliveries,
  ],
  chief_of_staff: [...commandChain, ...portfolio, ...overview, ...deliveries],
  commander: [...commandChain, ...portfolio, ...overview, ...deliveries],
  deputy_commander: [...commandChain, ...portfolio, ...overview, ...deliveries],
  saceur: [...commandChain, ...portfolio, ...overview, ...deliveries],
  auditor: [
    ...reads,
    'policy:read',
    'audit:verify',
    'report:read',
    'training:capacity',
    ...overview,
    ...deliveries,
  ],
  admin: [
    ...reads,
    ...pledgeWrites,
    'pledge:import',
    'reference:write',
    'training:write',
    'policy:read',
    'policy:write',
    'report:read',
    'brief:read',
    'audit:verify',
    'user:manage',
    'webhook:manage',
    'notification:manage',
    ...portfolio,
    ...agreementWrites,
    'coalition:read',
    ...deliveries,
  ],
  ua_liaison: ['reference:read', 'self:read', 'requirement:read', ...requirementWrites],
  logistics: ['pledge:read', 'reference:read', 'self:read', ...deliveries, 'delivery:record'],
};

describe('permissions', () => {
  it('when the expectation table is read, then it names every known role', () => {
    expect(Object.keys(expectedGrants).sort()).toEqual([...Roles].sort());
  });

  it('when the expectation table is read, then it only names actions the map knows', () => {
    const named = new Set(Object.values(expectedGrants).flat());

    expect([...named].filter((a) => !allActions.includes(a))).toEqual([]);
  });

  it.each(Roles.map((role) => [role]))(
    'when a %s asks for every action, then exactly its expected actions are granted',
    (role) => {
      const granted = allActions.filter((action) => can({ roles: [role] }, action));

      expect(granted.sort()).toEqual([...expectedGrants[role]].sort());
    },
  );

  const cases: [Role, Action, boolean][] = [
    ['reviewer', 'pledge:create', false],
    ['reviewer', 'task:act', true],
    ['auditor', 'audit:verify', true],
    ['auditor', 'task:act', false],
    ['auditor', 'pledge:create', false],
    ['auditor', 'pledge:read', true],
    ['donor_liaison', 'pledge:create', true],
    ['donor_liaison', 'pledge:import', false],
    ['staff_officer', 'pledge:import', true],
    ['training_coordinator', 'training:record', true],
    ['admin', 'training:record', false],
    ['commander', 'task:act', true],
    ['commander', 'policy:write', false],
    ['admin', 'task:act', false],
    // An approval's effect names other nations' pledges: the commander reads it, a liaison does not.
    ['commander', 'training:capacity', true],
    ['donor_liaison', 'training:capacity', false],
  ];
  it.each(cases)('when a %s asks for %s, then allowed is %s', (role, action, allowed) => {
    expect(can({ roles: [role] }, action)).toBe(allowed);
  });

  it.each(['reference:write', 'policy:write', 'user:manage'] as const)(
    'when %s is asked for, then only admin has it',
    (action) => {
      const holders = Roles.filter((role) => can({ roles: [role] }, action));

      expect(holders).toEqual(['admin']);
    },
  );

  it.each(allActions.map((action) => [action]))(
    'when the roles of %s are listed, then each is a known role',
    (action) => {
      const roles: readonly string[] = permissions[action];

      expect(roles.length).toBeGreaterThan(0);
      expect(roles.filter((r) => !(Roles as readonly string[]).includes(r))).toEqual([]);
    },
  );

  it('when a user holds several roles, then any one of them grants the action', () => {
    expect(can({ roles: ['auditor', 'reviewer'] }, 'task:act')).toBe(true);
    expect(can({ roles: ['auditor', 'reviewer'] }, 'audit:verify')).toBe(true);
    expect(can({ roles: ['auditor', 'reviewer'] }, 'user:manage')).toBe(false);
  });

  it('when a user holds no role, then nothing is granted', () => {
    expect(allActions.filter((action) => can({ roles: [] }, action))).toEqual([]);
  });
});

describe('donor visibility', () => {
  const principal = (roles: Role[], nation: string | null): Principal => ({ username: 'u', roles, nation });
  const liaisonFra = principal(['donor_liaison'], 'FRA');
  const liaisonAndStaff = principal(['donor_liaison', 'staff_officer'], 'FRA');
  const staff = principal(['staff_officer'], null);
  const auditor = principal(['auditor'], null);
  const stateless = principal(['donor_liaison'], null);

  it.each([
    ['a liaison of FRA', liaisonFra, 'FRA', true],
    ['a liaison of FRA', liaisonFra, 'DEU', false],
    ['a liaison + staff officer', liaisonAndStaff, 'FRA', true],
    ['a liaison + staff officer', liaisonAndStaff, 'DEU', true],
    ['a staff officer', staff, 'FRA', true],
    ['a staff officer', staff, 'POL', true],
    ['an auditor', auditor, 'DEU', true],
    ['a liaison without nation', stateless, 'FRA', false],
    ['a liaison without nation', stateless, 'DEU', false],
  ] as const)('when %s looks at a pledge of %s, then canSeeDonor is %s', (_label, who, donor, expected) => {
    expect(canSeeDonor(who, donor)).toBe(expected);
  });

  it.each([
    ['a liaison of FRA', liaisonFra, 'FRA'],
    ['a liaison + staff officer', liaisonAndStaff, null],
    ['a staff officer', staff, null],
    ['an auditor', auditor, null],
  ] as const)('when %s lists pledges, then donorScope is %s', (_label, who, expected) => {
    expect(donorScope(who)).toBe(expected);
  });

  it('when a liaison without nation lists pledges, then the scope matches no nation', () => {
    const scope = donorScope(stateless);

    expect(scope).not.toBeNull();
    expect(NationCode.safeParse(scope).success).toBe(false);
  });
});

const actor = (username: string, roles: Role[], nation: string | null = null): Actor => ({
  username,
  roles,
  nation,
});

function task(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: 'task-1',
    kind: 'compatibility_review',
    pledgeId: 'pledge-1',
    pledgeTitle: 'FRA · 6 × Mirage 2000-5F',
    workflowId: 'pledge-pledge-1',
    candidateRoles: ['reviewer'],
    nation: null,
    assignee: null,
    delegatedBy: null,
    priority: 'normal',
    dueAt: '2027-01-10T00:00:00.000Z',
    createdAt: '2027-01-01T00:00:00.000Z',
    state: 'open',
    title: 'Review pledge-1',
    escalated: false,
    delegateRoles: [],
    context: {},
    decision: null,
    ...overrides,
  };
}

/** Runs a rule and returns the kind of failure it throws, or 'ok' when it passes. */
function outcome(rule: () => void): FailureKind | 'ok' {
  try {
    rule();
    return 'ok';
  } catch (err) {
    if (err instanceof DomainFailure) return err.kind;
    throw err;
  }
}

const reviewer = actor('reviewer', ['reviewer']);
const otherReviewer = actor('reviewer.two', ['reviewer']);
const commander = actor('commander', ['commander']);
const liaisonFra = actor('liaison.fra', ['donor_liaison'], 'FRA');
const liaisonDeu = actor('liaison.deu', ['donor_liaison'], 'DEU');

describe('who may act on a task', () => {
  it.each([
    ['an unclaimed task', 'a candidate', task(), reviewer, 'ok'],
    ['an unclaimed task', 'another candidate', task(), otherReviewer, 'ok'],
    ['an unclaimed task', 'a non-candidate', task(), commander, 'forbidden'],
    ['a task claimed by reviewer', 'the assignee', task({ assignee: 'reviewer' }), reviewer, 'ok'],
    [
      'a task claimed by reviewer',
      'another candidate',
      task({ assignee: 'reviewer' }),
      otherReviewer,
      'forbidden',
    ],
    ['a task claimed by reviewer', 'a non-candidate', task({ assignee: 'reviewer' }), commander, 'forbidden'],
    ['a completed task', 'a candidate', task({ state: 'completed' }), reviewer, 'conflict'],
    [
      'a completed task',
      'its former assignee',
      task({ state: 'completed', assignee: 'reviewer' }),
      reviewer,
      'conflict',
    ],
    ['a cancelled task', 'a candidate', task({ state: 'cancelled' }), reviewer, 'conflict'],
  ] as const)('when %s is completed by %s, then the outcome is %s', (_t, _a, t, who, expected) => {
    expect(outcome(() => checkMayAct(t, who))).toBe(expected);
  });

  const revision = task({
    kind: 'revision',
    candidateRoles: ['donor_liaison', 'staff_officer'],
    nation: 'FRA',
  });

  it.each([
    ['the liaison of the owning nation', liaisonFra, true],
    ['a liaison of another nation', liaisonDeu, false],
    ['a liaison without nation', actor('liaison.none', ['donor_liaison']), false],
    ['a staff officer', actor('staff', ['staff_officer']), true],
    ['a reviewer', reviewer, false],
  ] as const)(
    'when a FRA revision task is offered to %s, then isCandidate is %s',
    (_label, who, expected) => {
      expect(isCandidate(revision, who)).toBe(expected);
    },
  );

  it('when a donor_liaison of another nation acts on a revision task, then it is forbidden', () => {
    expect(outcome(() => checkMayAct(revision, liaisonDeu))).toBe('forbidden');
  });
});

describe('decisions by task kind', () => {
  const kindTask = (kind: TaskKind) => task({ kind });
  const decide = (kind: TaskKind, input: DecisionInput) =>
    outcome(() => checkDecision(kindTask(kind), input));

  it.each([
    ['compatibility_review', { decision: 'accept' }, 'ok'],
    [
      'compatibility_review',
      { decision: 'accept_with_conditions', conditions: ['train on F-16 first'] },
      'ok',
    ],
    ['compatibility_review', { decision: 'reject', comment: 'not compatible' }, 'ok'],
    ['compatibility_review', { decision: 'request_changes', comment: 'add spare parts' }, 'ok'],
    ['compatibility_review', { decision: 'approve' }, 'unprocessable'],
    ['compatibility_review', { decision: 'confirm' }, 'unprocessable'],
    ['training_plan_confirmation', { decision: 'confirm' }, 'ok'],
    ['training_plan_confirmation', { decision: 'replan', comment: 'site unavailable' }, 'ok'],
    ['training_plan_confirmation', { decision: 'accept' }, 'unprocessable'],
    ['command_approval', { decision: 'approve' }, 'ok'],
    ['command_approval', { decision: 'approve_with_conditions', conditions: ['deliver in two lots'] }, 'ok'],
    ['command_approval', { decision: 'reject', comment: 'too costly' }, 'ok'],
    ['command_approval', { decision: 'return', comment: 'clarify value' }, 'ok'],
    ['command_approval', { decision: 'accept' }, 'unprocessable'],
    ['command_approval', { decision: 'request_changes', comment: 'x' }, 'unprocessable'],
  ] as [TaskKind, DecisionInput, 'ok' | 'unprocessable'][])(
    'when a %s task gets %j, then the outcome is %s',
    (kind, input, expected) => {
      expect(decide(kind, input)).toBe(expected);
    },
  );

  it.each([
    [
      'accept_with_conditions without conditions',
      'compatibility_review',
      { decision: 'accept_with_conditions' },
    ],
    [
      'accept_with_conditions with an empty list',
      'compatibility_review',
      { decision: 'accept_with_conditions', conditions: [] },
    ],
    [
      'approve_with_conditions without conditions',
      'command_approval',
      { decision: 'approve_with_conditions' },
    ],
    ['conditions with plain accept', 'compatibility_review', { decision: 'accept', conditions: ['x'] }],
    ['conditions with plain approve', 'command_approval', { decision: 'approve', conditions: ['x'] }],
    ['conditions with confirm', 'training_plan_confirmation', { decision: 'confirm', conditions: ['x'] }],
    ['reject without comment', 'compatibility_review', { decision: 'reject' }],
    ['reject with a blank comment', 'compatibility_review', { decision: 'reject', comment: '   ' }],
    ['request_changes without comment', 'compatibility_review', { decision: 'request_changes' }],
    ['return without comment', 'command_approval', { decision: 'return' }],
    ['command reject without comment', 'command_approval', { decision: 'reject', comment: '' }],
    ['replan without comment', 'training_plan_confirmation', { decision: 'replan' }],
  ] as [string, TaskKind, DecisionInput][])(
    'when a decision is %s, then it is unprocessable',
    (_label, kind, input) => {
      expect(decide(kind, input)).toBe('unprocessable');
    },
  );

  it.each(['accept', 'approve', 'confirm', 'reject', 'amend'])(
    'when a revision task gets decision %s, then it is unprocessable',
    (decision) => {
      expect(decide('revision', { decision, comment: 'because' })).toBe('unprocessable');
    },
  );
});

describe('claim, release and delegate', () => {
  it.each([
    ['an unclaimed task', 'a candidate', task(), reviewer, 'ok'],
    ['an unclaimed task', 'a non-candidate', task(), commander, 'forbidden'],
    ['a task it already claimed', 'the assignee', task({ assignee: 'reviewer' }), reviewer, 'ok'],
    [
      'a task claimed by someone else',
      'another candidate',
      task({ assignee: 'reviewer' }),
      otherReviewer,
      'conflict',
    ],
    ['a completed task', 'a candidate', task({ state: 'completed' }), reviewer, 'conflict'],
  ] as const)('when %s is claimed by %s, then the outcome is %s', (_t, _a, t, who, expected) => {
    expect(outcome(() => checkClaim(t, who))).toBe(expected);
  });

  it.each([
    ['the assignee', task({ assignee: 'reviewer' }), reviewer, 'ok'],
    ['another candidate', task({ assignee: 'reviewer' }), otherReviewer, 'forbidden'],
    ['a candidate of an unclaimed task', task(), reviewer, 'forbidden'],
    [
      'the assignee of a completed task',
      task({ assignee: 'reviewer', state: 'completed' }),
      reviewer,
      'conflict',
    ],
  ] as const)('when %s releases, then the outcome is %s', (_a, t, who, expected) => {
    expect(outcome(() => checkRelease(t, who))).toBe(expected);
  });

  it.each([
    ['the assignee to another candidate', task({ assignee: 'reviewer' }), reviewer, otherReviewer, 'ok'],
    ['a candidate of an unclaimed task to another candidate', task(), reviewer, otherReviewer, 'ok'],
    ['the assignee to themself', task({ assignee: 'reviewer' }), reviewer, reviewer, 'unprocessable'],
    ['a candidate of an unclaimed task to themself', task(), reviewer, reviewer, 'unprocessable'],
    ['the assignee to a non-candidate', task({ assignee: 'reviewer' }), reviewer, commander, 'unprocessable'],
    ['a non-candidate', task(), commander, reviewer, 'forbidden'],
    [
      'a non-assignee of a claimed task',
      task({ assignee: 'reviewer' }),
      otherReviewer,
      actor('reviewer.three', ['reviewer']),
      'forbidden',
    ],
    [
      'anyone on a completed task',
      task({ state: 'completed', assignee: 'reviewer' }),
      reviewer,
      otherReviewer,
      'conflict',
    ],
  ] as const)('when a task is delegated by %s, then the outcome is %s', (_label, t, by, to, expected) => {
    expect(outcome(() => checkDelegate(t, by, to))).toBe(expected);
  });

  it('when a FRA revision task is delegated to a liaison of another nation, then it is unprocessable', () => {
    const revision = task({
      kind: 'revision',
      candidateRoles: ['donor_liaison'],
      nation: 'FRA',
      assignee: 'liaison.fra',
    });

    expect(outcome(() => checkDelegate(revision, liaisonFra, liaisonDeu))).toBe('unprocessable');
  });
});
