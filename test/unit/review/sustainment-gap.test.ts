import { describe, expect, it } from 'vitest';
import { findSustainmentGaps } from '../../../domain/review/sustainment-gap';
import { defaultReviewPolicy } from '../../../domain/schemas/policy';
import { contextWith, item, pledgeOf } from './fixtures';

describe('findSustainmentGaps', () => {
  it.each([
    { case: 'no spare parts', spareParts: false, maintenanceYears: 3, text: 'includes no spare parts' },
    {
      case: 'no maintenance years',
      spareParts: true,
      maintenanceYears: 0,
      text: 'includes no maintenance support',
    },
    {
      case: 'neither',
      spareParts: false,
      maintenanceYears: 0,
      text: 'no spare parts and no maintenance support',
    },
  ])('when a high-maintenance Patriot comes with $case, then a warning says so', (row) => {
    const pledge = pledgeOf([item('patriot')], { sustainment: row });

    const findings = findSustainmentGaps(pledge, contextWith());

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'SUSTAINMENT_GAP', severity: 'warning', systemId: 'patriot' });
    expect(findings[0].message).toContain('high maintenance burden');
    expect(findings[0].message).toContain(row.text);
  });

  it('when a high-maintenance system comes fully sustained, then there is no finding', () => {
    const pledge = pledgeOf([item('patriot')], { sustainment: { spareParts: true, maintenanceYears: 1 } });

    expect(findSustainmentGaps(pledge, contextWith())).toEqual([]);
  });

  it('when only a medium-maintenance system lacks sustainment, then there is no finding by default', () => {
    const pledge = pledgeOf([item('m777'), item('leopard-2a4')], {
      sustainment: { spareParts: false, maintenanceYears: 0 },
    });

    expect(findSustainmentGaps(pledge, contextWith()).map((f) => f.systemId)).toEqual(['leopard-2a4']);
  });

  it('when the policy counts medium burden as high maintenance, then a bare M777 is flagged', () => {
    const policy = { ...defaultReviewPolicy, highMaintenance: ['medium' as const, 'high' as const] };
    const pledge = pledgeOf([item('m777')], { sustainment: { spareParts: false, maintenanceYears: 0 } });

    expect(findSustainmentGaps(pledge, contextWith({ policy })).map((f) => f.systemId)).toEqual(['m777']);
  });
});
