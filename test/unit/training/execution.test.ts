import { describe, expect, it } from 'vitest';
import {
  cohortOutcome,
  failedCohortDemand,
  mergeCapacityFindings,
  mergeConstraints,
  planCapacityFindings,
  refuseCohortEvent,
  refuseCompletionCounts,
  refuseCountsShape,
  summarisePlan,
  trainingComplete,
  type PlannedCohort,
  type SessionSupply,
} from '../../../domain/training/execution';
import { course, group, session } from './fixtures';

const pilots = group('f-16-crew-2027-06-01', 8, ['aviation-english', 'f16-conversion'], '2027-06-01');

/** Sessions still to come as other pledges hold them, for the summary to explain shortfalls against. */
const supplyOf = (sessions: SessionSupply['sessions']): SessionSupply => ({
  sessions,
  courses: new Map(
    [
      course('aviation-english', { minCohort: 8, maxCohort: 16 }),
      course('f16-conversion', { minCohort: 4, maxCohort: 8, prerequisiteIds: ['aviation-english'] }),
    ].map((c) => [c.id, c]),
  ),
  rule: { cutoffDays: 21, today: '2026-01-01' },
  notBefore: '2026-01-02',
});

function cohort(
  id: string,
  step: number,
  trainees: number,
  start: string,
  end: string,
  over: Partial<PlannedCohort> = {},
): PlannedCohort {
  const courseId = pilots.courseChain[step];
  return {
    id,
    groupId: pilots.id,
    systemId: 'f-16',
    courseId,
    sessionId: `${courseId}-${start}`,
    siteId: 'site-a',
    trainees,
    start,
    end,
    step,
    state: 'reserved',
    ...over,
  };
}

describe('cohort events', () => {
  it('when a cohort never started, then it cannot complete; it can start or fail', () => {
    const c = cohort('C1', 0, 8, '2026-01-10', '2026-05-01');
    expect(refuseCohortEvent(c, 'completed')).toMatch(/never started/);
    expect(refuseCohortEvent(c, 'started')).toBeNull();
    expect(refuseCohortEvent(c, 'failed')).toBeNull();
    expect(refuseCohortEvent({ ...c, state: 'started' }, 'completed')).toBeNull();
    expect(refuseCohortEvent({ ...c, state: 'completed' }, 'failed')).toMatch(/completed/);
    expect(refuseCohortEvent({ ...c, state: 'released' }, 'started')).toMatch(/released/);
  });

  it('when every live cohort completed, then training is complete (failed and released ones do not count)', () => {
    const done = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', { state: 'completed' });
    expect(
      trainingComplete([done, cohort('C2', 1, 8, '2026-06-01', '2026-12-01', { state: 'failed' })]),
    ).toBe(true);
    expect(trainingComplete([done, cohort('C3', 1, 8, '2026-06-01', '2026-12-01')])).toBe(false);
    expect(trainingComplete([])).toBe(true);
  });
});

describe('completion counts', () => {
  it('when counts come with a completion, then both are whole numbers that add up to the cohort; none means all passed', () => {
    expect(refuseCountsShape('completed', {})).toBeNull();
    expect(refuseCountsShape('completed', { passed: 7, failed: 1 })).toBeNull();
    expect(refuseCountsShape('completed', { failed: 1 })).toEqual({
      field: 'passed',
      message: 'give both passed and failed, or neither',
    });
    expect(refuseCountsShape('completed', { passed: 7.5, failed: 0.5 })?.field).toBe('passed');
    expect(refuseCountsShape('completed', { passed: 9, failed: -1 })?.field).toBe('failed');
    expect(refuseCountsShape('started', { passed: 8, failed: 0 })?.message).toMatch(/only a completion/);
    expect(refuseCompletionCounts(8, {})).toBeNull();
    expect(refuseCompletionCounts(8, { passed: 7, failed: 1 })).toBeNull();
    expect(refuseCompletionCounts(8, { passed: 6, failed: 1 })).toEqual({
      field: 'failed',
      message: '6 passed and 1 failed make 7, but the cohort has 8 trainees',
    });
  });

  it('when a cohort completes, then its outcome is its counts, or all passed when none were given', () => {
    const c = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', { state: 'completed' });
    expect(cohortOutcome(c)).toEqual({ passed: 8, failed: 0 });
    expect(cohortOutcome({ ...c, passed: 6, failed: 2 })).toEqual({ passed: 6, failed: 2 });
    expect(cohortOutcome({ ...c, state: 'started' })).toBeNull();
  });
});

