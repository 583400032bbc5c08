import { describe, expect, it } from 'vitest';
import {
  createUser,
  updateUser,
  type UserAdministrationPorts,
  type UserProfile,
} from '../../app/user-administration';
import { DomainFailure } from '../../domain/failures';
import type { Principal } from '../../domain/permissions';
import { defaultApprovalPolicy } from '../../domain/schemas/approval-policy';

const admin: Principal = { username: 'admin', roles: ['admin'], nation: null };

type Stored = UserProfile & { passwordHash: string; active: boolean; tokenVersion: number };

function accounts(opts: { allowMultipleChainRoles?: boolean } = {}) {
  const users = new Map<string, Stored>();
  const forgotten: string[] = [];
  const recorded: Array<{ action: string; detail: Record<string, unknown> }> = [];
  const ports: UserAdministrationPorts<Stored> = {
    users: {
      byName: async (name) => users.get(name) ?? null,
      insert: async (profile) => {
        if (users.has(profile.username)) return false;
        const user = { ...profile, active: true, tokenVersion: 0 };
        users.set(profile.username, user);
        return user;
      },
      update: async (name, set, endSessions) => {
        const user = users.get(name)!;
        users.set(name, { ...user, ...set, tokenVersion: user.tokenVersion + (endSessions ? 1 : 0) });
      },
    },
    hashPassword: async (p) => `hashed:${p}`,
    separation: async () => ({
      approval: defaultApprovalPolicy,
      separationOfDuties: { enabled: true, allowMultipleChainRoles: opts.allowMultipleChainRoles ?? false },
    }),
    forget: async (name) => void forgotten.push(name),
    changes: {
      record: async (_actor: string, action: string, detail: Record<string, unknown>) =>
        void recorded.push({ action, detail }),
    },
  };
  return { ports, users, forgotten, recorded };
}

const newUser = (over: Partial<UserProfile> = {}) => ({
  username: 'reviewer.two',
  displayName: 'Reviewer Two',
  roles: ['reviewer' as const],
  nation: null,
  email: null,
  coalitions: [],
  password: 'correct horse battery',
  ...over,
});

async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (err) {
    if (err instanceof DomainFailure) return { kind: err.kind, fields: err.details.map((d) => d.path) };
    throw err;
  }
  return null;
}

describe('user administration', () => {
  it('when a donor liaison is created without a nation, then it is invalid, naming nation, and nobody is stored', async () => {
    const a = accounts();
    const refused = await refusal(() =>
      createUser(a.ports, admin, newUser({ username: 'liaison.x', roles: ['donor_liaison'] })),
    );
    expect(refused).toEqual({ kind: 'invalid', fields: ['nation'] });
    expect(a.users.size).toBe(0);
  });

  it('when one user would hold two approval-chain roles, then it is refused naming roles, unless the policy allows it', async () => {
    const both = newUser({ username: 'cos.cmd', roles: ['chief_of_staff', 'commander'] });
    const strict = accounts();
    expect(await refusal(() => createUser(strict.ports, admin, both))).toEqual({
      kind: 'unprocessable',
      fields: ['roles'],
    });
    expect(strict.users.size).toBe(0);
    const lenient = accounts({ allowMultipleChainRoles: true });
    await createUser(lenient.ports, admin, both);
    expect(lenient.users.get('cos.cmd')?.roles).toEqual(['chief_of_staff', 'commander']);
  });

  it('when a username is taken, then the second creation is a conflict and the first user is unchanged', async () => {
    const a = accounts();
    await createUser(a.ports, admin, newUser());
    expect(await refusal(() => createUser(a.ports, admin, newUser({ displayName: 'Someone else' })))).toEqual(
      {
        kind: 'conflict',
        fields: [],
      },
    );
    expect(a.users.get('reviewer.two')).toMatchObject({
      displayName: 'Reviewer Two',
      passwordHash: 'hashed:correct horse battery',
    });
    expect(a.recorded.map((r) => r.action)).toEqual(['user.created']);
  });

  it('when roles change, then sessions end; when only the e-mail changes, they do not; coalitions are forgotten', async () => {
    const a = accounts();
    await createUser(a.ports, admin, newUser());
    await updateUser(a.ports, admin, 'reviewer.two', { email: 'r2@example.org' });
    expect(a.users.get('reviewer.two')?.tokenVersion).toBe(0);
    expect(a.forgotten).toEqual([]);
    await updateUser(a.ports, admin, 'reviewer.two', { coalitions: ['air-force'] });
    expect(a.users.get('reviewer.two')?.tokenVersion).toBe(0);
    expect(a.forgotten).toEqual(['reviewer.two']);
    const changed = await updateUser(a.ports, admin, 'reviewer.two', { roles: ['staff_officer'] });
    expect(changed.tokenVersion).toBe(1);
    expect(a.recorded.at(-1)).toEqual({
      action: 'user.updated',
      detail: {
        username: 'reviewer.two',
        roles: ['staff_officer'],
        passwordChanged: false,
        sessionsEnded: true,
      },
    });
  });

  it('when a liaison loses their nation, or an unknown user is changed, then it is refused and nothing changes', async () => {
    const a = accounts();
    await createUser(
      a.ports,
      admin,
      newUser({ username: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' }),
    );
    expect(await refusal(() => updateUser(a.ports, admin, 'liaison.fra', { nation: null }))).toEqual({
      kind: 'invalid',
      fields: ['nation'],
    });
    expect(a.users.get('liaison.fra')?.nation).toBe('FRA');
    expect(await refusal(() => updateUser(a.ports, admin, 'nobody', { active: false }))).toEqual({
      kind: 'not_found',
      fields: [],
    });
  });
});
