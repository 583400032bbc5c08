import { describe, expect, it } from 'vitest';
import { findNeedMatches } from '../../../domain/review/need-match';
import { contextWith, item, pledgeOf } from './fixtures';

describe('findNeedMatches', () => {
  it('when a Patriot battery is pledged, then it meets the priority-1 long-range air-defence need', () => {
    const findings = findNeedMatches(pledgeOf([item('patriot', 2)]), contextWith());

    expect(findings).toEqual([
      expect.objectContaining({ code: 'NEED_MATCH', severity: 'info', systemId: 'patriot' }),
    ]);
    expect(findings[0].message).toContain('long-range-air-defence (priority 1)');
    expect(findings[0].message).toContain('2 pledged against 7 needed');
  });

  it.each([
    { systemId: 'iris-t-slm', need: 'iris-t-fire-units', priority: 1 },
    { systemId: 'nasams', need: 'medium-range-air-defence', priority: 2 },
    { systemId: 'f-16', need: 'fighters-f16', priority: 2 },
    { systemId: 'archer', need: 'howitzers-155mm', priority: 1 },
    { systemId: 'bradley-m2', need: 'bradley-ifvs', priority: 3 },
    { systemId: 'cv9040c', need: 'ifvs', priority: 4 },
  ])(
    'when $systemId is pledged, then the most urgent matching need is $need',
    ({ systemId, need, priority }) => {
      const [finding] = findNeedMatches(pledgeOf([item(systemId)]), contextWith());

      expect(finding.message).toContain(`${need} (priority ${priority})`);
    },
  );

  it.each([
    { case: 'the only fighter need names another family', systemId: 'mirage-2000-5' },
    { case: 'the matching need is already met', systemId: 'leopard-1a5' },
    { case: 'the system is not catalogued', systemId: 'no-such-system' },
  ])('when $case, then there is no match', ({ systemId }) => {
    expect(findNeedMatches(pledgeOf([item(systemId)]), contextWith())).toEqual([]);
  });

  it('when several items carry one system, then their quantities are added up', () => {
    const pledge = pledgeOf([item('patriot', 2), item('patriot', 3, '2027-07-01', '2027-12-31')]);

    const findings = findNeedMatches(pledge, contextWith());

    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('5 pledged against 7 needed');
  });
});
