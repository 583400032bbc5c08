import type { Category, System } from '../schemas/reference';
import type { ApprovalImpactSummary } from '../schemas/training-portfolio';

// Kept apart from approval-impact.ts so that the web app imports the words without the planner and its solver.

/** Below this many days a delay is told in days; from it on, in months. */
const DAYS_TOLD_IN_DAYS = 45;
const DAYS_PER_MONTH = 365.25 / 12;

/** A delay as people say it: "12 days", "3 months". */
export function delayText(days: number): string {
  if (days < DAYS_TOLD_IN_DAYS) return `${days} ${days === 1 ? 'day' : 'days'}`;
  const months = Math.round(days / DAYS_PER_MONTH);
  return `${months} ${months === 1 ? 'month' : 'months'}`;
}

/** What n trainees of a group are called: a fighter's crews are its pilots. */
export function traineeNoun(
  n: number,
  audience: ApprovalImpactSummary['audience'],
  category: Category | undefined,
): string {
  if (audience === 'maintainer') return n === 1 ? 'maintainer' : 'maintainers';
  if (category === 'fighter') return n === 1 ? 'pilot' : 'pilots';
  return n === 1 ? 'crew member' : 'crew';
}

/** "3 months", or "20 days to 3 months" when the delays of the groups differ. */
function delayRange(shortest: number, largest: number): string {
  const [low, high] = [delayText(shortest), delayText(largest)];
  return low === high ? high : `${low} to ${high}`;
}

/**
 * The effect of an approval on the other pending pledges' training, in sentences a decision-maker reads on the
 * task page and in the brief, e.g. "Approving this delays 12 F-16 pilots by 3 months". Per system and audience,
 * one sentence for each way their trainees are set back, in the summary's order (the worst first).
 */
export function impactSentences(
  summary: ApprovalImpactSummary[],
  systemOf: (systemId: string) => Pick<System, 'name' | 'category'> | undefined,
): string[] {
  const sentences = summary.flatMap((s) => {
    const system = systemOf(s.systemId);
    const whom = (n: number) =>
      `${n} ${system?.name ?? s.systemId} ${traineeNoun(n, s.audience, system?.category)}`;
    const said: string[] = [];
    if (s.traineesNoLongerPlannable > 0)
      said.push(
        `Approving this leaves the training of ${whom(s.traineesNoLongerPlannable)} no longer plannable`,
      );
    if (s.traineesDelayed > 0 && s.shortestDelayDays !== null && s.largestDelayDays !== null)
      said.push(
        `Approving this delays ${whom(s.traineesDelayed)} by ${delayRange(s.shortestDelayDays, s.largestDelayDays)}`,
      );
    if (s.traineesNoLongerReadyByDeadline > 0)
      said.push(
        `Approving this leaves ${whom(s.traineesNoLongerReadyByDeadline)} no longer ready by their delivery date`,
      );
    return said;
  });
  return sentences.length ? sentences : ["Approving this delays no other pledge's training"];
}
