import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import { policySchemas, type PolicyKind, type PolicyOf, type PolicyPublication } from '../store/policies';
import type { ReferenceChangeLog } from './reference-change-log';

/** The published versions of the policies. */
export interface PolicyVersions {
  nextVersion(kind: PolicyKind): Promise<number>;
  /** Publishes the version; false when that version of the kind was published already. */
  insert(publication: PolicyPublication): Promise<boolean>;
}

export type PolicyPublishingPorts = { policies: PolicyVersions; changes: ReferenceChangeLog };

/**
 * Publishes the next version of a policy: running workflows keep the version they started with, new ones take
 * this. The document must satisfy its kind's schema (`invalid`, naming each failing field); another version
 * published at the same moment takes the number first (`conflict`: retry).
 */
export async function publishPolicy(
  ports: PolicyPublishingPorts,
  principal: Principal,
  kind: PolicyKind,
  document: Record<string, unknown>,
): Promise<{ version: number; document: PolicyOf<PolicyKind> }> {
  const version = await ports.policies.nextVersion(kind);
  const parsed = policySchemas[kind].safeParse({ ...document, version });
  if (!parsed.success) {
    throw new DomainFailure(
      'invalid',
      'invalid policy document',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const published = await ports.policies.insert({
    kind,
    version,
    document: parsed.data,
    createdBy: principal.username,
  });
  if (!published)
    throw new DomainFailure('conflict', 'another version was published at the same moment; retry');
  await ports.changes.record(principal.username, 'policy.published', { kind, version });
  return { version, document: parsed.data };
}
