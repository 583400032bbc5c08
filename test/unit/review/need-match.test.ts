import { describe, expect, it } from 'vitest';
import { findNeedMatches } from '../../../domain/review/need-match';
import type { MatchableRequirement } from '../../../domain/requirements/matching';
import { contextWith, item, pledgeOf, requirements } from './fixtures';

const requirement = (over: Partial<MatchableRequirement> & Pick<MatchableRequirement, 'id'>) => ({
  capability: { category: 'air-defence-long' as const },
  quantity: 8,
  priority: 1,
  neededBy: '2027-06-30',
  status: 'open' as const,
  ...over,
});

describe('findNeedMatches', () => {
  it('when 2 Patriot launchers are pledged against a priority-1 requirement for 8 long-range air defence launchers, then the finding names it with 25% coverage', () => {
    const ctx = contextWith({ requirements: [requirement({ id: 'RQ-lrad' })] });

    const findings = findNeedMatches(pledgeOf([item('patriot', 2)]), ctx);

    expect(findings).toEqual([
      expect.objectContaining({
        code: 'NEED_MATCH',
        severity: 'info',
        systemId: 'patriot',
        requirementId: 'RQ-lrad',
        priority: 1,
        coverageShare: 0.25,
      }),
    ]);
    expect(findings[0].message).toContain('RQ-lrad (priority 1');
    expect(findings[0].message).toContain('2 pledged against 8 required (25%)');
  });

  it.each([
    { systemId: 'iris-t-slm', requirement: 'iris-t-fire-units', priority: 1 },
    { systemId: 'nasams', requirement: 'medium-range-air-defence', priority: 2 },
    { systemId: 'f-16', requirement: 'fighters-f16', priority: 2 },
    { systemId: 'archer', requirement: 'howitzers-155mm', priority: 1 },
    { systemId: 'bradley-m2', requirement: 'bradley-ifvs', priority: 3 },
    { systemId: 'cv9040c', requirement: 'ifvs', priority: 4 },
  ])(
    'when $systemId is pledged, then the most urgent requirement it serves is $requirement',
    ({ systemId, requirement: id, priority }) => {
      const [finding] = findNeedMatches(pledgeOf([item(systemId)]), contextWith());

      expect(finding).toMatchObject({ requirementId: id, priority });
    },
  );

  it('when two requirements are as urgent, then the one needed sooner is served', () => {
    const ctx = contextWith({
      requirements: [
        requirement({ id: 'later', neededBy: '2028-01-01' }),
        requirement({ id: 'sooner', neededBy: '2027-03-01' }),
      ],
    });

    expect(findNeedMatches(pledgeOf([item('patriot')]), ctx)[0].requirementId).toBe('sooner');
  });

  it('when a requirement names a family or a system, then only that family or system serves it', () => {
    const ctx = contextWith({
      requirements: [
        requirement({ id: 'samp-t-only', capability: { systemId: 'samp-t' } }),
        requirement({ id: 'patriots', capability: { family: 'patriot' }, priority: 2 }),
      ],
    });

    expect(findNeedMatches(pledgeOf([item('patriot')]), ctx)[0].requirementId).toBe('patriots');
    expect(findNeedMatches(pledgeOf([item('samp-t')]), ctx)[0].requirementId).toBe('samp-t-only');
  });

  it('when staff matched the system to another requirement, then the finding names theirs', () => {
    const ctx = contextWith({
      requirements: [requirement({ id: 'urgent' }), requirement({ id: 'chosen', priority: 4, quantity: 4 })],
      requirementOverrides: { patriot: 'chosen' },
    });

    expect(findNeedMatches(pledgeOf([item('patriot', 2)]), ctx)[0]).toMatchObject({
      requirementId: 'chosen',
      coverageShare: 0.5,
    });
  });

  it.each([
    { case: 'the only fighter requirement names another family', systemId: 'mirage-2000-5', over: {} },
    {
      case: 'the requirement it would serve is closed',
      systemId: 'patriot',
      over: { requirements: [requirement({ id: 'met', status: 'closed' })] },
    },
    {
      case: 'staff said it serves none',
      systemId: 'patriot',
      over: { requirementOverrides: { patriot: null } },
    },
  ])('when $case, then the one finding says it serves no open requirement', ({ systemId, over }) => {
    const findings = findNeedMatches(pledgeOf([item(systemId)]), contextWith(over));

    expect(findings).toEqual([
      expect.objectContaining({ code: 'NEED_MATCH', severity: 'info', systemId: null, requirementId: null }),
    ]);
    expect(findings[0].message).toContain("none of Ukraine's open requirements");
  });

  it('when the system is not catalogued, then there is no finding', () => {
    expect(findNeedMatches(pledgeOf([item('no-such-system')]), contextWith())).toEqual([]);
  });

  it('when several items carry one system, then their quantities are added up', () => {
    const pledge = pledgeOf([item('patriot', 2), item('patriot', 3, '2027-07-01', '2027-12-31')]);

    const findings = findNeedMatches(pledge, contextWith());

    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('5 pledged against 7 required');
    expect(requirements.find((r) => r.id === findings[0].requirementId)?.quantity).toBe(7);
  });
});
