import { describe, expect, it } from 'vitest';
import { openedChain } from '../../domain/approval/chain';
import { applyPledgeEvent, noticesOf, type PledgeEvent } from '../../domain/pledge-events';
import type { ApprovalStepRecord, PledgeRecord } from '../../domain/pledge-record';

const at = '2026-11-30T10:00:00.000Z';
const submitted: PledgeEvent = {
  type: 'pledge.submitted',
  id: 'P1:submitted',
  pledgeId: 'P1',
  at,
  actor: 'liaison.fra',
  workflowId: 'pledge-P1',
  pledge: {
    donor: 'FRA',
    items: [
      { systemId: 'mirage-2000-5', quantity: 6, deliveryWindow: { from: '2027-01-01', to: '2027-12-31' } },
    ],
    trainingOffered: true,
    sustainment: { spareParts: true, maintenanceYears: 2 },
    valueEur: 450_000_000,
  },
  derived: {
    title: 'FRA · 6 × Mirage 2000-5F · €450m · deliver Dec 2027',
    coalitions: ['air-force'],
    systemIds: ['mirage-2000-5'],
    searchText: 'p1 fra mirage',
  },
};

const fold = (events: PledgeEvent[]): PledgeRecord => {
  let record: PledgeRecord | null = null;
  for (const e of events) {
    const result = applyPledgeEvent(record, e);
    if (result.applied) record = result.record;
  }
  return record!;
};

const chain = openedChain(
  [
    { role: 'chief_of_staff', reason: 'policy chain' },
    { role: 'commander', reason: 'policy chain' },
  ],
  'P1',
  1,
);
const step = (n: 1 | 2, state: ApprovalStepRecord['state']): ApprovalStepRecord => ({
  ...chain[n - 1],
  state,
});

describe('pledge events applied to the record', () => {
  it('when a pledge is submitted, then the record starts SUBMITTED at intake with the submission in its timeline', () => {
    const record = fold([submitted]);
    expect(record).toMatchObject({
      _id: 'P1',
      status: 'SUBMITTED',
      stage: 'intake',
      donor: 'FRA',
      valueEur: 450_000_000,
      notes: null,
      version: 1,
      createdAt: at,
    });
    expect(record.timeline.map((e) => e.type)).toEqual(['pledge.submitted']);
  });

  it('when an event is applied twice, then the second changes nothing and says it is a duplicate', () => {
    const intake: PledgeEvent = {
      type: 'intake.accepted',
      id: 'P1:intake',
      pledgeId: 'P1',
      at,
      actor: 'system',
      coalitions: ['air-force'],
    };
    const once = fold([submitted, intake]);
    const again = applyPledgeEvent(once, intake);
    expect(again).toEqual({ applied: false, record: once, reason: 'duplicate' });
    expect(once.timeline).toHaveLength(2);
    expect(once.status).toBe('UNDER_REVIEW');
  });

  it('when an event comes that the status does not allow (a late step after a withdrawal), then it is refused and nothing changes', () => {
    const withdrawn = fold([
      submitted,
      {
        type: 'pledge.withdrawn',
        id: 'P1:withdrawn',
        pledgeId: 'P1',
        at,
        actor: 'liaison.fra',
        reason: 'no longer available',
        seatsReleased: 0,
        cohorts: null,
      },
    ]);
    const late = applyPledgeEvent(withdrawn, {
      type: 'intake.accepted',
      id: 'P1:intake',
      pledgeId: 'P1',
      at,
      actor: 'system',
      coalitions: [],
    });
    expect(late).toEqual({ applied: false, record: withdrawn, reason: 'refused' });
    expect(withdrawn.status).toBe('WITHDRAWN');
  });

  it('when an event comes for a pledge without a record, then it is not applied', () => {
    expect(
      applyPledgeEvent(null, {
        type: 'intake.accepted',
        id: 'X:intake',
        pledgeId: 'X',
        at,
        actor: 'system',
        coalitions: [],
      }),
    ).toMatchObject({ applied: false, reason: 'no_record' });
  });

  it('when an approval step is decided, then that step holds the decision, the next step opens, and the last one approves the pledge', () => {
    const base = fold([
      submitted,
      {
        type: 'intake.accepted',
        id: 'P1:intake',
        pledgeId: 'P1',
        at,
        actor: 'system',
        coalitions: ['air-force'],
      },
      {
        type: 'review.accepted',
        id: 'P1:review-1:decision',
        pledgeId: 'P1',
        at,
        actor: 'reviewer',
        round: 1,
        taskId: 'P1-review-1',
        decision: { decision: 'accept', comment: null, conditions: [], by: 'reviewer', onBehalfOf: null, at },
      },
      {
        type: 'training.confirmed',
        id: 'P1:training-1:confirm',
        pledgeId: 'P1',
        at,
        actor: 'trainer',
        round: 1,
        taskId: 'P1-training-plan-1',
        comment: null,
        constraints: null,
      },
      {
        type: 'approval.started',
        id: 'P1:approval-1:started',
        pledgeId: 'P1',
        at,
        actor: 'system',
        round: 1,
        package: { round: 1 },
        packageHash: 'h'.repeat(64),
        policyVersion: 1,
        chain,
      },
    ]);
    expect(base.status).toBe('AWAITING_APPROVAL');
    const afterCos = applyPledgeEvent(base, {
      type: 'approval.step_approved',
      id: 'P1:approval-1:step-1',
      pledgeId: 'P1',
      at,
      actor: 'cos',
      round: 1,
      step: 1,
      decided: {
        ...step(1, 'approved'),
        decision: 'approve',
        by: 'cos',
        at,
      },
      next: 2,
    });
    if (!afterCos.applied) throw new Error('not applied');
    expect(afterCos.record.approval!.chain.map((s) => s.state)).toEqual(['approved', 'open']);
    expect(afterCos.record.status).toBe('AWAITING_APPROVAL');
    const approved = applyPledgeEvent(afterCos.record, {
      type: 'approval.approved',
      id: 'P1:approval-1:step-2',
      pledgeId: 'P1',
      at,
      actor: 'commander',
      round: 1,
      step: 2,
      decided: {
        ...step(2, 'approved'),
        decision: 'approve',
        by: 'commander',
        at,
      },
      next: null,
    });
    if (!approved.applied) throw new Error('not applied');
    expect(approved.record).toMatchObject({ status: 'APPROVED', stage: 'seat_reservation' });
    expect(approved.moved).toBe(true);
    const notices = noticesOf(
      {
        type: 'approval.approved',
        id: 'P1:approval-1:step-2',
        pledgeId: 'P1',
        at,
        actor: 'commander',
        round: 1,
        step: 2,
        decided: approved.record.approval!.chain[1],
        next: null,
      },
      approved.record,
    );
    expect(notices).toEqual([
      expect.objectContaining({
        id: 'P1:approval-1:step-2:notice',
        type: 'pledge.decision',
        title: 'FRA · 6 × Mirage 2000-5F · €450m · deliver Dec 2027: approved',
        recipients: { roles: ['donor_liaison', 'staff_officer', 'training_coordinator'], nation: 'FRA' },
      }),
    ]);
  });
});
