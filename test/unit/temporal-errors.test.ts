import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/http/errors';
import { fromTemporal } from '../../api/http/temporal-errors';

const statusOf = (err: unknown) => {
  try {
    fromTemporal(err, 'task T-1');
  } catch (thrown) {
    return thrown instanceof ApiError ? [thrown.status, thrown.message] : ['rethrown', thrown];
  }
  return ['returned'];
};

describe('a refused Temporal Update as the contract answers it', () => {
  it('when the workflow refuses by rule, then 403, 409 or 422 with its message', () => {
    for (const [type, status] of [
      ['forbidden', 403],
      ['conflict', 409],
      ['invalid', 422],
    ] as const) {
      const refused = new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({ type, message: 'why' }),
      );
      expect(statusOf(refused)).toEqual([status, 'why']);
    }
  });

  it('when the stage is cancelled while the Update waits (a withdrawal won), then 409, never a 500', () => {
    const cancelled = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      new CancelledFailure('Workflow cancelled'),
    );
    expect(statusOf(cancelled)[0]).toBe(409);
  });

  it('when the workflow is gone, then 409; anything else is not ours to translate', () => {
    expect(statusOf(new WorkflowNotFoundError('gone', 'wf', undefined))[0]).toBe(409);
    const other = new Error('boom');
    expect(statusOf(other)).toEqual(['rethrown', other]);
  });
});
