import type { Finding, PledgeItem } from '../schemas/pledge';
import type { PledgeUnderReview, ReviewContext } from './review-context';

const overlaps = (a: PledgeItem['deliveryWindow'], b: PledgeItem['deliveryWindow']): boolean =>
  a.from <= b.to && b.from <= a.to;

/**
 * Open pledges named one by one per system; the rest are counted in one more finding. A reviewer acts on the
 * first few, and a donor with hundreds of overlapping pledges must not make a pledge's page (and every list
 * that shows its findings) grow with them.
 */
export const NAMED_DUPLICATES_PER_SYSTEM = 3;

/** DUPLICATE_PLEDGE: another open pledge of the donor offers the same system in an overlapping window. */
export function findDuplicatePledges(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const namedPerSystem = new Map<string, number>();
  const unnamed = new Map<string, string[]>();
  for (const item of pledge.items) {
    for (const other of ctx.openPledges) {
      if (
        other.id === pledge.id ||
        other.donor !== pledge.donor ||
        reported.has(`${item.systemId}|${other.id}`)
      ) {
        continue;
      }
      const clash = other.items.find(
        (o) => o.systemId === item.systemId && overlaps(o.deliveryWindow, item.deliveryWindow),
      );
      if (!clash) continue;
      reported.add(`${item.systemId}|${other.id}`);
      const named = namedPerSystem.get(item.systemId) ?? 0;
      if (named >= NAMED_DUPLICATES_PER_SYSTEM) {
        const rest = unnamed.get(item.systemId) ?? [];
        rest.push(other.id);
        unnamed.set(item.systemId, rest);
        continue;
      }
      namedPerSystem.set(item.systemId, named + 1);
      const name = ctx.catalog.get(item.systemId)?.name ?? item.systemId;
      findings.push({
        code: 'DUPLICATE_PLEDGE',
        severity: 'warning',
        message:
          `${pledge.donor} already has open pledge ${other.id} for ${clash.quantity} ${name} delivered ` +
          `${clash.deliveryWindow.from} to ${clash.deliveryWindow.to}, overlapping this pledge's window`,
        systemId: item.systemId,
      });
    }
  }
  for (const [systemId, ids] of unnamed) {
    const name = ctx.catalog.get(systemId)?.name ?? systemId;
    findings.push({
      code: 'DUPLICATE_PLEDGE',
      severity: 'warning',
      message: `${pledge.donor} has ${ids.length} more open ${ids.length === 1 ? 'pledge' : 'pledges'} for ${name} overlapping this pledge's window (the first: ${ids[0]})`,
      systemId,
    });
  }
  return findings;
}
