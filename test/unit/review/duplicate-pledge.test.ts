import { describe, expect, it } from 'vitest';
import { findDuplicatePledges } from '../../../domain/review/duplicate-pledge';
import type { ReviewContext } from '../../../domain/review/review-context';
import { contextWith, item, pledgeOf } from './fixtures';

type OpenPledge = ReviewContext['openPledges'][number];

const pledge = pledgeOf([item('caesar', 6, '2027-01-01', '2027-06-30')], { id: 'p-new', donor: 'FRA' });
const open = (over: Partial<OpenPledge> & { window?: [string, string]; systemId?: string }): OpenPledge => ({
  id: over.id ?? 'p-old',
  donor: over.donor ?? 'FRA',
  items: [item(over.systemId ?? 'caesar', 12, ...(over.window ?? ['2027-03-01', '2027-09-30']))],
});

describe('findDuplicatePledges', () => {
  it('when the donor has another open pledge for the system in an overlapping window, then a warning', () => {
    const findings = findDuplicatePledges(pledge, contextWith({ openPledges: [open({})] }));

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'DUPLICATE_PLEDGE', severity: 'warning', systemId: 'caesar' });
    expect(findings[0].message).toContain('FRA already has open pledge p-old for 12 CAESAR');
    expect(findings[0].message).toContain('2027-03-01 to 2027-09-30');
  });

  it.each([
    { case: 'another donor pledges the same system', other: open({ donor: 'DNK' }) },
    { case: 'the windows do not overlap', other: open({ window: ['2027-07-01', '2027-12-31'] }) },
    { case: 'the only open pledge is the pledge itself', other: open({ id: 'p-new' }) },
    { case: 'the other pledge is for another system', other: open({ systemId: 'caesar-8x8' }) },
  ])('when $case, then there is no duplicate', ({ other }) => {
    expect(findDuplicatePledges(pledge, contextWith({ openPledges: [other] }))).toEqual([]);
  });

  it('when the windows touch on a single day, then they overlap', () => {
    const other = open({ window: ['2027-06-30', '2027-08-31'] });

    expect(findDuplicatePledges(pledge, contextWith({ openPledges: [other] }))).toHaveLength(1);
  });

  it('when two items of the pledge clash with one open pledge, then it is reported once per system', () => {
    const twoItems = pledgeOf(
      [item('caesar', 3, '2027-01-01', '2027-03-31'), item('caesar', 3, '2027-04-01', '2027-06-30')],
      {
        id: 'p-new',
      },
    );

    expect(findDuplicatePledges(twoItems, contextWith({ openPledges: [open({})] }))).toHaveLength(1);
  });

  it('when two older pledges overlap, then each is named', () => {
    const others = [open({ id: 'p-1' }), open({ id: 'p-2' }), open({ id: 'p-3', donor: 'DEU' })];

    const findings = findDuplicatePledges(pledge, contextWith({ openPledges: others }));

    expect(findings.map((f) => f.message.match(/pledge (p-\d)/)?.[1])).toEqual(['p-1', 'p-2']);
  });
});

describe('a donor with many overlapping open pledges', () => {
  it('when 250 open pledges of the donor overlap, then three are named and the rest counted in one finding', () => {
    const others = Array.from({ length: 250 }, (_, i) => open({ id: `p-${i + 1}` }));

    const findings = findDuplicatePledges(pledge, contextWith({ openPledges: others }));

    expect(findings).toHaveLength(4);
    expect(findings.slice(0, 3).map((f) => f.message.match(/pledge (p-\d+)/)?.[1])).toEqual([
      'p-1',
      'p-2',
      'p-3',
    ]);
    expect(findings[3]).toMatchObject({ code: 'DUPLICATE_PLEDGE', severity: 'warning', systemId: 'caesar' });
    expect(findings[3].message).toContain('FRA has 247 more open pledges for CAESAR');
    expect(findings[3].message).toContain('(the first: p-4)');
  });
});
