import { describe, expect, it } from 'vitest';
import { contributionsTo } from '../../domain/coalitions';
import { coalitions } from '../../domain/reference/seed-data';
import type { Role } from '../../domain/schemas/common';
import { Categories, Coalition } from '../../domain/schemas/reference';
import { isCandidate, type Actor, type TaskSnapshot } from '../../domain/tasks';

const review = (
  taskCoalitions?: string[],
): Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'coalitions'> => ({
  candidateRoles: ['reviewer'],
  nation: null,
  ...(taskCoalitions ? { coalitions: taskCoalitions } : {}),
});
const reviewer = (c?: string[]): Actor => ({
  username: 'r',
  roles: ['reviewer'],
  nation: null,
  ...(c ? { coalitions: c } : {}),
});

describe('coalition routing of review tasks', () => {
  it('when a review task is bound to air defence, then only air-defence reviewers are candidates', () => {
    expect(isCandidate(review(['iamd']), reviewer(['iamd']))).toBe(true);
    expect(isCandidate(review(['iamd']), reviewer(['artillery']))).toBe(false);
    expect(isCandidate(review(['iamd', 'air-force']), reviewer(['air-force']))).toBe(true);
  });

  it('when a reviewer belongs to no coalition, then no coalition-bound task is theirs', () => {
    expect(isCandidate(review(['iamd']), reviewer())).toBe(false);
    expect(isCandidate(review(['iamd']), reviewer([]))).toBe(false);
  });

  it('when a task is bound to no coalition, then every reviewer is a candidate', () => {
    expect(isCandidate(review(), reviewer())).toBe(true);
    expect(isCandidate(review([]), reviewer(['drones']))).toBe(true);
  });

  it('when a task escalated to staff, then staff are candidates whatever the coalitions', () => {
    const escalated = { ...review(['iamd']), candidateRoles: ['reviewer', 'staff_officer'] as Role[] };
    expect(isCandidate(escalated, { username: 's', roles: ['staff_officer'], nation: null })).toBe(true);
  });
});

describe('seeded coalitions', () => {
  it('when the catalogue categories are read, then each belongs to exactly one coalition', () => {
    for (const category of Categories)
      expect(coalitions.filter((c) => c.categories.includes(category))).toHaveLength(1);
  });

  it('when leads and members are read, then no nation is both, and each seeded record is one an admin could save', () => {
    for (const c of coalitions) {
      expect(c.members.filter((m) => c.leads.includes(m))).toEqual([]);
      expect(Coalition.safeParse(c).success, c.id).toBe(true);
    }
    // The schema refuses what the seed must never hold.
    const iamd = coalitions.find((c) => c.id === 'iamd')!;
    expect(Coalition.safeParse({ ...iamd, members: [...iamd.members, iamd.leads[0]] }).success).toBe(false);
    expect(Coalition.safeParse({ ...iamd, leads: [] }).success).toBe(false);
  });
});

describe('coalition contributions', () => {
  it('when pledges are counted, then leads and members come first and closed pledges count nothing', () => {
    const rows = contributionsTo({ id: 'iamd', leads: ['DEU', 'FRA'], members: ['DNK'] }, [
      { donor: 'DEU', status: 'APPROVED', coalitions: ['iamd'], valueEur: 100 },
      { donor: 'DEU', status: 'UNDER_REVIEW', coalitions: ['iamd'], valueEur: 50 },
      { donor: 'NLD', status: 'IN_TRAINING', coalitions: ['iamd'], valueEur: 10 },
      { donor: 'FRA', status: 'WITHDRAWN', coalitions: ['iamd'], valueEur: 999 },
      { donor: 'FRA', status: 'APPROVED', coalitions: ['air-force'], valueEur: 999 },
    ]);
    expect(rows).toEqual([
      { nation: 'DEU', role: 'lead', pledged: 2, pledgedEur: 150, approved: 1, approvedEur: 100 },
      { nation: 'FRA', role: 'lead', pledged: 0, pledgedEur: 0, approved: 0, approvedEur: 0 },
      { nation: 'DNK', role: 'member', pledged: 0, pledgedEur: 0, approved: 0, approvedEur: 0 },
      { nation: 'NLD', role: 'donor', pledged: 1, pledgedEur: 10, approved: 1, approvedEur: 10 },
    ]);
  });
});
