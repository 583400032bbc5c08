import { describe, expect, it } from 'vitest';
import { addMonths, capacityByMonth, latestStarts, monthsBetween } from '../../../domain/training/capacity';
import { course, group, session } from './fixtures';

const english = course('aviation-english', { durationDays: 100, minCohort: 8, maxCohort: 16 });
const conversion = course('f16-conversion', { durationDays: 150, prerequisiteIds: ['aviation-english'] });
const courses = [english, conversion];
const chain = ['aviation-english', 'f16-conversion'];

describe('capacity by course and month', () => {
  it('when months are counted across a year end, then every month of the range is listed once', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2027-02', '2026-11')).toEqual([]);
  });

  it('when trainees need a chain of courses, then each course is demanded when it must start for them to be ready by delivery', () => {
    expect(
      latestStarts({ courseChain: chain, deadline: '2027-12-01' }, new Map(courses.map((c) => [c.id, c]))),
    ).toEqual([
      { courseId: 'aviation-english', start: '2027-03-26' },
      { courseId: 'f16-conversion', start: '2027-07-04' },
    ]);
  });

  it('when sessions are offered and partly reserved, and pledges need more pilots than a month offers, then that cell is over-subscribed', () => {
    const view = capacityByMonth({
      from: '2027-03',
      to: '2027-07',
      courses,
      sessions: [
        session('english-a', 'aviation-english', '2027-03-02', '2027-06-10', 16),
        session('english-b', 'aviation-english', '2027-03-20', '2027-06-28', 16),
        session('conversion-a', 'f16-conversion', '2027-07-01', '2027-11-28', 8),
        // Outside the range: not counted.
        session('english-old', 'aviation-english', '2027-01-10', '2027-04-20', 16),
      ],
      reservedIn: (id) => ({ 'english-a': 10, 'conversion-a': 8 })[id] ?? 0,
      demand: [
        group('p1-f-16-crew', 6, chain, '2027-12-01'),
        group('p2-f-16-crew', 4, chain, '2027-12-01'),
        group('p3-mirage-crew', 3, ['aviation-english'], '2028-06-01', 'mirage-2000-5'),
      ],
      pledges: 3,
    });
    expect(view.months).toEqual(['2027-03', '2027-04', '2027-05', '2027-06', '2027-07']);
    expect(view.courses.map((c) => c.courseId)).toEqual(['aviation-english', 'f16-conversion']);
    const [englishRow, conversionRow] = view.courses;
    expect(englishRow.name).toBe('aviation-english');
    expect(englishRow.cells[0]).toEqual({
      month: '2027-03',
      sessions: 2,
      offered: 32,
      reserved: 10,
      demanded: 10,
      oversubscribed: false,
    });
    // Conversion needs 10 pilots starting in July, where one session offers 8 seats.
    expect(conversionRow.cells[4]).toEqual({
      month: '2027-07',
      sessions: 1,
      offered: 8,
      reserved: 8,
      demanded: 10,
      oversubscribed: true,
    });
    // The Mirage pilots must start English in February 2028, after the range.
    expect(englishRow.cells.reduce((n, c) => n + c.demanded, 0)).toBe(10);
    expect(view.pledges).toBe(3);
  });

  it('when nothing is offered or demanded in the range, then no course is listed', () => {
    const view = capacityByMonth({
      from: '2030-01',
      to: '2030-02',
      courses,
      sessions: [session('english-a', 'aviation-english', '2027-03-02', '2027-06-10', 16)],
      reservedIn: () => 0,
      demand: [],
      pledges: 0,
    });
    expect(view.courses).toEqual([]);
  });
});