describe('replanning a failed cohort', () => {
  it('when 1 of 8 fails aviation English, then only they retake it and those who passed keep their place in conversion', () => {
    const english = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', {
      state: 'completed',
      passed: 7,
      failed: 1,
    });
    const conversion = cohort('C2', 1, 8, '2026-06-01', '2026-12-01');
    const { releasedCohortIds, demand } = failedCohortDemand(
      [english, conversion],
      'C1',
      pilots,
      '2026-05-01',
      1,
    );
    // The conversion cohort is replanned as after a whole failure: the 7 re-enter where they were.
    expect(releasedCohortIds).toEqual(['C2']);
    expect(demand.map((d) => [d.group.trainees, d.group.courseChain, d.notBefore])).toEqual([
      [1, ['aviation-english', 'f16-conversion'], '2026-05-02'],
      [7, ['f16-conversion'], '2026-06-01'],
    ]);
  });

  it('when a completed cohort had a trainee fail, then readiness waits for the retake, and training is not complete before it', () => {
    const english = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', {
      state: 'completed',
      passed: 7,
      failed: 1,
    });
    const conversion = cohort('C2', 1, 7, '2026-06-01', '2026-12-01', { state: 'completed' });
    const retake = cohort('C3', 0, 1, '2026-06-01', '2026-10-01');
    const laterConversion = cohort('C4', 1, 1, '2026-11-01', '2027-07-01');
    const withoutRetake = summarisePlan([pilots], [english, conversion], supplyOf([]));
    // Only 7 got through aviation English: conversion is short of one, and the system is not ready.
    expect(withoutRetake.readyBy).toEqual({ 'f-16': null });
    expect(withoutRetake.traineesReadyByDeadline).toBe(7);
    expect(withoutRetake.unmet).toEqual([
      expect.objectContaining({ courseId: 'aviation-english', trainees: 1 }),
    ]);

    const cohorts = [english, conversion, retake, laterConversion];
    const summary = summarisePlan([pilots], cohorts, supplyOf([]));
    expect(summary.readyBy).toEqual({ 'f-16': '2027-07-01' });
    expect(summary.traineesReadyByDeadline).toBe(7);
    expect(summary.unmet).toEqual([expect.objectContaining({ reason: 'after_deadline', trainees: 1 })]);
    expect(trainingComplete(cohorts)).toBe(false);
    expect(trainingComplete(cohorts.map((c) => ({ ...c, state: 'completed' as const })))).toBe(true);
  });

  it('when aviation English fails, then its trainees retake the whole chain after the failure and their conversion seats are released', () => {
    const english = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', { state: 'started' });
    const conversion = cohort('C2', 1, 8, '2026-06-01', '2026-12-01');
    const { releasedCohortIds, demand } = failedCohortDemand(
      [english, conversion],
      'C1',
      pilots,
      '2026-02-15T10:00:00Z',
    );
    expect(releasedCohortIds).toEqual(['C2']);
    expect(demand).toEqual([
      { group: { ...pilots, courseChain: ['aviation-english', 'f16-conversion'] }, notBefore: '2026-02-16' },
    ]);
  });

  it('when a downstream cohort also carried trainees of another cohort, then those re-enter where they were', () => {
    const a = cohort('A', 0, 8, '2026-01-10', '2026-05-01', { state: 'started' });
    const b = cohort('B', 0, 4, '2026-02-01', '2026-05-20', { state: 'completed' });
    const conversion = cohort('C', 1, 12, '2026-06-01', '2026-12-01');
    const { releasedCohortIds, demand } = failedCohortDemand(
      [a, b, conversion],
      'A',
      { ...pilots, trainees: 12 },
      '2026-03-01',
    );
    expect(releasedCohortIds).toEqual(['C']);
    expect(demand.map((d) => [d.group.trainees, d.group.courseChain, d.notBefore])).toEqual([
      [8, ['aviation-english', 'f16-conversion'], '2026-03-02'],
      [4, ['f16-conversion'], '2026-06-01'],
    ]);
  });

  it('when the last course fails, then only it is retaken, never in a session that started before the failed one', () => {
    const english = cohort('C1', 0, 8, '2026-01-10', '2026-05-01', { state: 'completed' });
    const conversion = cohort('C2', 1, 8, '2026-06-01', '2026-12-01', { state: 'started' });
    const { releasedCohortIds, demand } = failedCohortDemand(
      [english, conversion],
      'C2',
      pilots,
      '2026-05-20',
    );
    expect(releasedCohortIds).toEqual([]);
    expect(demand).toEqual([
      { group: { ...pilots, courseChain: ['f16-conversion'] }, notBefore: '2026-06-02' },
    ]);
  });
});

