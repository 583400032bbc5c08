import type { PledgeDerived } from './pledge-record';
import type { PledgeInput } from './schemas/pledge';
import type { System } from './schemas/reference';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "€450m", "€1.2bn", "€800k": a value people read at a glance. */
export function euros(value: number): string {
  const scaled = (n: number, unit: string) =>
    `€${Number(n.toFixed(n >= 100 ? 0 : 1)).toLocaleString('en')}${unit}`;
  if (value >= 1e9) return scaled(value / 1e9, 'bn');
  if (value >= 1e6) return scaled(value / 1e6, 'm');
  if (value >= 1e3) return scaled(value / 1e3, 'k');
  return `€${value}`;
}

/** "Dec 2027" from "2027-12-31". */
const monthOf = (date: string) => `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;

/**
 * What a pledge is, in one line: "FRA · 6 × Mirage 2000-5F · €450m · deliver Dec 2027". Inboxes, notifications,
 * e-mails and webhooks name pledges by it; the id stays secondary.
 */
export function pledgeTitle(
  input: Pick<PledgeInput, 'donor' | 'items' | 'valueEur'>,
  systemNames: ReadonlyMap<string, string>,
): string {
  const items = input.items.map((i) => `${i.quantity} × ${systemNames.get(i.systemId) ?? i.systemId}`);
  const shown = items.length > 2 ? [...items.slice(0, 2), `${items.length - 2} more`] : items;
  const lastDelivery = input.items
    .map((i) => i.deliveryWindow.to)
    .sort()
    .pop();
  return [
    input.donor,
    shown.join(', '),
    ...(input.valueEur ? [euros(input.valueEur)] : []),
    ...(lastDelivery ? [`deliver ${monthOf(lastDelivery)}`] : []),
  ].join(' · ');
}

/** The fields the record derives from a pledge's items and the catalogue as it is now. */
export function derivePledgeFields(
  id: string,
  input: PledgeInput,
  systems: ReadonlyArray<Pick<System, 'id' | 'name' | 'family' | 'coalition'>>,
): PledgeDerived {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const used = input.items.map((i) => byId.get(i.systemId)).filter((s): s is NonNullable<typeof s> => !!s);
  return {
    title: pledgeTitle(input, new Map(used.map((s) => [s.id, s.name]))),
    coalitions: [...new Set(used.map((s) => s.coalition))].sort(),
    systemIds: input.items.map((i) => i.systemId),
    searchText: [
      id,
      input.donor,
      ...input.items.map((i) => i.systemId),
      ...used.flatMap((s) => [s.name, s.family]),
      input.notes ?? '',
    ]
      .join(' ')
      .toLowerCase(),
  };
}
