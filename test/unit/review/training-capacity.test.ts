import { describe, expect, it } from 'vitest';
import { findTrainingShortfalls } from '../../../domain/review/training-capacity';
import { contextWith, item, pledgeOf } from './fixtures';

const pledge = pledgeOf([item('patriot', 1)]);
const assessing = (needed: number, ready: number) =>
  contextWith({
    training: { bySystem: { patriot: { traineesNeeded: needed, traineesReadyByDeadline: ready } } },
  });

describe('findTrainingShortfalls', () => {
  it.each([
    {
      case: 'none of the trainees can be ready',
      needed: 90,
      ready: 0,
      severity: 'blocker',
      text: 'None of the 90',
    },
    { case: 'some can be ready', needed: 90, ready: 65, severity: 'warning', text: 'Only 65 of the 90' },
    { case: 'one is missing', needed: 90, ready: 89, severity: 'warning', text: '1 would finish after' },
  ])('when $case, then a $severity is raised', ({ needed, ready, severity, text }) => {
    const findings = findTrainingShortfalls(pledge, assessing(needed, ready));

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'TRAINING_CAPACITY', severity, systemId: 'patriot' });
    expect(findings[0].message).toContain(text);
  });

  it.each([
    { case: 'all can be ready', needed: 90, ready: 90 },
    { case: 'more seats than trainees', needed: 90, ready: 120 },
    { case: 'nobody needs training', needed: 0, ready: 0 },
  ])('when $case, then there is no finding', ({ needed, ready }) => {
    expect(findTrainingShortfalls(pledge, assessing(needed, ready))).toEqual([]);
  });

  it('when there is no training assessment, then there is no finding', () => {
    expect(findTrainingShortfalls(pledge, contextWith())).toEqual([]);
  });

  it('when the assessment covers a system that is not pledged, then it is ignored', () => {
    const ctx = contextWith({
      training: { bySystem: { nasams: { traineesNeeded: 33, traineesReadyByDeadline: 0 } } },
    });

    expect(findTrainingShortfalls(pledge, ctx)).toEqual([]);
  });
});
