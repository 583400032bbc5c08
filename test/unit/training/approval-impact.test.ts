import { describe, expect, it } from 'vitest';
import type { PledgeItem } from '../../../domain/schemas/pledge';
import type { ApprovalImpactSummary } from '../../../domain/schemas/training-portfolio';
import {
  approvalImpact,
  type ApprovalImpactInput,
  type ImpactPledge,
} from '../../../domain/training/approval-impact';
import { delayText, impactSentences } from '../../../domain/training/approval-impact-text';
import { dayOf } from '../../../domain/training/dates';
import { course, session, system } from './fixtures';

// One F-16 conversion course (one pilot per aircraft), run twice: the second session ends 92 days after the first.
const conversion = course('f16-conversion', { durationDays: 90, minCohort: 1, maxCohort: 8 });
const f16 = system('f-16', { name: 'F-16', crewPerUnit: 1, courseIds: ['f16-conversion'] });
const first = session('conversion-1', 'f16-conversion', '2027-05-01', '2027-08-01', 8);
const second = session('conversion-2', 'f16-conversion', '2027-08-02', '2027-11-01', 8);

const f16s = (quantity: number, deliveryFrom: string): PledgeItem[] => [
  { systemId: 'f-16', quantity, deliveryWindow: { from: deliveryFrom, to: '2028-12-31' } },
];
const pledge = (id: string, status: ImpactPledge['status'], items: PledgeItem[]): ImpactPledge => ({
  id,
  title: `${id} · F-16`,
  status,
  items,
});

/** Pledge A awaits the decision; its confirmed plan puts its 4 pilots in the first session. */
const pledgeA = {
  ...pledge('A', 'AWAITING_APPROVAL', f16s(4, '2028-06-01')),
  cohorts: [{ sessionId: 'conversion-1', trainees: 4, state: 'planned' as const }],
};

const input = (over: Partial<ApprovalImpactInput>): ApprovalImpactInput => ({
  pledge: pledgeA,
  portfolio: [],
  catalog: new Map([[f16.id, f16]]),
  courses: [conversion],
  sessions: [first, second],
  taken: new Map(),
  today: '2026-12-01',
  sessionMinimumCutoffDays: 21,
  timeLimitSeconds: 2,
  ...over,
});

