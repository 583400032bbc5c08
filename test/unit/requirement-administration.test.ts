import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { RequirementInput } from '../../domain/schemas/requirement';
import type { RequirementMatchRecord, StoredRequirement } from '../../store/requirements';
import {
  createRequirement,
  overrideRequirementMatches,
  updateRequirement,
  type RequirementPorts,
} from '../../app/requirements';

const staff: Principal = { username: 'planner', roles: ['staff_officer'], nation: null };

const input = (fields: Partial<RequirementInput> = {}): RequirementInput => ({
  capability: { systemId: 'patriot' },
  quantity: 4,
  priority: 1,
  neededBy: '2030-01-01',
  justification: 'air defence of Kyiv',
  ...fields,
});
const stored = (id: string, fields: Partial<StoredRequirement> = {}): StoredRequirement => ({
  id,
  ...input(),
  status: 'open',
  createdBy: 'planner',
  createdAt: '2029-01-01T00:00:00.000Z',
  updatedBy: 'planner',
  updatedAt: '2029-01-01T00:00:00.000Z',
  ...fields,
});

/** Requirements and overrides in memory, the catalogue's one system, and every audit entry the use cases wrote. */
function fakeRequirements(requirements: StoredRequirement[] = []) {
  const held = new Map(requirements.map((r) => [r.id, r]));
  const overrides = new Map<string, RequirementMatchRecord>();
  const audited: Array<{ action: string; detail: Record<string, unknown>; pledgeId?: string }> = [];
  const ports: RequirementPorts = {
    requirements: {
      one: async (id) => held.get(id) ?? null,
      insert: async (r) => void held.set(r.id, r),
      update: async (id, fields) => {
        const before = held.get(id);
        if (!before) return null;
        const after = { ...before, ...fields };
        held.set(id, after);
        return after;
      },
      ids: async () => new Set(held.keys()),
      putOverrides: async (o) => void overrides.set(o._id, o),
      clearOverrides: async (pledgeId) => void overrides.delete(pledgeId),
    },
    systems: async () => [{ id: 'patriot', family: 'Patriot', category: 'air-defence-long' }],
    changes: {
      record: async (_actor, action, detail, pledgeId) =>
        void audited.push({ action, detail, ...(pledgeId ? { pledgeId } : {}) }),
    },
  };
  return { ports, held, overrides, audited };
}

describe('stating a requirement', () => {
  it('when the catalogue has no such system, then invalid naming capability.systemId, and nothing is stored', async () => {
    const fake = fakeRequirements();
    const refused = await refusal(
      createRequirement(fake.ports, staff, input({ capability: { systemId: 'nowhere' } })),
    );
    expect(refused).toMatchObject({
      kind: 'invalid',
      message: 'capability.systemId: no such system in the catalogue',
      details: [{ path: 'capability.systemId', message: 'no such system in the catalogue' }],
    });
    expect(fake.held.size).toBe(0);
    expect(fake.audited).toEqual([]);
  });

  it('when the capability is served, then it is stored open under a new id and audited with its fields', async () => {
    const fake = fakeRequirements();
    const created = await createRequirement(fake.ports, staff, input());
    expect(created).toMatchObject({ ...input(), status: 'open', createdBy: 'planner', updatedBy: 'planner' });
    expect(created.id).toMatch(/^RQ/);
    expect(fake.held.get(created.id)).toEqual(created);
    expect(fake.audited).toEqual([{ action: 'requirement.created', detail: { id: created.id, ...input() } }]);
  });
});

describe('changing a requirement', () => {
  it('when it does not exist, then not_found, and nothing is audited', async () => {
    const fake = fakeRequirements();
    const refused = await refusal(updateRequirement(fake.ports, staff, 'RQ1', { priority: 2 }));
    expect(refused).toMatchObject({ kind: 'not_found', message: 'requirement RQ1 not found' });
    expect(fake.audited).toEqual([]);
  });

  it('when the new capability is unknown, then invalid, and the requirement is unchanged', async () => {
    const fake = fakeRequirements([stored('RQ1')]);
    const refused = await refusal(
      updateRequirement(fake.ports, staff, 'RQ1', { capability: { systemId: 'nowhere' } }),
    );
    expect(refused.kind).toBe('invalid');
    expect(fake.held.get('RQ1')).toEqual(stored('RQ1'));
  });

  it('when only the priority changes, then it is reprioritised, with each changed field from and to', async () => {
    const fake = fakeRequirements([stored('RQ1')]);
    const after = await updateRequirement(fake.ports, staff, 'RQ1', { priority: 3, quantity: 4 });
    expect(after).toMatchObject({ priority: 3, updatedBy: 'planner' });
    expect(fake.audited).toEqual([
      {
        action: 'requirement.reprioritised',
        detail: { id: 'RQ1', changes: { priority: { from: 1, to: 3 } } },
      },
    ]);
  });

  it('when the status changes, then it is closed or reopened whatever else changes', async () => {
    const fake = fakeRequirements([stored('RQ1')]);
    await updateRequirement(fake.ports, staff, 'RQ1', { status: 'closed', priority: 2 });
    await updateRequirement(fake.ports, staff, 'RQ1', { status: 'open' });
    await updateRequirement(fake.ports, staff, 'RQ1', { quantity: 9 });
    expect(fake.audited.map((a) => a.action)).toEqual([
      'requirement.closed',
      'requirement.reopened',
      'requirement.amended',
    ]);
  });
});

describe("overriding a pledge's matches", () => {
  const pledge = { id: 'P1', items: [{ systemId: 'patriot' }] };

  it('when a system is not pledged or a requirement unknown, then invalid naming each match, and nothing is stored', async () => {
    const fake = fakeRequirements([stored('RQ1')]);
    const refused = await refusal(
      overrideRequirementMatches(fake.ports, staff, pledge, {
        matches: [
          { systemId: 'iris-t', requirementId: 'RQ1' },
          { systemId: 'patriot', requirementId: 'RQ9' },
        ],
        reason: 'closer need',
      }),
    );
    expect(refused.kind).toBe('invalid');
    expect(refused.details).toEqual([
      { path: 'matches.0.systemId', message: 'the pledge has no item of this system' },
      { path: 'matches.1.requirementId', message: 'no such requirement' },
    ]);
    expect(fake.overrides.size).toBe(0);
    expect(fake.audited).toEqual([]);
  });

  it('when the matches are sound, then they replace the overrides and are audited on the pledge; none clears them', async () => {
    const fake = fakeRequirements([stored('RQ1')]);
    const matches = [{ systemId: 'patriot', requirementId: 'RQ1' }];
    expect(
      await overrideRequirementMatches(fake.ports, staff, pledge, { matches, reason: 'closer' }),
    ).toEqual({
      patriot: 'RQ1',
    });
    expect(fake.overrides.get('P1')).toMatchObject({
      bySystem: { patriot: 'RQ1' },
      reason: 'closer',
      by: 'planner',
    });
    await overrideRequirementMatches(fake.ports, staff, pledge, { matches: [], reason: 'back to automatic' });
    expect(fake.overrides.has('P1')).toBe(false);
    expect(fake.audited).toEqual([
      {
        action: 'pledge.requirement_matches_overridden',
        detail: { matches: { patriot: 'RQ1' }, reason: 'closer' },
        pledgeId: 'P1',
      },
      {
        action: 'pledge.requirement_matches_overridden',
        detail: { matches: {}, reason: 'back to automatic' },
        pledgeId: 'P1',
      },
    ]);
  });
});
