import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ApiError } from './errors';

const statusByFailureType: Record<string, [number, string]> = {
  forbidden: [403, 'FORBIDDEN'],
  conflict: [409, 'CONFLICT'],
  invalid: [422, 'UNPROCESSABLE'],
};

/** Translates a refused Temporal Update (or a workflow that is gone) into the contract's errors. */
export function fromTemporal(err: unknown, what = 'workflow'): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const mapped = statusByFailureType[err.cause.type ?? ''];
    if (mapped) throw new ApiError(mapped[0], mapped[1], err.cause.message);
  }
  // The stage was cancelled while the Update waited (the pledge was withdrawn or amended meanwhile): the race is lost.
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof CancelledFailure) {
    throw new ApiError(
      409,
      'CONFLICT',
      `${what} was closed while this was sent (the pledge was withdrawn or amended)`,
    );
  }
  if (err instanceof WorkflowNotFoundError) {
    throw new ApiError(409, 'CONFLICT', `${what} is no longer running`);
  }
  const message = err instanceof Error ? err.message : '';
  if (/already completed|workflow execution already finished/i.test(message)) {
    throw new ApiError(409, 'CONFLICT', `${what} is no longer running`);
  }
  throw err;
}
