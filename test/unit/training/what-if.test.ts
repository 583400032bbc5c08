import { describe, expect, it } from 'vitest';
import { planWhatIf, type WhatIfPlanInput } from '../../../domain/training/what-if';
import { course, session, system } from './fixtures';

const english = course('aviation-english', { durationDays: 100, minCohort: 8, maxCohort: 16 });
const conversion = course('f16-conversion', {
  durationDays: 150,
  minCohort: 2,
  maxCohort: 8,
  prerequisiteIds: ['aviation-english'],
});
const f16 = system('f-16', { crewPerUnit: 1, courseIds: ['f16-conversion'] });
const sessions = [
  session('english-1', 'aviation-english', '2027-01-10', '2027-04-20', 16),
  session('conversion-1', 'f16-conversion', '2027-05-01', '2027-09-28', 8),
  session('conversion-2', 'f16-conversion', '2027-11-01', '2028-03-30', 8),
];
const window = (from: string) => ({ from, to: '2028-12-31' });

const input = (over: Partial<WhatIfPlanInput>): WhatIfPlanInput => ({
  demand: [],
  catalog: new Map([[f16.id, f16]]),
  courses: [english, conversion],
  sessions,
  taken: new Map(),
  today: '2026-12-01',
  sessionMinimumCutoffDays: 21,
  timeLimitSeconds: 2,
  ...over,
});

describe('what-if planning', () => {
  it('when two hypothetical F-16 lines share the sessions, then each gets its own readiness and both fit', async () => {
    const result = await planWhatIf(
      input({
        demand: [
          {
            source: { kind: 'item', index: 0 },
            items: [{ systemId: 'f-16', quantity: 4, deliveryWindow: window('2027-10-01') }],
          },
          {
            source: { kind: 'pledge', pledgeId: 'P1' },
            items: [{ systemId: 'f-16', quantity: 4, deliveryWindow: window('2027-10-01') }],
          },
        ],
      }),
    );
    expect(result.groups.map((g) => [g.groupId, g.trainees, g.readyOn, g.readyByDeadline])).toEqual([
      ['item-0/f-16-crew-2027-10-01', 4, '2027-09-28', 4],
      ['P1/f-16-crew-2027-10-01', 4, '2027-09-28', 4],
    ]);
    expect(result.groups[1].source).toEqual({ kind: 'pledge', pledgeId: 'P1' });
    // The two groups of 4 fill aviation English's minimum of 8 together.
    expect(result.sessionsBelowMinimum).toEqual([]);
    expect(result.unmet).toEqual([]);
    expect(result.traineesReadyByDeadline).toBe(8);
  });

  it('when other plans hold the seats of the only conversion before delivery, then the crews are ready late and the shortfall says after_deadline with its dates', async () => {
    const result = await planWhatIf(
      input({
        demand: [
          {
            source: { kind: 'item', index: 0 },
            items: [{ systemId: 'f-16', quantity: 8, deliveryWindow: window('2027-10-01') }],
          },
        ],
        taken: new Map([['conversion-1', 8]]),
      }),
    );
    expect(result.groups[0]).toMatchObject({ readyOn: '2028-03-30', readyByDeadline: 0 });
    expect(result.unmet).toEqual([
      expect.objectContaining({
        reason: 'after_deadline',
        systemId: 'f-16',
        trainees: 8,
        earliestReady: '2028-03-30',
        deadline: '2027-10-01',
      }),
    ]);
  });

  it("when more crews are asked for than seats exist, then those short are named with no_seats and the sessions' free seats", async () => {
    const result = await planWhatIf(
      input({
        demand: [
          {
            source: { kind: 'item', index: 0 },
            items: [{ systemId: 'f-16', quantity: 20, deliveryWindow: window('2028-06-01') }],
          },
        ],
      }),
    );
    expect(result.groups[0]).toMatchObject({ trainees: 20, readyOn: null });
    const short = result.unmet.find((u) => u.reason === 'no_seats');
    expect(short).toMatchObject({ reason: 'no_seats', trainees: 4 });
  });

  it('when sessions have started already, then they are not offered, as to a real plan', async () => {
    const result = await planWhatIf(
      input({
        today: '2027-02-01',
        demand: [
          {
            source: { kind: 'item', index: 0 },
            items: [{ systemId: 'f-16', quantity: 4, deliveryWindow: window('2028-06-01') }],
          },
        ],
      }),
    );
    expect(result.groups[0].readyOn).toBeNull();
    expect(result.groups[0].cohorts).toEqual([]);
    expect(result.unmet.map((u) => u.reason)).toEqual(['no_seats']);
  });
});
