import { checkPlan } from './check-plan';
import { greedyCounts } from './greedy';
import { objectiveOf, prepareInstance } from './instance';
import { buildTrainingMip, mipStart, mipVariableCount } from './mip-model';
import { solveMip } from './mip-solver';
import { planFromCounts } from './plan';
import type { ScheduleInput, SolverReport, TrainingPlan } from './types';

export { checkPlan } from './check-plan';
export { greedySchedule } from './greedy';
export type * from './types';

export const defaultTimeLimitSeconds = 10;
/**
 * Above this many columns the single-threaded WASM HiGHS spends most of a 10 s limit on the root LP and
 * presolve and rarely improves on its greedy start, while the greedy plan takes milliseconds
 * (see bench/scheduler.ts for the figures behind the number).
 */
export const defaultMaxMipVariables = 20_000;
const relativeGap = 1e-5;

/**
 * Plans cohorts for trainee groups: as many trainees ready by their deadline as possible, then as many
 * trained at all (late readiness beats none, and is reported in `unmet`), then the earliest readiness.
 * Solves a MIP with HiGHS from the greedy plan; falls back to the greedy plan when the model is too large,
 * the solver fails or finds nothing better, or its plan fails checkPlan. The returned plan never violates it.
 */
export async function scheduleTraining(input: ScheduleInput): Promise<TrainingPlan> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const instance = prepareInstance(input);
  const baseline = greedyCounts(instance);
  const baselineObjective = objectiveOf(instance, baseline);

  const fallback = (reason: string): TrainingPlan => {
    const solver: SolverReport = {
      method: 'greedy',
      status: `fallback: ${reason}`,
      objective: baselineObjective,
      bound: null,
      gap: null,
      timeMs: elapsed(),
    };
    const plan = planFromCounts(instance, baseline, solver);
    const violations = checkPlan(plan, input);
    if (violations.length) throw new Error(`greedy training plan is invalid: ${violations.join('; ')}`);
    return plan;
  };

  if (instance.slots.length === 0) {
    return planFromCounts(instance, baseline, {
      method: 'mip',
      status: 'empty',
      objective: 0,
      bound: 0,
      gap: 0,
      timeMs: elapsed(),
    });
  }
  const variables = mipVariableCount(instance);
  const maxVariables = input.maxMipVariables ?? defaultMaxMipVariables;
  if (variables > maxVariables) return fallback(`model too large (${variables} variables > ${maxVariables})`);

  const model = buildTrainingMip(instance);
  let outcome;
  try {
    outcome = await solveMip(model, mipStart(model, instance, baseline), {
      timeLimitSeconds: input.timeLimitSeconds ?? defaultTimeLimitSeconds,
      relativeGap,
    });
  } catch (error) {
    return fallback(`solver failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!outcome.values) return fallback(`no feasible solution (${outcome.status})`);

  const values = outcome.values;
  const counts = instance.slots.map((_slot, i) => Math.round(values[i]));
  const objective = objectiveOf(instance, counts);
  // The solver starts from the greedy plan, so this only happens if HiGHS rejected that start.
  if (objective < baselineObjective)
    return fallback(`solver found nothing as good as greedy (${outcome.status})`);
  const bound = outcome.bound === null ? null : Math.max(outcome.bound, objective);
  const gap = bound === null ? null : (bound - objective) / Math.max(1, Math.abs(objective));
  const plan = planFromCounts(instance, counts, {
    method: 'mip',
    status: outcome.status,
    objective,
    bound,
    gap,
    timeMs: elapsed(),
  });
  const violations = checkPlan(plan, input);
  return violations.length ? fallback(`solver plan rejected: ${violations[0]}`) : plan;
}
