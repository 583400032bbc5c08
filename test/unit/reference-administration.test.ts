import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { InventoryEntry, System } from '../../domain/schemas/reference';
import { defaultPhaseTargetPolicy } from '../../domain/schemas/phase-targets';
import { publishPolicy, type PolicyVersions } from '../../app/publish-policy';
import { saveInventoryEntry, saveSystem, type ReferenceDataRepository } from '../../app/reference-data';
import type { PolicyPublication } from '../../store/policies';

const admin: Principal = { username: 'admin', roles: ['admin'], nation: null };

/** A record of the changes the use cases report, by action. */
function changeLog() {
  const audited: Array<{ actor: string; action: string; detail: Record<string, unknown> }> = [];
  return {
    audited,
    record: async (actor: string, action: string, detail: Record<string, unknown>) =>
      void audited.push({ actor, action, detail }),
  };
}

describe('replacing reference data', () => {
  const stored: string[] = [];
  const reference: ReferenceDataRepository = {
    countCourses: async (ids) => new Set(ids.filter((id) => id === 'caesar-crew')).size,
    putSystem: async (s) => void stored.push(`system ${s.id}`),
    putCoalition: async (c) => void stored.push(`coalition ${c.id}`),
    putInventoryEntry: async (e) => void stored.push(`inventory ${e.family}`),
    putNeed: async (n) => void stored.push(`need ${n.id}`),
  };
  const system = (courseIds: string[]): System => ({
    id: 'caesar',
    name: 'CAESAR',
    family: '155mm self-propelled howitzer',
    category: 'howitzer',
    coalition: 'artillery',
    origin: 'FRA',
    calibers: ['155mm'],
    crewPerUnit: 5,
    maintainersPerUnit: 2,
    courseIds,
    maintenanceBurden: 'medium',
  });

  it('when a system names a course that does not exist, then invalid naming courseIds, and nothing is stored', async () => {
    stored.length = 0;
    const changes = changeLog();
    const refused = await refusal(
      saveSystem({ reference, changes }, admin, system(['caesar-crew', 'no-such-course'])),
    );
    expect(refused).toMatchObject({ kind: 'invalid', details: [{ path: 'courseIds' }] });
    expect(stored).toEqual([]);
    expect(changes.audited).toEqual([]);
  });

  it('when its courses exist (named twice or not), then it is stored and audited with the whole system', async () => {
    stored.length = 0;
    const changes = changeLog();
    const saved = system(['caesar-crew', 'caesar-crew']);
    expect(await saveSystem({ reference, changes }, admin, saved)).toEqual(saved);
    expect(stored).toEqual(['system caesar']);
    expect(changes.audited).toEqual([{ actor: 'admin', action: 'reference.system.saved', detail: saved }]);
  });

  it('when an inventory entry is saved, then it is stored under its family and audited', async () => {
    stored.length = 0;
    const changes = changeLog();
    const entry: InventoryEntry = {
      family: 'MiG-29',
      category: 'fighter',
      count: 40,
      origin: 'USSR',
      calibers: [],
    };
    await saveInventoryEntry({ reference, changes }, admin, entry);
    expect(stored).toEqual(['inventory MiG-29']);
    expect(changes.audited.map((c) => c.action)).toEqual(['reference.inventory.saved']);
  });
});

describe('publishing a policy version', () => {
  const versions = (published: PolicyPublication[], taken = false): PolicyVersions => ({
    nextVersion: async () => published.length + 1,
    insert: async (p) => !taken && published.push(p) > 0,
  });

  it('when the document breaks its kind’s schema, then invalid naming the field, and nothing is published', async () => {
    const published: PolicyPublication[] = [];
    const changes = changeLog();
    const refused = await refusal(
      publishPolicy({ policies: versions(published), changes }, admin, 'phase_targets', { targets: 'none' }),
    );
    expect(refused.kind).toBe('invalid');
    expect(refused.message).toBe('invalid policy document');
    expect(refused.details.map((d) => d.path)).toContain('targets');
    expect(published).toEqual([]);
    expect(changes.audited).toEqual([]);
  });

  it('when another version took the number first, then conflict, and nothing is audited', async () => {
    const changes = changeLog();
    const { version: _v, ...document } = defaultPhaseTargetPolicy;
    const refused = await refusal(
      publishPolicy({ policies: versions([], true), changes }, admin, 'phase_targets', document),
    );
    expect(refused.kind).toBe('conflict');
    expect(changes.audited).toEqual([]);
  });

  it('when the document is valid, then it is published as the next version and the publication audited', async () => {
    const published: PolicyPublication[] = [];
    const changes = changeLog();
    const { version: _v, ...document } = defaultPhaseTargetPolicy;
    const answer = await publishPolicy(
      { policies: versions(published), changes },
      admin,
      'phase_targets',
      document,
    );
    expect(answer.version).toBe(1);
    expect(published).toEqual([
      { kind: 'phase_targets', version: 1, document: { ...document, version: 1 }, createdBy: 'admin' },
    ]);
    expect(changes.audited).toEqual([
      { actor: 'admin', action: 'policy.published', detail: { kind: 'phase_targets', version: 1 } },
    ]);
  });
});
