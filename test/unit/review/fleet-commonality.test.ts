import { describe, expect, it } from 'vitest';
import { findFleetCommonality } from '../../../domain/review/fleet-commonality';
import { contextWith, item, pledgeOf } from './fixtures';

describe('findFleetCommonality', () => {
  it('when an F-16 is pledged, then an info finding says Ukraine already operates F-16', () => {
    const findings = findFleetCommonality(pledgeOf([item('f-16', 6)], { donor: 'NLD' }), contextWith());

    expect(findings).toEqual([
      expect.objectContaining({ code: 'FLEET_COMMONALITY', severity: 'info', systemId: 'f-16' }),
    ]);
    expect(findings[0].message).toContain('Ukraine already operates F-16 (20 in service)');
  });

  it.each([
    { case: 'a new family', systemIds: ['mirage-2000-5'], expected: [] },
    {
      case: 'two variants of Leopard 2',
      systemIds: ['leopard-2a4', 'leopard-2a6'],
      expected: ['leopard-2a4'],
    },
    { case: 'IRIS-T SLS, short range', systemIds: ['iris-t-sls'], expected: ['iris-t-sls'] },
    { case: 'PT-91, a T-72 derivative', systemIds: ['pt-91'], expected: ['pt-91'] },
    {
      case: 'a mix of new and known',
      systemIds: ['archer', 'm777', 'caesar-8x8'],
      expected: ['m777', 'caesar-8x8'],
    },
  ])('when the pledge offers $case, then commonality is found for $expected', ({ systemIds, expected }) => {
    const findings = findFleetCommonality(pledgeOf(systemIds.map((id) => item(id))), contextWith());

    expect(findings.map((f) => f.systemId)).toEqual(expected);
  });
});
