import { ApplicationFailure } from '@temporalio/workflow';
import { DomainFailure, type FailureKind } from '../domain/failures';

/** A refusal as a workflow sends it: an `ApplicationFailure` whose type is the vocabulary's kind. */
export const failureOf = (kind: FailureKind, message: string) =>
  ApplicationFailure.create({ type: kind, message, nonRetryable: true });

/** Refuses an Update (from its validator or its handler) with a kind of the vocabulary. */
export const refuse = (kind: FailureKind, message: string): never => {
  throw failureOf(kind, message);
};

/** Runs a domain check; a `DomainFailure` it throws leaves the workflow as the matching `ApplicationFailure`. */
export function asWorkflowFailure<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof DomainFailure) throw failureOf(err.kind, err.message);
    throw err;
  }
}
