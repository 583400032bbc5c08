import { describe, expect, it } from 'vitest';
import { findAmmunitionGaps } from '../../../domain/review/ammunition-supply';
import { contextWith, item, pledgeOf } from './fixtures';

describe('findAmmunitionGaps', () => {
  it.each([
    { systemId: 'gepard', missing: '35mm' },
    { systemId: 'challenger-2', missing: '120mm rifled' },
    { systemId: 'samp-t', missing: 'Aster 30' },
    { systemId: 'mirage-2000-5', missing: 'MICA and 30mm DEFA' },
  ])('when $systemId needs $missing, which Ukraine is not supplied with, then a warning names it', (row) => {
    const findings = findAmmunitionGaps(pledgeOf([item(row.systemId)]), contextWith());

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'AMMUNITION_SUPPLY',
      severity: 'warning',
      systemId: row.systemId,
    });
    expect(findings[0].message).toContain(`needs ${row.missing} ammunition`);
  });

  it.each(['m777', 'himars', 'patriot', 'leopard-2a4', 'switchblade-600'])(
    'when %s fires only supplied calibres, then there is no finding',
    (systemId) => {
      expect(findAmmunitionGaps(pledgeOf([item(systemId)]), contextWith())).toEqual([]);
    },
  );

  it('when the supply spells a calibre with a space, then it still counts as supplied', () => {
    const ctx = contextWith({ ammunitionSupply: ['155 mm'] });

    expect(findAmmunitionGaps(pledgeOf([item('caesar')]), ctx)).toEqual([]);
  });

  it('when the supply runs dry of 155mm, then every 155mm gun is flagged once', () => {
    const ctx = contextWith({ ammunitionSupply: [] });
    const pledge = pledgeOf([item('caesar', 6), item('caesar', 6, '2027-07-01', '2027-12-31'), item('krab')]);

    expect(findAmmunitionGaps(pledge, ctx).map((f) => f.systemId)).toEqual(['caesar', 'krab']);
  });
});
