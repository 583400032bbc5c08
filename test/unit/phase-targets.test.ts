import { describe, expect, it } from 'vitest';
import {
  measurePhases,
  percentile,
  phaseTargetReport,
  statusHistory,
  type PhasePledge,
} from '../../domain/phase-targets';
import { defaultPhaseTargetPolicy } from '../../domain/schemas/phase-targets';

const day = (d: string) => `2026-${d}T00:00:00.000Z`;

/** A pledge whose timeline holds these events at these times (month-day), delivered by `windowEnd`. */
function pledge(id: string, events: Array<[string, string]>, windowEnd = '2026-06-30'): PhasePledge {
  return {
    id,
    title: `pledge ${id}`,
    donor: id.slice(0, 3),
    items: [{ deliveryWindow: { from: '2026-06-01', to: windowEnd } }],
    statusHistory: statusHistory(events.map(([type, at]) => ({ type, at: day(at) }))),
  };
}

// A: straight through, every phase within its target.
const a = pledge('NLD-a', [
  ['pledge.submitted', '06-01'],
  ['intake.accepted', '06-01'],
  ['review.findings', '06-02'],
  ['review.accepted', '06-04'],
  ['training.planned', '06-05'],
  ['training.confirmed', '06-10'],
  ['approval.started', '06-10'],
  ['approval.approved', '06-14'],
  ['training.in_training', '06-20'],
  ['training.ready', '06-25'],
]);
// B: changes requested after 7 days (late), amended, accepted in 2; planning took 13 (late); awaiting approval now.
const b = pledge('DNK-b', [
  ['pledge.submitted', '06-01'],
  ['intake.accepted', '06-01'],
  ['review.changes_requested', '06-08'],
  ['pledge.amended', '06-10'],
  ['review.accepted', '06-12'],
  ['training.confirmed', '06-25'],
]);
// C: decided in May (outside the period); waiting for command approval since 20 May, far over target.
const c = pledge('POL-c', [
  ['pledge.submitted', '05-01'],
  ['intake.accepted', '05-01'],
  ['review.accepted', '05-03'],
  ['training.confirmed', '05-20'],
]);
// D: withdrawn during its review: abandoned, neither met nor missed.
const d = pledge('SWE-d', [
  ['pledge.submitted', '06-20'],
  ['intake.accepted', '06-20'],
  ['pledge.withdrawn', '06-22'],
]);

const now = new Date(day('06-30'));

describe('phase time targets', () => {
  it('replays the timeline through the state machine: one entry per status entered', () => {
    expect(b.statusHistory).toEqual([
      { status: 'SUBMITTED', at: day('06-01') },
      { status: 'UNDER_REVIEW', at: day('06-01') },
      { status: 'CHANGES_REQUESTED', at: day('06-08') },
      { status: 'UNDER_REVIEW', at: day('06-10') },
      { status: 'TRAINING_PLANNING', at: day('06-12') },
      { status: 'AWAITING_APPROVAL', at: day('06-25') },
    ]);
  });

  it('measures each stretch of a phase on its own, and READY against the end of the delivery window', () => {
    expect(
      measurePhases(b, defaultPhaseTargetPolicy, now).map((s) => [
        s.phase,
        s.state,
        s.days,
        s.met,
        s.overTarget,
      ]),
    ).toEqual([
      ['intake_to_review_decision', 'completed', 7, false, true],
      ['submission_to_approval', 'open', 29, null, false],
      ['intake_to_review_decision', 'completed', 2, true, false],
      ['training_planning', 'completed', 13, false, true],
      ['command_approval', 'open', 5, null, false],
    ]);
    const ready = measurePhases(a, defaultPhaseTargetPolicy, now).find(
      (s) => s.phase === 'approval_to_ready',
    );
    // Approved 14 June, due by the end of 30 June: 17 days allowed, 11 taken.
    expect(ready).toMatchObject({ days: 11, targetDays: 17, dueBy: day('07-01'), met: true });
    expect(
      measurePhases(d, defaultPhaseTargetPolicy, now).map((s) => [s.state, s.met, s.overTarget]),
    ).toEqual([
      ['abandoned', null, false],
      ['abandoned', null, false],
    ]);
  });

  it('gives the share met, median and p90 of the stretches completed in the period, and who is over target now', () => {
    const report = phaseTargetReport([a, b, c, d], defaultPhaseTargetPolicy, {
      from: '2026-06-01',
      to: '2026-06-30',
      now,
    });
    const figures = Object.fromEntries(
      report.phases.map((p) => [
        p.phase,
        [p.targetDays, p.completed, p.met, p.shareMet, p.medianDays, p.p90Days],
      ]),
    );
    expect(figures).toEqual({
      // A 3 days, B 7 and 2; C's review ended in May.
      intake_to_review_decision: [5, 3, 2, 0.6667, 3, 6.2],
      training_planning: [10, 2, 1, 0.5, 9.5, 12.3],
      command_approval: [7, 1, 1, 1, 4, 4],
      submission_to_approval: [30, 1, 1, 1, 13, 13],
      approval_to_ready: [null, 1, 1, 1, 11, 11],
    });
    expect(report.overTarget).toEqual([
      {
        pledgeId: 'POL-c',
        title: 'pledge POL-c',
        donor: 'POL',
        phase: 'command_approval',
        since: day('05-20'),
        dueBy: day('05-27'),
        days: 41,
        daysOver: 34,
      },
      {
        pledgeId: 'POL-c',
        title: 'pledge POL-c',
        donor: 'POL',
        phase: 'submission_to_approval',
        since: day('05-01'),
        dueBy: day('05-31'),
        days: 60,
        daysOver: 30,
      },
    ]);
    expect(report.completedSpans.map((s) => `${s.pledgeId} ${s.phase}`)).toHaveLength(8);
  });

  it('a period that ended before anything completed has no figures, not zeros', () => {
    const report = phaseTargetReport([a, b], defaultPhaseTargetPolicy, {
      from: '2026-01-01',
      to: '2026-01-31',
      now,
    });
    expect(
      report.phases.every((p) => p.completed === 0 && p.shareMet === null && p.medianDays === null),
    ).toBe(true);
  });

  it('interpolates percentiles between neighbours', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([4], 0.9)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9.1);
  });
});
