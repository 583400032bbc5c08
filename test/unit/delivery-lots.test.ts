import { describe, expect, it } from 'vitest';
import {
  handedOverLate,
  lateAfter,
  missedDateDelayId,
  missedDateDue,
  nextMilestone,
  planLots,
  readinessProgress,
  redateLot,
  refuseMilestone,
  refusePlanChange,
  splitLot,
  type DeliveryLot,
  type Milestone,
} from '../../domain/delivery-lots';
import { logisticsOverview } from '../../domain/logistics';
import { applyPledgeEvent, type PledgeEvent } from '../../domain/pledge-events';
import type { PledgeRecord } from '../../domain/pledge-record';

const items = [
  { systemId: 'f-16', quantity: 6, deliveryWindow: { from: '2027-01-01', to: '2027-06-30' } },
  { systemId: 'iris-t-slm', quantity: 2, deliveryWindow: { from: '2027-03-01', to: '2027-04-30' } },
];
const by = { at: '2026-12-01T10:00:00.000Z', by: 'staff', reason: 'the donor says so' };

/** The lot with these milestones recorded, each on the day given. */
const withMilestones = (lot: DeliveryLot, days: Array<[Milestone, string]>): DeliveryLot => ({
  ...lot,
  milestones: days.map(([state, at]) => ({
    state,
    at,
    location: null,
    note: null,
    by: 'logistics',
    recordedAt: at,
  })),
});

describe('delivery lots', () => {
  const [f16, iris] = planLots('PL1', items);

  it('when a pledge is approved, then each item gets one lot planned for the end of its window', () => {
    expect([f16, iris].map((l) => [l.id, l.systemId, l.quantity, l.plannedOn])).toEqual([
      ['PL1-L1', 'f-16', 6, '2027-06-30'],
      ['PL1-L2', 'iris-t-slm', 2, '2027-04-30'],
    ]);
    expect(nextMilestone(f16)).toBe('prepared');
  });

  it('when milestones come out of order, in the future or before the last one, then each is refused with why', () => {
    expect(refuseMilestone(f16, { state: 'shipped', at: '2026-11-30' }, '2026-11-30')).toMatch(
      /next milestone is prepared, not shipped/,
    );
    expect(refuseMilestone(f16, { state: 'prepared', at: '2026-12-01' }, '2026-11-30')).toMatch(
      /ahead of its day/,
    );
    const prepared = withMilestones(f16, [['prepared', '2026-11-20']]);
    expect(refuseMilestone(prepared, { state: 'prepared', at: '2026-11-21' }, '2026-11-30')).toMatch(
      /already prepared/,
    );
    expect(refuseMilestone(prepared, { state: 'shipped', at: '2026-11-19' }, '2026-11-30')).toMatch(
      /before prepared/,
    );
    expect(refuseMilestone(prepared, { state: 'shipped', at: '2026-11-20' }, '2026-11-30')).toBeNull();
    const received = withMilestones(f16, [
      ['prepared', '2026-11-20'],
      ['shipped', '2026-11-21'],
      ['at_hub', '2026-11-22'],
      ['handed_over', '2026-11-23'],
      ['received', '2026-11-24'],
    ]);
    expect(nextMilestone(received)).toBeNull();
    expect(refuseMilestone(received, { state: 'received', at: '2026-11-25' }, '2026-11-30')).toMatch(
      /received/,
    );
    expect(refusePlanChange(received, 'redated')).toMatch(/history/);
  });

  it('when a lot is split before it ships, then the quantity is shared and the new lot has its own plan; once shipped it cannot be', () => {
    const [kept, added] = splitLot(f16, { newId: 'PL1-L3', quantity: 2, plannedOn: '2027-09-30' }, by);
    expect([kept.quantity, added.quantity, added.id, added.plannedOn]).toEqual([
      4,
      2,
      'PL1-L3',
      '2027-09-30',
    ]);
    expect(kept.changes.map((c) => c.detail)).toEqual(['2 to PL1-L3']);
    expect(refusePlanChange(withMilestones(f16, [['prepared', '2026-11-20']]), 'split')).toBeNull();
    expect(
      refusePlanChange(
        withMilestones(f16, [
          ['prepared', '2026-11-20'],
          ['shipped', '2026-11-21'],
        ]),
        'split',
      ),
    ).toMatch(/only before it ships/);
  });

  it('when a lot passes its planned day unreceived, then one delay is due per plan; a re-date makes a new plan', () => {
    const day = 24 * 3600;
    const dueAt = lateAfter(f16, day);
    expect(new Date(dueAt).toISOString()).toBe('2027-07-01T00:00:00.000Z');
    expect(missedDateDue(f16, dueAt - 1, day)).toBe(false);
    expect(missedDateDue(f16, dueAt, day)).toBe(true);
    const raised = {
      ...f16,
      delays: [
        {
          id: missedDateDelayId(f16),
          kind: 'missed_planned_date' as const,
          dueOn: f16.plannedOn,
          awaiting: 'prepared' as const,
          raisedAt: '2027-07-01T00:00:00.000Z',
          escalatedAt: null,
        },
      ],
    };
    expect(missedDateDue(raised, dueAt + 1_000_000, day)).toBe(false);
    const redated = redateLot(raised, '2027-08-31', by);
    expect(redated.planRevision).toBe(2);
    expect(missedDateDue(redated, dueAt + 1_000_000, day)).toBe(false);
    expect(missedDateDue(redated, lateAfter(redated, day), day)).toBe(true);
    expect(handedOverLate(f16, { state: 'handed_over', at: '2027-07-01' })).toBe(true);
    expect(handedOverLate(f16, { state: 'handed_over', at: '2027-06-30' })).toBe(false);
  });

  it('when the logistics day is read, then lots fall into due soon, overdue and arrived this week', () => {
    const soon = { ...f16, plannedOn: '2026-12-20' };
    const overdue = { ...iris, plannedOn: '2026-11-01' };
    const arrived = withMilestones({ ...f16, id: 'PL2-L1', plannedOn: '2026-11-25' }, [
      ['prepared', '2026-11-20'],
      ['shipped', '2026-11-21'],
      ['at_hub', '2026-11-22'],
      ['handed_over', '2026-11-26'],
      ['received', '2026-11-27'],
    ]);
    const far = { ...f16, id: 'PL2-L2', plannedOn: '2027-03-01' };
    const day = logisticsOverview(
      [
        { pledge: 'PL1', lots: [soon, overdue] },
        { pledge: 'PL2', lots: [arrived, far] },
      ],
      '2026-11-30',
    );
    expect(day.dueSoon.map((r) => r.lot.id)).toEqual([soon.id]);
    expect(day.overdue.map((r) => r.lot.id)).toEqual([overdue.id]);
    expect(day.arrivedThisWeek.map((r) => [r.pledge, r.lot.id])).toEqual([['PL2', 'PL2-L1']]);
    expect(
      readinessProgress(
        [soon, arrived],
        [{ state: 'completed' }, { state: 'failed' }, { state: 'started' }],
        '2026-11-30',
      ),
    ).toEqual({
      lots: 2,
      lotsReceived: 1,
      quantity: 12,
      quantityReceived: 6,
      lotsLate: 0,
      cohorts: 2,
      cohortsCompleted: 1,
    });
  });
});

