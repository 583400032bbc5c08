import { describe, expect, it } from 'vitest';
import {
  AMENDABLE_STATUSES,
  APPROVED_STATUSES,
  CLOSED_STATUSES,
  FINAL_STATUSES,
  PENDING_STATUSES,
  PledgeEventTypes,
  transition,
  type PledgeEventType,
  type Position,
} from '../../domain/pledge-lifecycle';
import { PledgeStatuses, type PledgeStatus } from '../../domain/schemas/pledge';

/**
 * The state machine written out by hand, pair by pair: every (status, event) that is allowed and where it leads.
 * Any pair not listed must be refused.
 */
const expected: Partial<Record<PledgeStatus, Partial<Record<PledgeEventType, [PledgeStatus, string]>>>> = {
  SUBMITTED: {
    'intake.accepted': ['UNDER_REVIEW', 'compatibility_review'],
    'intake.rejected': ['INTAKE_REJECTED', 'closed'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  UNDER_REVIEW: {
    'review.findings': ['UNDER_REVIEW', 'compatibility_review'],
    'review.accepted': ['TRAINING_PLANNING', 'training_planning'],
    'review.changes_requested': ['CHANGES_REQUESTED', 'revision'],
    'review.rejected': ['REVIEW_REJECTED', 'closed'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  CHANGES_REQUESTED: {
    'pledge.amended': ['UNDER_REVIEW', 'compatibility_review'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  RETURNED: {
    'pledge.amended': ['UNDER_REVIEW', 'compatibility_review'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  TRAINING_PLANNING: {
    'training.planned': ['TRAINING_PLANNING', 'training_planning'],
    'training.replan_requested': ['TRAINING_PLANNING', 'training_planning'],
    'training.confirmed': ['AWAITING_APPROVAL', 'command_approval'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  AWAITING_APPROVAL: {
    'approval.started': ['AWAITING_APPROVAL', 'command_approval'],
    'approval.step_approved': ['AWAITING_APPROVAL', 'command_approval'],
    'approval.approved': ['APPROVED', 'seat_reservation'],
    'approval.rejected': ['REJECTED', 'closed'],
    'approval.returned': ['RETURNED', 'revision'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  APPROVED: {
    'training.seats_reserved': ['APPROVED', 'seat_reservation'],
    'training.seats_unavailable': ['APPROVED', 'training_planning'],
    'training.planned': ['APPROVED', 'training_planning'],
    'training.replan_requested': ['APPROVED', 'training_planning'],
    'training.confirmed': ['APPROVED', 'seat_reservation'],
    'training.failed': ['APPROVED', 'training_failed'],
    'training.in_training': ['IN_TRAINING', 'training_execution'],
    // Deliveries run beside seat reservation and training: their events leave the pledge where it is.
    'delivery.planned': ['APPROVED', 'seat_reservation'],
    'delivery.lot_changed': ['APPROVED', 'seat_reservation'],
    'delivery.milestone': ['APPROVED', 'seat_reservation'],
    'delivery.delayed': ['APPROVED', 'seat_reservation'],
    'delivery.delay_escalated': ['APPROVED', 'seat_reservation'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
  IN_TRAINING: {
    'training.cohort_started': ['IN_TRAINING', 'training_execution'],
    'training.cohort_completed': ['IN_TRAINING', 'training_execution'],
    'training.cohort_failed': ['IN_TRAINING', 'training_execution'],
    'training.cohort_replanned': ['IN_TRAINING', 'training_execution'],
    'training.replan_failed': ['IN_TRAINING', 'training_execution'],
    // Without lots outstanding (the context's default) trained crews make the pledge READY.
    'training.ready': ['READY', 'closed'],
    'delivery.planned': ['IN_TRAINING', 'training_execution'],
    'delivery.lot_changed': ['IN_TRAINING', 'training_execution'],
    'delivery.milestone': ['IN_TRAINING', 'training_execution'],
    'delivery.delayed': ['IN_TRAINING', 'training_execution'],
    'delivery.delay_escalated': ['IN_TRAINING', 'training_execution'],
    'pledge.withdrawn': ['WITHDRAWN', 'closed'],
  },
};

describe('the pledge state machine', () => {
  const pairs = PledgeStatuses.flatMap((status) => PledgeEventTypes.map((event) => [status, event] as const));

  it(`when every one of the ${PledgeStatuses.length} × ${PledgeEventTypes.length} (status, event) pairs is asked, then the allowed ones lead where they should and all others are refused`, () => {
    const wrong: string[] = [];
    for (const [status, event] of pairs) {
      const want = expected[status]?.[event];
      const got: Position | null = transition(status, event);
      const same = want ? got?.status === want[0] && got?.stage === want[1] : got === null;
      if (!same)
        wrong.push(
          `${status} + ${event}: expected ${want ? want.join('/') : 'refusal'}, got ${got ? `${got.status}/${got.stage}` : 'refusal'}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it('when a pledge is in a final status, then no event moves it', () => {
    for (const status of FINAL_STATUSES)
      for (const event of PledgeEventTypes) expect(transition(status, event)).toBeNull();
  });

  it('when a submission is replayed, then the machine refuses it in every status (only the projector creates a record)', () => {
    for (const status of PledgeStatuses) expect(transition(status, 'pledge.submitted')).toBeNull();
  });

  it('when the status groups are read, then pending, approved and closed split every status but READY-ended ones exactly once', () => {
    const grouped = [...PENDING_STATUSES, ...APPROVED_STATUSES, ...CLOSED_STATUSES];
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual([...PledgeStatuses].sort());
    for (const status of AMENDABLE_STATUSES)
      expect(transition(status, 'pledge.amended')?.status).toBe('UNDER_REVIEW');
  });

  describe('READY needs both halves: the crews trained and every lot received, in either order', () => {
    const at = (status: string, stage: string) => ({ status, stage });
    it('when the crews finish with lots outstanding, then the pledge waits IN_TRAINING for its deliveries', () => {
      expect(
        transition('IN_TRAINING', 'training.ready', { stage: 'training_execution', lotsOutstanding: true }),
      ).toEqual(at('IN_TRAINING', 'awaiting_delivery'));
      expect(
        transition('IN_TRAINING', 'training.ready', { stage: 'training_execution', lotsOutstanding: false }),
      ).toEqual(at('READY', 'closed'));
    });
    it('when the last lot is received, then only trained crews make the pledge READY', () => {
      expect(
        transition('IN_TRAINING', 'delivery.milestone', {
          stage: 'awaiting_delivery',
          lotsOutstanding: false,
        }),
      ).toEqual(at('READY', 'closed'));
      expect(
        transition('IN_TRAINING', 'delivery.milestone', {
          stage: 'awaiting_delivery',
          lotsOutstanding: true,
        }),
      ).toEqual(at('IN_TRAINING', 'awaiting_delivery'));
      expect(
        transition('IN_TRAINING', 'delivery.milestone', {
          stage: 'training_execution',
          lotsOutstanding: false,
        }),
      ).toEqual(at('IN_TRAINING', 'training_execution'));
      expect(
        transition('APPROVED', 'delivery.milestone', { stage: 'training_planning', lotsOutstanding: false }),
      ).toEqual(at('APPROVED', 'training_planning'));
    });
  });

  it('when any status is reachable from SUBMITTED, then the machine reaches every status', () => {
    const seen = new Set<PledgeStatus>(['SUBMITTED']);
    const queue: PledgeStatus[] = ['SUBMITTED'];
    while (queue.length) {
      const status = queue.shift()!;
      for (const event of PledgeEventTypes) {
        const next = transition(status, event)?.status;
        if (next && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...PledgeStatuses].sort());
  });
});
