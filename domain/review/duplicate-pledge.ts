import type { Finding, PledgeItem } from '../schemas/pledge';
import type { PledgeUnderReview, ReviewContext } from './review-context';

const overlaps = (a: PledgeItem['deliveryWindow'], b: PledgeItem['deliveryWindow']): boolean =>
  a.from <= b.to && b.from <= a.to;

/** DUPLICATE_PLEDGE: another open pledge of the donor offers the same system in an overlapping window. */
export function findDuplicatePledges(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
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
  return findings;
}
