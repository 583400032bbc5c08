import { describe, expect, it } from 'vitest';
import { demoRequirements } from '../../../domain/reference/demo-requirements';
import { catalog } from '../../../domain/reference/seed-data';
import { capabilityProblems } from '../../../domain/requirements/matching';
import { RequirementInput, type Capability } from '../../../domain/schemas/requirement';

describe('capabilityProblems', () => {
  it.each<Capability>([
    { category: 'air-defence-long' },
    { family: 'patriot' },
    { systemId: 'patriot', category: 'air-defence-long', family: 'Patriot' },
  ])('when the catalogue has a system for %j, then there is no problem', (capability) => {
    expect(capabilityProblems(capability, catalog)).toEqual([]);
  });

  it.each<[Capability, string]>([
    [{ systemId: 'no-such-system' }, 'capability.systemId'],
    [{ family: 'Flying Carpet' }, 'capability.family'],
    [{ systemId: 'patriot', category: 'howitzer' }, 'capability'],
  ])('when %j is asked for, then the problem names %s', (capability, path) => {
    expect(capabilityProblems(capability, catalog)).toEqual([expect.objectContaining({ path })]);
  });
});

describe('the demo requirements', () => {
  it('when the quick start states them, then each is valid input for a capability the catalogue has', () => {
    for (const { key, ...requirement } of demoRequirements(2027)) {
      expect(RequirementInput.safeParse(requirement).success, key).toBe(true);
      expect(capabilityProblems(requirement.capability, catalog), key).toEqual([]);
    }
  });
});