describe('the effect of an approval on the other pending pledges’ training', () => {
  it('when the pledge’s plan takes 4 of the 8 seats a pending pledge’s 6 pilots need, then they are ready a session later and the sentence says by how much', async () => {
    const impact = await approvalImpact(
      input({
        portfolio: [
          pledgeA,
          pledge('B', 'UNDER_REVIEW', f16s(6, '2028-06-01')),
          // Approved pledges hold their seats already (in `taken`): they are not compared.
          pledge('C', 'APPROVED', f16s(8, '2028-06-01')),
        ],
      }),
    );

    const delay = dayOf('2027-11-01') - dayOf('2027-08-01');
    expect(delay).toBe(92);
    expect(impact.affected).toEqual([
      {
        pledgeId: 'B',
        title: 'B · F-16',
        systemId: 'f-16',
        audience: 'crew',
        trainees: 6,
        deadline: '2028-06-01',
        readyOnWithout: '2027-08-01',
        readyOnWith: '2027-11-01',
        delayDays: delay,
        lostByDeadline: 0,
      },
    ]);
    expect(impact.summary).toEqual([
      {
        systemId: 'f-16',
        audience: 'crew',
        pledges: 1,
        traineesDelayed: 6,
        shortestDelayDays: delay,
        largestDelayDays: delay,
        traineesNoLongerPlannable: 0,
        traineesNoLongerReadyByDeadline: 0,
      },
    ]);
    expect(impact.sentences).toEqual(['Approving this delays 6 F-16 pilots by 3 months']);
    expect(impact).toMatchObject({
      pledgeId: 'A',
      seatsFrom: 'plan',
      pledgesCompared: 1,
      asOf: '2026-12-01',
    });
    expect(impact.solver.own).toBeNull();
    expect(impact.solver.with).not.toBeNull();
  });

  it('when the delivery falls between the two sessions, then the pilots pushed out are counted as no longer ready by it', async () => {
    const impact = await approvalImpact(
      input({ portfolio: [pledge('B', 'TRAINING_PLANNING', f16s(6, '2027-09-01'))] }),
    );
    // The planner keeps as many as it can in time: 4 in the first session, the other 2 in the second.
    expect(impact.affected).toEqual([
      expect.objectContaining({
        readyOnWithout: '2027-08-01',
        readyOnWith: '2027-11-01',
        delayDays: 92,
        lostByDeadline: 2,
      }),
    ]);
    expect(impact.sentences).toEqual([
      'Approving this delays 6 F-16 pilots by 3 months',
      'Approving this leaves 2 F-16 pilots no longer ready by their delivery date',
    ]);
  });

  it('when the only session cannot take both, then the pending pilots are no longer plannable', async () => {
    const impact = await approvalImpact(
      input({ sessions: [first], portfolio: [pledge('B', 'SUBMITTED', f16s(6, '2028-06-01'))] }),
    );
    expect(impact.affected).toEqual([
      expect.objectContaining({
        readyOnWithout: '2027-08-01',
        readyOnWith: null,
        delayDays: null,
        lostByDeadline: 2,
      }),
    ]);
    expect(impact.summary[0]).toMatchObject({
      traineesDelayed: 0,
      largestDelayDays: null,
      traineesNoLongerPlannable: 6,
    });
    expect(impact.sentences).toEqual([
      'Approving this leaves the training of 6 F-16 pilots no longer plannable',
      'Approving this leaves 2 F-16 pilots no longer ready by their delivery date',
    ]);
  });

  it('when the session has room for both, or the plan’s cohort was released, then nothing moves', async () => {
    const others = [pledge('B', 'UNDER_REVIEW', f16s(6, '2028-06-01'))];
    const roomy = await approvalImpact(
      input({ sessions: [{ ...first, seats: 16 }, second], portfolio: others }),
    );
    const released = await approvalImpact(
      input({
        pledge: { ...pledgeA, cohorts: [{ sessionId: 'conversion-1', trainees: 4, state: 'released' }] },
        portfolio: others,
      }),
    );
    for (const impact of [roomy, released]) {
      expect(impact.pledgesCompared).toBe(1);
      expect(impact.affected).toEqual([]);
      expect(impact.summary).toEqual([]);
      expect(impact.sentences).toEqual(["Approving this delays no other pledge's training"]);
    }
  });

  it('when the pledge has no plan yet, or one made before it was amended, then the seats it would get now are the ones it takes from the others', async () => {
    const others = [pledge('B', 'RETURNED', f16s(6, '2028-06-01'))];
    const unplanned = await approvalImpact(
      input({
        pledge: { ...pledge('A', 'SUBMITTED', f16s(4, '2028-06-01')), cohorts: null },
        portfolio: others,
      }),
    );
    // Back in review after an amendment, its old plan (here in the second session) no longer says where it goes.
    const amended = await approvalImpact(
      input({
        pledge: {
          ...pledge('A', 'UNDER_REVIEW', f16s(4, '2028-06-01')),
          cohorts: [{ sessionId: 'conversion-2', trainees: 4, state: 'planned' }],
        },
        portfolio: others,
      }),
    );
    for (const impact of [unplanned, amended]) {
      expect(impact.seatsFrom).toBe('planned_now');
      expect(impact.solver.own).not.toBeNull();
      expect(impact.affected).toEqual([expect.objectContaining({ pledgeId: 'B', delayDays: 92 })]);
    }
  });

  it('when no other pledge is pending, or one names a system no longer catalogued, then nothing is planned for it', async () => {
    const impact = await approvalImpact(
      input({
        portfolio: [
          pledge('C', 'IN_TRAINING', f16s(6, '2028-06-01')),
          pledge('D', 'UNDER_REVIEW', [{ ...f16s(1, '2028-06-01')[0], systemId: 'retired-jet' }]),
        ],
      }),
    );
    expect(impact.pledgesCompared).toBe(0);
    expect(impact.pledgesLeftOut).toEqual([{ pledgeId: 'D', reason: 'unknown system retired-jet' }]);
    expect(impact.solver).toEqual({ own: null, without: null, with: null });
    expect(impact.sentences).toEqual(["Approving this delays no other pledge's training"]);
  });
});

describe('the sentences', () => {
  const summary = (over: Partial<ApprovalImpactSummary>): ApprovalImpactSummary => ({
    systemId: 'f-16',
    audience: 'crew',
    pledges: 1,
    traineesDelayed: 0,
    shortestDelayDays: null,
    largestDelayDays: null,
    traineesNoLongerPlannable: 0,
    traineesNoLongerReadyByDeadline: 0,
    ...over,
  });
  const systems = new Map([
    ['f-16', { name: 'F-16', category: 'fighter' as const }],
    ['iris-t', { name: 'IRIS-T SLM', category: 'air-defence-medium' as const }],
  ]);
  const say = (s: ApprovalImpactSummary[]) => impactSentences(s, (id) => systems.get(id));

  it('when delays are short they are told in days, from 45 days on in months', () => {
    expect([1, 12, 44, 45, 61, 92, 365].map(delayText)).toEqual([
      '1 day',
      '12 days',
      '44 days',
      '1 month',
      '2 months',
      '3 months',
      '12 months',
    ]);
  });

  it('when groups are set back differently, then each system and audience gets its sentences, with the range of delays', () => {
    expect(
      say([
        summary({ traineesDelayed: 12, shortestDelayDays: 92, largestDelayDays: 92 }),
        summary({
          systemId: 'iris-t',
          pledges: 2,
          traineesDelayed: 9,
          shortestDelayDays: 20,
          largestDelayDays: 70,
        }),
        summary({ systemId: 'iris-t', audience: 'maintainer', traineesNoLongerPlannable: 1 }),
        summary({ systemId: 'unknown-jet', traineesDelayed: 1, shortestDelayDays: 3, largestDelayDays: 3 }),
      ]),
    ).toEqual([
      'Approving this delays 12 F-16 pilots by 3 months',
      'Approving this delays 9 IRIS-T SLM crew by 20 days to 2 months',
      'Approving this leaves the training of 1 IRIS-T SLM maintainer no longer plannable',
      'Approving this delays 1 unknown-jet crew member by 3 days',
    ]);
  });
});
