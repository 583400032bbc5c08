import { ulid } from 'ulid';
import { DomainFailure, invalidInput, type FailureDetail } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import { capabilityProblems, type MatchOverrides } from '../domain/requirements/matching';
import type { System } from '../domain/schemas/reference';
import type {
  RequirementInput,
  RequirementMatchInput,
  RequirementPatch,
} from '../domain/schemas/requirement';
import type { RequirementMatchRecord, StoredRequirement } from '../store/requirements';

/** Ukraine's requirements and staff's match overrides, as their writers read and change them. */
export interface RequirementRepository {
  one(id: string): Promise<StoredRequirement | null>;
  insert(requirement: StoredRequirement): Promise<void>;
  /** Sets the fields given; the requirement as it then stands, or null when it is gone. */
  update(id: string, fields: Partial<StoredRequirement>): Promise<StoredRequirement | null>;
  /** The ids of every requirement, open or closed. */
  ids(): Promise<Set<string>>;
  /** Replaces a pledge's overrides; none at all removes them. */
  putOverrides(override: RequirementMatchRecord): Promise<void>;
  clearOverrides(pledgeId: string): Promise<void>;
}

export interface RequirementPorts {
  requirements: RequirementRepository;
  /** The catalogue's systems, which a capability must name or describe. */
  systems(): Promise<Array<Pick<System, 'id' | 'family' | 'category'>>>;
  /** Every change is audited, and every process rereads the requirements (and the coverage) before its next read. */
  changes: {
    record(actor: string, action: string, detail: Record<string, unknown>, pledgeId?: string): Promise<void>;
  };
}

/** A pledge as far as its matches go: its id and the systems it pledges. */
export interface MatchedPledge {
  id: string;
  items: ReadonlyArray<{ systemId: string }>;
}

async function checkCapability(ports: RequirementPorts, capability: RequirementInput['capability']) {
  const problems = capabilityProblems(capability, await ports.systems());
  if (problems.length) throw invalidInput(problems);
}

/** States a requirement, open at once; its capability must name a system, or describe systems, of the catalogue. */
export async function createRequirement(
  ports: RequirementPorts,
  principal: Principal,
  input: RequirementInput,
): Promise<StoredRequirement> {
  await checkCapability(ports, input.capability);
  const now = new Date().toISOString();
  const requirement: StoredRequirement = {
    id: `RQ${ulid()}`,
    ...input,
    status: 'open',
    createdBy: principal.username,
    createdAt: now,
    updatedBy: principal.username,
    updatedAt: now,
  };
  await ports.requirements.insert(requirement);
  await ports.changes.record(principal.username, 'requirement.created', { id: requirement.id, ...input });
  return requirement;
}

/** What the audit calls a change: closing or reopening, a new priority alone, or any other amendment. */
function actionOf(patch: RequirementPatch, changed: string[]): string {
  if (changed.includes('status'))
    return patch.status === 'closed' ? 'requirement.closed' : 'requirement.reopened';
  if (changed.length === 1 && changed[0] === 'priority') return 'requirement.reprioritised';
  return 'requirement.amended';
}

/**
 * Changes the fields given of a requirement; the audit keeps each field that changed, from and to. Refuses as
 * `not_found` an unknown requirement, as `invalid` a capability the catalogue has no system for.
 */
export async function updateRequirement(
  ports: RequirementPorts,
  principal: Principal,
  id: string,
  patch: RequirementPatch,
): Promise<StoredRequirement> {
  const gone = () => new DomainFailure('not_found', `requirement ${id} not found`);
  const before: Record<string, unknown> | null = await ports.requirements.one(id);
  if (!before) throw gone();
  if (patch.capability) await checkCapability(ports, patch.capability);
  const changes = Object.fromEntries(
    Object.entries(patch)
      .filter(([field, value]) => JSON.stringify(before[field]) !== JSON.stringify(value))
      .map(([field, value]) => [field, { from: before[field], to: value }]),
  );
  const after = await ports.requirements.update(id, {
    ...patch,
    updatedBy: principal.username,
    updatedAt: new Date().toISOString(),
  });
  if (!after) throw gone();
  await ports.changes.record(principal.username, actionOf(patch, Object.keys(changes)), { id, changes });
  return after;
}

/**
 * Replaces staff's choice of requirement for the systems of a pledge (none: back to the automatic matches). Each
 * system must be one the pledge has, each requirement a known one (or null: serves none); else `invalid`, naming
 * the match.
 */
export async function overrideRequirementMatches(
  ports: RequirementPorts,
  principal: Principal,
  pledge: MatchedPledge,
  input: RequirementMatchInput,
): Promise<MatchOverrides> {
  const pledged = new Set(pledge.items.map((i) => i.systemId));
  const known = await ports.requirements.ids();
  const problems: FailureDetail[] = input.matches.flatMap((m, i) => [
    ...(pledged.has(m.systemId)
      ? []
      : [{ path: `matches.${i}.systemId`, message: 'the pledge has no item of this system' }]),
    ...(m.requirementId === null || known.has(m.requirementId)
      ? []
      : [{ path: `matches.${i}.requirementId`, message: 'no such requirement' }]),
  ]);
  if (problems.length) throw invalidInput(problems);
  const bySystem = Object.fromEntries(input.matches.map((m) => [m.systemId, m.requirementId]));
  if (input.matches.length) {
    await ports.requirements.putOverrides({
      _id: pledge.id,
      bySystem,
      reason: input.reason,
      by: principal.username,
      at: new Date().toISOString(),
    });
  } else {
    await ports.requirements.clearOverrides(pledge.id);
  }
  await ports.changes.record(
    principal.username,
    'pledge.requirement_matches_overridden',
    { matches: bySystem, reason: input.reason },
    pledge.id,
  );
  return bySystem;
}
