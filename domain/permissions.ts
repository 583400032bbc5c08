import { Roles, type Role } from './schemas/common';

/** The approval chain: they sign the commander's decisions and read what they decide from. */
const commandChain = [
  'chief_of_staff',
  'commander',
  'deputy_commander',
  'saceur',
] as const satisfies readonly Role[];

/** NSATU's people who plan with the training portfolio: it spans every nation's pledges. */
const portfolioPlanners = [
  'staff_officer',
  'reviewer',
  'training_coordinator',
  ...commandChain,
] as const satisfies readonly Role[];

/** Everyone who takes part in deciding pledges: donors' liaisons (their own nation's) and NSATU's people. */
const deciders = ['donor_liaison', ...portfolioPlanners] as const satisfies readonly Role[];

/** Deciders and those who check them: they read pledges and tasks. */
const pledgeReaders = [...deciders, 'auditor', 'admin'] as const satisfies readonly Role[];

/** Staff and the command chain: management views across every nation. */
const staffAndCommand = ['staff_officer', ...commandChain] as const satisfies readonly Role[];

/** Everything a caller can be allowed to do, mapped to the roles that may do it. */
export const permissions = {
  'pledge:create': ['donor_liaison', 'staff_officer', 'admin'],
  'pledge:read': [...pledgeReaders, 'logistics'],
  'pledge:amend': ['donor_liaison', 'staff_officer', 'admin'],
  'pledge:withdraw': ['donor_liaison', 'staff_officer', 'admin'],
  'pledge:import': ['staff_officer', 'admin'],
  'task:read': pledgeReaders,
  // Acting on a task also needs one of the task's candidate roles; checked against the task itself.
  'task:act': deciders,
  // Reference data and one's own profile are every role's.
  'reference:read': Roles,
  'reference:write': ['admin'],
  'training:write': ['admin', 'training_coordinator'],
  'training:record': ['training_coordinator'],
  // Seats across every nation's pledges (capacity, and what an approval does to the other pending pledges): a
  // liaison sees only its own nation's, so not these views.
  'training:capacity': [...portfolioPlanners, 'auditor', 'admin'],
  // A liaison may try its own nation's pledges and hypothetical items; another nation's pledge is not found.
  'training:what-if': ['donor_liaison', ...portfolioPlanners, 'admin'],
  'policy:read': [...staffAndCommand, 'reviewer', 'auditor', 'admin'],
  'policy:write': ['admin'],
  // The commander's brief: staff prepare it, the approval chain signs from it.
  'brief:read': [...staffAndCommand, 'admin'],
  // Management figures across every nation: liaisons see their own pledges' phase times on the pledge instead.
  'report:read': [...staffAndCommand, 'auditor', 'admin'],
  'audit:verify': ['auditor', 'admin'],
  'user:manage': ['admin'],
  'webhook:manage': ['admin'],
  'notification:manage': ['admin'],
  // A liaison reads and edits only its own nation's agreements (checked against the agreement).
  'agreement:read': ['donor_liaison', ...staffAndCommand, 'auditor', 'admin'],
  'agreement:write': ['donor_liaison', 'staff_officer', 'admin'],
  // A coalition's page lists its pledges of every nation: its reviewers (only their coalitions') and staff.
  'coalition:read': [...staffAndCommand, 'reviewer', 'auditor', 'admin'],
  // Ukraine's requirements: every staff role and every liaison reads them (donors pledge against them).
  'requirement:read': [...pledgeReaders, 'ua_liaison'],
  'requirement:write': ['ua_liaison', 'staff_officer'],
  // Overriding which requirement a pledge serves is NSATU's judgement.
  'requirement:match': ['staff_officer'],
  // Deliveries: a liaison follows its own nation's lots; the delivery cell records milestones; staff re-plan lots.
  'delivery:read': [
    'donor_liaison',
    ...staffAndCommand,
    'training_coordinator',
    'auditor',
    'admin',
    'logistics',
  ],
  'delivery:record': ['logistics'],
  'delivery:plan': ['staff_officer'],
  'self:read': Roles,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

export interface Principal {
  username: string;
  roles: Role[];
  /** Set for donor liaisons: the only nation whose pledges they may see or touch. */
  nation: string | null;
  /** For reviewers: the capability coalitions they review for. */
  coalitions?: string[];
  /** When the person last proved who they are (epoch seconds): a token's auth_time, or its issue time. */
  signedInAt?: number;
}

/** True when one of the principal's roles grants the action. */
export function can(principal: Pick<Principal, 'roles'>, action: Action): boolean {
  const allowed: readonly Role[] = permissions[action];
  return principal.roles.some((r) => allowed.includes(r));
}

/** A donor liaison sees only its own nation's pledges; every other reader sees all. */
export function canSeeDonor(principal: Principal, donor: string): boolean {
  const confined = principal.roles.every((r) => r === 'donor_liaison');
  return !confined || principal.nation === donor;
}

/** The nation a caller is confined to in lists, or null for all nations. */
export function donorScope(principal: Principal): string | null {
  return principal.roles.every((r) => r === 'donor_liaison') ? (principal.nation ?? '∅') : null;
}
