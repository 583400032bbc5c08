import { todayUtc } from '../../domain/schemas/pledge';
import type { PledgeView } from '../../domain/schemas/pledge-view';
import type { System } from '../../domain/schemas/reference';
import type { ApprovalImpact } from '../../domain/schemas/training-portfolio';
import { approvalImpact, type ImpactPledge } from '../../domain/training/approval-impact';
import { currentSessionMinimumCutoffDays } from '../../store/policies';
import type { ApiDeps } from '../deps';

/**
 * A what-if runs in the API process, so its solver gets less time than the engine's: past it the plan is the
 * greedy one the solver starts from (the solver report says so).
 */
export const whatIfTimeLimitSeconds = 2;

/**
 * What approving a pending pledge would do to the other pending pledges' training, from the in-memory views (every
 * pledge and the seats each session holds) and the pledge's own page (its plan). Shared by the route that answers
 * it and the decision brief that prints it. The caller has synced the views and checked the pledge is pending.
 */
export function approvalImpactReader({
  store,
  views,
  reference,
}: Pick<ApiDeps, 'store' | 'views' | 'reference'>) {
  return async (
    pledge: ImpactPledge,
    page: Pick<PledgeView, 'trainingPlan'> | null,
  ): Promise<ApprovalImpact> => {
    const [systems, courses, sessions, cutoffDays] = await Promise.all([
      reference.systems(),
      reference.courses(),
      reference.sessions(),
      currentSessionMinimumCutoffDays(store.Policy),
    ]);
    return approvalImpact({
      pledge: { ...pledge, cohorts: page?.trainingPlan?.cohorts ?? null },
      portfolio: views.pledges.values(),
      catalog: new Map<string, System>(systems.map((s) => [s.id, s])),
      courses,
      sessions,
      // Pending pledges hold no seats: every seat reserved now is one the compared plans cannot have.
      taken: new Map(sessions.map((s) => [s.id, views.seatsReserved(s.id)])),
      today: todayUtc(),
      sessionMinimumCutoffDays: cutoffDays,
      timeLimitSeconds: whatIfTimeLimitSeconds,
    });
  };
}
