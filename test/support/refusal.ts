import { DomainFailure } from '../../domain/failures';

/** The refusal a use case answers with; throws (failing the test) when it answers at all, or fails otherwise. */
export async function refusal(call: Promise<unknown>): Promise<DomainFailure> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof DomainFailure))
    throw new Error(`expected a DomainFailure, got ${String(outcome)}`);
  return outcome;
}
