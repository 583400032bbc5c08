import type { Category } from '../schemas/reference';

/** How a category reads in a sentence: 'a second Western fighter family', '7 families of 155mm howitzers'. */
export const categoryNoun: Record<Category, { one: string; many: string }> = {
  fighter: { one: 'fighter', many: 'fighters' },
  'air-defence-long': { one: 'long-range air-defence', many: 'long-range air-defence systems' },
  'air-defence-medium': { one: 'medium-range air-defence', many: 'medium-range air-defence systems' },
  'air-defence-short': { one: 'short-range air-defence', many: 'short-range air-defence systems' },
  howitzer: { one: 'howitzer', many: 'howitzers' },
  mlrs: { one: 'rocket-launcher', many: 'rocket launchers' },
  mbt: { one: 'main battle tank', many: 'main battle tanks' },
  ifv: { one: 'infantry fighting vehicle', many: 'infantry fighting vehicles' },
  drone: { one: 'drone', many: 'drones' },
};

const ordinals = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

/** 'second' for 2, up to 'tenth'; '11th', '21st' beyond. */
export function ordinal(n: number): string {
  if (n >= 1 && n <= ordinals.length) return ordinals[n - 1];
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** 'A', 'A and B', 'A, B and C'. */
export function joinNames(names: string[]): string {
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
