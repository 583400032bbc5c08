import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DomainFailure, isFailureKind } from '../domain/failures';

/**
 * The one mapping from Temporal to the failure vocabulary: a workflow refuses an Update with an
 * `ApplicationFailure` whose type is a kind; a stage cancelled while the Update waited, or a workflow that is gone,
 * is a conflict (the race is lost). Anything else is not a refusal and is returned as undefined.
 */
export function failureFromTemporal(err: unknown, what = 'workflow'): DomainFailure | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const kind = err.cause.type;
    if (isFailureKind(kind)) return new DomainFailure(kind, err.cause.message);
  }
  // The stage was cancelled while the Update waited (the pledge was withdrawn or amended meanwhile).
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof CancelledFailure) {
    return new DomainFailure(
      'conflict',
      `${what} was closed while this was sent (the pledge was withdrawn or amended)`,
    );
  }
  if (err instanceof WorkflowNotFoundError)
    return new DomainFailure('conflict', `${what} is no longer running`);
  const message = err instanceof Error ? err.message : '';
  if (/already completed|workflow execution already finished/i.test(message)) {
    return new DomainFailure('conflict', `${what} is no longer running`);
  }
  return undefined;
}

/** Rethrows a Temporal error as the refusal it stands for (`failureFromTemporal`), or as it is. */
export function fromTemporal(err: unknown, what = 'workflow'): never {
  throw failureFromTemporal(err, what) ?? err;
}
