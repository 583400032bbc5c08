import { DomainFailure } from '../domain/failures';
import { donorScope, type Principal } from '../domain/permissions';
import type { AgreementInput, AgreementPatch } from '../domain/schemas/agreement';
import type { StoredAgreement } from '../store/agreements';
import { seenBy } from './donor-visibility';

/** Bilateral security agreements, as their writers read and change them. */
export interface AgreementRepository {
  one(id: string): Promise<StoredAgreement | null>;
  /** Stores a new agreement; false when one of its id is recorded already. */
  insert(agreement: StoredAgreement): Promise<boolean>;
  /** Sets the fields given; the agreement as it then stands, or null when it is gone. */
  update(id: string, fields: Partial<StoredAgreement>): Promise<StoredAgreement | null>;
}

export interface AgreementPorts {
  agreements: AgreementRepository;
  /** Every change is audited under the agreement's id, and every process drops the agreements it holds. */
  changes: {
    record(actor: string, action: string, detail: { id: string } & Record<string, unknown>): Promise<void>;
  };
}

/** The id of a donor's agreement signed on a day: a second record of the same agreement is refused. */
const agreementId = (donor: string, signedOn: string) => `${donor.toLowerCase()}-${signedOn}`;

/** An agreement the principal may see (else `not_found`). */
export async function visibleAgreement(
  agreements: Pick<AgreementRepository, 'one'>,
  principal: Principal,
  id: string,
): Promise<StoredAgreement> {
  return seenBy(principal, `agreement ${id}`, await agreements.one(id));
}

/**
 * Records an agreement under its donor and date of signature. A donor liaison records only its own nation's
 * (`forbidden`); the same agreement twice is a `conflict`.
 */
export async function createAgreement(
  ports: AgreementPorts,
  principal: Principal,
  input: AgreementInput,
): Promise<StoredAgreement> {
  if (donorScope(principal) && principal.nation !== input.donor)
    throw new DomainFailure('forbidden', 'a donor liaison may record only its own nation’s agreements');
  const now = new Date().toISOString();
  const agreement: StoredAgreement = {
    _id: agreementId(input.donor, input.signedOn),
    ...input,
    alertedYears: [],
    createdBy: principal.username,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await ports.agreements.insert(agreement)))
    throw new DomainFailure('conflict', `agreement ${agreement._id} is already recorded`);
  await ports.changes.record(principal.username, 'agreement.created', { id: agreement._id, ...input });
  return agreement;
}

/** Changes the fields given of an agreement the principal may see (else `not_found`). */
export async function updateAgreement(
  ports: AgreementPorts,
  principal: Principal,
  id: string,
  patch: AgreementPatch,
): Promise<StoredAgreement> {
  const before = await visibleAgreement(ports.agreements, principal, id);
  const after = await ports.agreements.update(before._id, { ...patch, updatedAt: new Date().toISOString() });
  // Removed meanwhile: nothing changed, so nothing is audited.
  if (!after) throw new DomainFailure('not_found', `agreement ${id} not found`);
  await ports.changes.record(principal.username, 'agreement.updated', { id: before._id, ...patch });
  return after;
}
