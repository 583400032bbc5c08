import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DomainFailure, FailureKinds } from '../../domain/failures';
import { apiErrorOf, httpOfFailure } from '../../api/http/errors';
import { fromTemporal } from '../../infra/temporal-failures';

const statusOf = (err: unknown) => {
  try {
    fromTemporal(err, 'task T-1');
  } catch (thrown) {
    if (!(thrown instanceof DomainFailure)) return ['rethrown', thrown];
    const answer = apiErrorOf(thrown);
    return [answer.status, answer.message];
  }
  return ['returned'];
};

describe('a refused Temporal Update as the contract answers it', () => {
  it('when the workflow refuses with a kind of the vocabulary, then that kind’s status with its message', () => {
    for (const [type, status] of [
      ['forbidden', 403],
      ['not_found', 404],
      ['conflict', 409],
      ['unprocessable', 422],
    ] as const) {
      const refused = new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({ type, message: 'why' }),
      );
      expect(statusOf(refused)).toEqual([status, 'why']);
    }
  });

  it('when the workflow fails with a type outside the vocabulary, then it is not ours to translate', () => {
    const odd = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ type: 'SomethingElse', message: 'why' }),
    );
    expect(statusOf(odd)).toEqual(['rethrown', odd]);
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

describe('the failure vocabulary as HTTP', () => {
  it('when each kind is answered, then it has its own client or service status', () => {
    expect(FailureKinds.map((k) => [k, httpOfFailure[k].status, httpOfFailure[k].code])).toEqual([
      ['invalid', 400, 'VALIDATION_FAILED'],
      ['forbidden', 403, 'FORBIDDEN'],
      ['not_found', 404, 'NOT_FOUND'],
      ['conflict', 409, 'CONFLICT'],
      ['unprocessable', 422, 'UNPROCESSABLE'],
      ['too_large', 413, 'PAYLOAD_TOO_LARGE'],
      ['unavailable', 503, 'UNAVAILABLE'],
    ]);
  });

  it('when a failure names its fields, then the answer carries them as details', () => {
    const answer = apiErrorOf(
      new DomainFailure('invalid', 'donor: must be yours', [{ path: 'donor', message: 'must be yours' }]),
    );
    expect([answer.status, answer.code, answer.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ path: 'donor', message: 'must be yours' }],
    ]);
  });
});
