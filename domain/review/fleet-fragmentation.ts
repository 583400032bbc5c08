import type { Finding } from '../schemas/pledge';
import type { Category, System } from '../schemas/reference';
import { categoryNoun, joinNames, ordinal } from './category-names';
import { familiesInService, inServiceEntry, isSovietLegacy } from './fleet-in-service';
import { pledgedSystems, sameName, type PledgeUnderReview, type ReviewContext } from './review-context';

// Gunners and tankers tell their families apart by calibre: the howitzer zoo is a zoo of 155mm guns.
const groupedByCalibre: ReadonlySet<Category> = new Set<Category>(['howitzer', 'mlrs', 'mbt', 'ifv']);

interface Family {
  family: string;
  origin: string;
  calibers: string[];
}

/** FLEET_FRAGMENTATION: a family new to Ukraine in a category where it already operates other families. */
export function findFleetFragmentation(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const findings: Finding[] = [];
  // New families earlier in the same pledge count too: two new fighter types are worse than one.
  const addedByCategory = new Map<Category, Family[]>();
  for (const { system } of pledgedSystems(pledge, ctx.catalog)) {
    const added = addedByCategory.get(system.category) ?? [];
    const inService = familiesInService(ctx.inventory, system.category);
    const countedAlready = added.some((f) => sameName(f.family, system.family));
    if (countedAlready || inServiceEntry(ctx.inventory, system.family)) continue;
    addedByCategory.set(system.category, [...added, system]);
    if (inService.length === 0) continue;

    const total = inService.length + added.length + 1;
    const limit = ctx.policy.familyLimits[system.category];
    const blocks = limit !== undefined && total >= limit;
    const reachesLimit = blocks
      ? `; this reaches the policy limit of ${limit} ${categoryNoun[system.category].one} families`
      : '';
    findings.push({
      code: 'FLEET_FRAGMENTATION',
      severity: blocks ? 'blocker' : 'warning',
      message: describeFragmentation(system, inService, added, total) + reachesLimit,
      systemId: system.id,
    });
  }
  return findings;
}

function describeFragmentation(system: System, inService: Family[], added: Family[], total: number): string {
  const noun = categoryNoun[system.category];
  const names = (families: Family[]) => joinNames(families.map((f) => f.family));
  const fromPledge = added.length > 0 ? `, counting ${names(added)} from this pledge` : '';
  const inAll = `making ${total} ${noun.one} families in all${fromPledge}`;

  const calibre = system.calibers[0];
  const sameCalibre = calibre ? inService.filter((f) => f.calibers.some((c) => sameName(c, calibre))) : [];
  if (groupedByCalibre.has(system.category) && sameCalibre.length > 0) {
    const families = sameCalibre.length === 1 ? 'family' : 'families';
    return (
      `Ukraine already operates ${sameCalibre.length} ${families} of ${calibre} ${noun.many} ` +
      `(${names(sameCalibre)}); ${system.family} would be a new family with its own training, ` +
      `maintenance and spare parts, ${inAll}`
    );
  }

  const western = inService.filter((f) => !isSovietLegacy(f.origin));
  if (!isSovietLegacy(system.origin) && western.length > 0) {
    const rank = ordinal(western.length + added.filter((f) => !isSovietLegacy(f.origin)).length + 1);
    return (
      `Ukraine already operates ${names(western)} in category ${system.category}; ` +
      `${system.family} would be ${article(rank)} ${rank} Western ${noun.one} family ` +
      `with separate training, spare parts and maintenance, ${inAll}`
    );
  }

  return (
    `Ukraine already operates ${names(inService)} in category ${system.category}; ` +
    `${system.family} would be a new ${noun.one} family with separate training, spare parts ` +
    `and maintenance, ${inAll}`
  );
}

const article = (word: string): string => (/^(e|8|11th|18th)/.test(word) ? 'an' : 'a');
