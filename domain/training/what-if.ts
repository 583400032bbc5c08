import type { PledgeItem } from '../schemas/pledge';
import type { Course, Session, System } from '../schemas/reference';
import type { WhatIfGroup, WhatIfResult, WhatIfSource } from '../schemas/training-portfolio';
import { addDays } from './dates';
import { trainingDemand } from './demand';
import { scheduleTraining } from './scheduler';
import type { OfferedSession, TraineeGroup } from './types';

/** Items whose crews a what-if plans, and where they come from. */
export interface WhatIfDemand {
  source: WhatIfSource;
  items: PledgeItem[];
}

export interface WhatIfPlanInput {
  demand: WhatIfDemand[];
  catalog: ReadonlyMap<string, System>;
  courses: Course[];
  sessions: Session[];
  /** Seats held per session by plans outside the what-if: they are not free, and count toward minimums. */
  taken: ReadonlyMap<string, number>;
  /** Today (YYYY-MM-DD): only sessions starting after it are offered, as to a real plan. */
  today: string;
  sessionMinimumCutoffDays: number;
  timeLimitSeconds?: number;
  maxMipVariables?: number;
}

const sourceKey = (source: WhatIfSource) =>
  source.kind === 'pledge' ? source.pledgeId : `item-${source.index}`;

/** The sessions still to come as a new plan sees them: with the seats other plans hold. */
export function offeredSessions(
  sessions: Session[],
  taken: ReadonlyMap<string, number>,
  today: string,
): OfferedSession[] {
  return sessions.filter((s) => s.start > today).map((s) => ({ ...s, seatsTaken: taken.get(s.id) ?? 0 }));
}

/**
 * Readiness and shortfall if the demand were all approved now: its trainee groups are planned together by the
 * engine's planner against the sessions to come and the seats already held. Nothing is reserved; the answer is
 * the plan's cohorts, readiness per group and its unmet demand with the reasons.
 */
export async function planWhatIf(input: WhatIfPlanInput): Promise<WhatIfResult> {
  const courses = new Map(input.courses.map((c) => [c.id, c]));
  const groups: Array<TraineeGroup & { source: WhatIfSource }> = input.demand.flatMap(({ source, items }) =>
    // Each source keeps its own groups, so that readiness is told per pledge or item, not merged across them.
    trainingDemand(items, input.catalog, courses).map((g) => ({
      ...g,
      id: `${sourceKey(source)}/${g.id}`,
      source,
    })),
  );
  const plan = await scheduleTraining({
    groups: groups.map(({ source: _source, ...group }) => group),
    courses: input.courses,
    sessions: offeredSessions(input.sessions, input.taken, input.today),
    constraints: { notBefore: addDays(input.today, 1) },
    today: input.today,
    sessionMinimumCutoffDays: input.sessionMinimumCutoffDays,
    timeLimitSeconds: input.timeLimitSeconds,
    maxMipVariables: input.maxMipVariables,
  });
  return {
    groups: groups.map((group): WhatIfGroup => {
      const cohorts = plan.cohorts.filter((c) => c.groupId === group.id);
      const lastCourse = group.courseChain[group.courseChain.length - 1];
      const finals = cohorts.filter((c) => c.courseId === lastCourse);
      const trained = finals.reduce((n, c) => n + c.trainees, 0);
      const lastEnd =
        finals
          .map((c) => c.end)
          .sort()
          .pop() ?? null;
      return {
        groupId: group.id,
        source: group.source,
        systemId: group.systemId,
        audience: group.audience,
        trainees: group.trainees,
        deadline: group.deadline,
        readyOn: trained >= group.trainees ? lastEnd : null,
        readyByDeadline: finals.filter((c) => c.end <= group.deadline).reduce((n, c) => n + c.trainees, 0),
        cohorts: cohorts.map(({ courseId, sessionId, siteId, trainees, start, end }) => ({
          courseId,
          sessionId,
          siteId,
          trainees,
          start,
          end,
        })),
      };
    }),
    unmet: plan.unmet,
    sessionsBelowMinimum: plan.sessionsBelowMinimum,
    traineesNeeded: plan.traineesNeeded,
    traineesReadyByDeadline: plan.traineesReadyByDeadline,
    solver: {
      method: plan.solver.method,
      status: plan.solver.status,
      gap: plan.solver.gap,
      timeMs: plan.solver.timeMs,
    },
  };
}