describe('plan summary and findings', () => {
  it('when a replacement finishes after the deadline, then readiness moves and the lateness is unmet', () => {
    const cohorts = [
      cohort('C1', 0, 8, '2026-01-10', '2026-05-01', { state: 'failed' }),
      cohort('C2', 1, 8, '2026-06-01', '2026-12-01', { state: 'released' }),
      cohort('C3', 0, 8, '2026-06-01', '2026-10-01'),
      cohort('C4', 1, 8, '2026-11-01', '2027-07-01'),
    ];
    const summary = summarisePlan([pilots], cohorts, supplyOf([]));
    expect(summary.readyBy).toEqual({ 'f-16': '2027-07-01' });
    expect(summary.traineesReadyByDeadline).toBe(0);
    expect(summary.unmet).toEqual([
      {
        reason: 'after_deadline',
        groupId: pilots.id,
        systemId: 'f-16',
        courseId: 'f16-conversion',
        trainees: 8,
        earliestReady: '2027-07-01',
        deadline: '2027-06-01',
      },
    ]);
  });

  it('when the conversion sessions after English are full, then the summary lists them with their free seats', () => {
    const english = cohort('C1', 0, 8, '2026-01-10', '2026-05-01');
    const sessions = [
      session('aviation-english-2026-01-10', 'aviation-english', '2026-01-10', '2026-05-01', 16),
      session('conv-apr', 'f16-conversion', '2026-04-01', '2026-09-01', 8),
      session('conv-jun', 'f16-conversion', '2026-06-01', '2026-12-01', 8, { seatsTaken: 8 }),
    ];
    const summary = summarisePlan([pilots], [english], supplyOf(sessions));
    expect(summary.readyBy).toEqual({ 'f-16': null });
    expect(summary.unmet).toEqual([
      {
        reason: 'no_seats',
        groupId: pilots.id,
        systemId: 'f-16',
        courseId: 'f16-conversion',
        trainees: 8,
        sessions: [{ sessionId: 'conv-jun', start: '2026-06-01', free: 0, planned: 0 }],
      },
    ]);
    expect(summary.sessionsBelowMinimum).toEqual([]);
  });

  it('when every conversion session starts before English ends, then the summary gives the earliest start', () => {
    const english = cohort('C1', 0, 4, '2026-01-10', '2026-05-01');
    const sessions = [
      session('aviation-english-2026-01-10', 'aviation-english', '2026-01-10', '2026-05-01', 16),
      session('conv-apr', 'f16-conversion', '2026-04-01', '2026-09-01', 8),
    ];
    const summary = summarisePlan([{ ...pilots, trainees: 4 }], [english], supplyOf(sessions));
    expect(summary.unmet).toEqual([
      {
        reason: 'prerequisite_too_late',
        groupId: pilots.id,
        systemId: 'f-16',
        courseId: 'f16-conversion',
        trainees: 4,
        prerequisiteId: 'aviation-english',
        earliestStart: '2026-05-02',
        lastSessionStart: '2026-04-01',
      },
    ]);
    // 4 pilots alone in a session of minimum 8: the summary flags it, with its cutoff.
    expect(summary.sessionsBelowMinimum).toEqual([
      {
        sessionId: 'aviation-english-2026-01-10',
        courseId: 'aviation-english',
        start: '2026-01-10',
        reserved: 0,
        planned: 4,
        minimum: 8,
        cutoff: '2025-12-20',
      },
    ]);
  });

  it('when a system is short, then its TRAINING_CAPACITY finding is replaced and other findings stay', () => {
    const catalog = new Map([['f-16', { id: 'f-16', name: 'F-16AM/BM' }]]);
    const unmet = [
      {
        reason: 'after_deadline' as const,
        groupId: pilots.id,
        systemId: 'f-16',
        courseId: 'f16-conversion',
        trainees: 3,
        earliestReady: '2027-07-01',
        deadline: '2027-06-01',
      },
    ];
    const fromPlan = planCapacityFindings([pilots], unmet, catalog, 2);
    expect(fromPlan).toEqual([
      expect.objectContaining({
        code: 'TRAINING_CAPACITY',
        severity: 'warning',
        systemId: 'f-16',
        message: expect.stringContaining('only 5 of the 8'),
      }),
    ]);
    const none = planCapacityFindings([pilots], [{ ...unmet[0], trainees: 8 }], catalog, 2);
    expect(none[0].severity).toBe('blocker');
    const existing = [
      {
        code: 'TRAINING_CAPACITY' as const,
        severity: 'warning' as const,
        message: 'estimate',
        systemId: 'f-16',
      },
      {
        code: 'FLEET_COMMONALITY' as const,
        severity: 'info' as const,
        message: 'F-16 in service',
        systemId: 'f-16',
      },
    ];
    expect(mergeCapacityFindings(existing, fromPlan).map((f) => f.message)).toEqual([
      'F-16 in service',
      fromPlan[0].message,
    ]);
  });

  it('when a coordinator replans twice, then exclusions add up and the later notBefore wins', () => {
    const first = mergeConstraints(null, { excludedSiteIds: ['tucson'], notBefore: '2026-03-01' });
    expect(
      mergeConstraints(first, {
        excludedSiteIds: ['fetesti'],
        excludedSessionIds: ['s1'],
        notBefore: '2026-02-01',
      }),
    ).toEqual({
      excludedSiteIds: ['tucson', 'fetesti'],
      excludedSessionIds: ['s1'],
      notBefore: '2026-03-01',
    });
    expect(mergeConstraints(first, undefined)).toBe(first);
  });
});