describe('delivery events on the pledge record', () => {
  const record = (
    status: PledgeRecord['status'],
    stage: PledgeRecord['stage'],
    deliveries: DeliveryLot[] | null,
  ) => ({ _id: 'PL1', status, stage, deliveries, timeline: [], version: 3 }) as unknown as PledgeRecord;
  const [lot] = planLots('PL1', items.slice(0, 1));
  const received = withMilestones(lot, [
    ['prepared', '2026-11-20'],
    ['shipped', '2026-11-21'],
    ['at_hub', '2026-11-22'],
    ['handed_over', '2026-11-23'],
    ['received', '2026-11-24'],
  ]);
  const event = (l: DeliveryLot): PledgeEvent => ({
    type: 'delivery.milestone',
    id: `${l.id}:received`,
    pledgeId: 'PL1',
    at: '2026-11-24T10:00:00.000Z',
    actor: 'logistics',
    lot: l,
    milestone: l.milestones[4],
  });

  it('when the last lot is received after the crews were trained, then the record is READY and its timeline says so', () => {
    const applied = applyPledgeEvent(record('IN_TRAINING', 'awaiting_delivery', [lot]), event(received));
    expect(applied.applied && [applied.record.status, applied.entry.status]).toEqual(['READY', 'READY']);
  });

  it('when the last lot is received while the crews still train, then the pledge stays IN_TRAINING', () => {
    const applied = applyPledgeEvent(record('IN_TRAINING', 'training_execution', [lot]), event(received));
    expect(applied.applied && [applied.record.status, applied.record.stage]).toEqual([
      'IN_TRAINING',
      'training_execution',
    ]);
  });

  it('when the crews finish with a lot still out, then the pledge waits for it', () => {
    const ready: PledgeEvent = {
      type: 'training.ready',
      id: 'PL1:training:ready',
      pledgeId: 'PL1',
      at: '2026-11-24T10:00:00.000Z',
      actor: 'system',
      plan: { cohorts: [], readyBy: {} } as never,
    };
    const waiting = applyPledgeEvent(record('IN_TRAINING', 'training_execution', [lot]), ready);
    expect(waiting.applied && [waiting.record.status, waiting.record.stage]).toEqual([
      'IN_TRAINING',
      'awaiting_delivery',
    ]);
    // A pledge approved before lots were tracked has none outstanding: its crews alone make it READY.
    const legacy = applyPledgeEvent(record('IN_TRAINING', 'training_execution', null), ready);
    expect(legacy.applied && legacy.record.status).toBe('READY');
  });
});
