import { describe, expect, it } from 'vitest';
import { inventory } from '../../../domain/reference/seed-data';
import { findFleetFragmentation } from '../../../domain/review/fleet-fragmentation';
import { defaultReviewPolicy, type ReviewPolicy } from '../../../domain/schemas/policy';
import { contextWith, item, pledgeOf } from './fixtures';

const policyWith = (familyLimits: ReviewPolicy['familyLimits']): ReviewPolicy => ({
  ...defaultReviewPolicy,
  familyLimits,
});

describe('findFleetFragmentation', () => {
  it('when France pledges Mirage 2000 while Ukraine flies F-16, then a warning names F-16', () => {
    const findings = findFleetFragmentation(pledgeOf([item('mirage-2000-5', 6)]), contextWith());

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'FLEET_FRAGMENTATION',
      severity: 'warning',
      systemId: 'mirage-2000-5',
    });
    expect(findings[0].message).toContain('Ukraine already operates F-16 in category fighter');
    expect(findings[0].message).toContain('Mirage 2000 would be a second Western fighter family');
    expect(findings[0].message).toContain('training, spare parts and maintenance');
    expect(findings[0].message).toContain('6 fighter families in all');
    expect(findings[0].message).not.toContain('MiG-29');
  });

  it('when a new 155mm howitzer family is pledged, then the finding names the howitzer zoo', () => {
    const [finding] = findFleetFragmentation(pledgeOf([item('archer', 8)]), contextWith());

    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('Ukraine already operates 7 families of 155mm howitzers');
    for (const family of ['M777', 'CAESAR', 'PzH 2000', 'AS90', 'Krab', 'Zuzana 2', 'M109']) {
      expect(finding.message).toContain(family);
    }
    expect(finding.message).not.toContain('D-20');
    expect(finding.message).toContain('its own training, maintenance and spare parts');
    expect(finding.message).toContain('12 howitzer families in all');
  });

  it.each([
    { case: 'the new family reaches the limit', limit: 12, severity: 'blocker' },
    { case: 'the new family stays below the limit', limit: 13, severity: 'warning' },
    { case: 'the category has no limit', limit: undefined, severity: 'warning' },
  ])('when $case, then the finding is a $severity', ({ limit, severity }) => {
    const ctx = contextWith({ policy: policyWith(limit === undefined ? {} : { howitzer: limit }) });

    const [finding] = findFleetFragmentation(pledgeOf([item('archer')]), ctx);

    expect(finding.severity).toBe(severity);
    expect(finding.message.includes(`policy limit of ${limit}`)).toBe(severity === 'blocker');
  });

  it('when one pledge adds two new fighter families, then the second reaches the default limit', () => {
    const findings = findFleetFragmentation(
      pledgeOf([item('mirage-2000-5'), item('gripen-c')]),
      contextWith(),
    );

    expect(findings.map((f) => [f.systemId, f.severity])).toEqual([
      ['mirage-2000-5', 'warning'],
      ['gripen-c', 'blocker'],
    ]);
    expect(findings[1].message).toContain('Gripen would be a third Western fighter family');
    expect(findings[1].message).toContain('7 fighter families in all, counting Mirage 2000 from this pledge');
    expect(findings[1].message).toContain('policy limit of 7 fighter families');
  });

  it('when Ukraine operates only Soviet fighters, then the message names them all', () => {
    const sovietOnly = inventory.filter((e) => e.family !== 'F-16');

    const [finding] = findFleetFragmentation(
      pledgeOf([item('mirage-2000-5')]),
      contextWith({ inventory: sovietOnly }),
    );

    expect(finding.message).toContain('MiG-29, Su-27, Su-24 and Su-25');
    expect(finding.message).toContain('a new fighter family');
    expect(finding.message).toContain('5 fighter families in all');
  });

  it('when a family is listed with no units left, then it counts as new', () => {
    const noF16 = inventory.map((e) => (e.family === 'F-16' ? { ...e, count: 0 } : e));

    const findings = findFleetFragmentation(pledgeOf([item('f-16')]), contextWith({ inventory: noF16 }));

    expect(findings).toHaveLength(1);
    expect(findings[0].systemId).toBe('f-16');
  });

  it.each([
    { case: 'the family is already in service', systemIds: ['f-16', 'leopard-2a6', 'caesar-8x8'] },
    { case: 'the family is in service in another category', systemIds: ['iris-t-sls'] },
    { case: 'Ukraine operates no family of the category', systemIds: ['bayraktar-tb2'] },
    { case: 'the system is not catalogued', systemIds: ['no-such-system'] },
  ])('when $case, then there is no fragmentation', ({ systemIds }) => {
    const findings = findFleetFragmentation(pledgeOf(systemIds.map((id) => item(id))), contextWith());

    expect(findings).toEqual([]);
  });

  it('when two variants of one new family are pledged, then the family is reported once', () => {
    const findings = findFleetFragmentation(pledgeOf([item('gripen-c'), item('gripen-e')]), contextWith());

    expect(findings.map((f) => f.systemId)).toEqual(['gripen-c']);
  });

  it('when a new tank family shares the 120mm calibre, then the message groups the 120mm tanks', () => {
    const tanks = [...inventory.filter((e) => e.family !== 'Leopard 2')];

    const [finding] = findFleetFragmentation(
      pledgeOf([item('leopard-2a4')]),
      contextWith({ inventory: tanks }),
    );

    expect(finding.message).toContain('1 family of 120mm main battle tanks (Abrams)');
    expect(finding.message).toContain('6 main battle tank families in all');
  });
});
