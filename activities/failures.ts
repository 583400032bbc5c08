import { ApplicationFailure } from '@temporalio/activity';
import type { FailureKind } from '../domain/failures';

/**
 * An activity's failure, typed with the vocabulary's kind: the workflows' retry policy does not retry the
 * permanent kinds (`PERMANENT_FAILURE_KINDS`).
 */
export const activityFailure = (kind: FailureKind, message: string) =>
  ApplicationFailure.create({ type: kind, message });
