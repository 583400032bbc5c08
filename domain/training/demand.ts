import { DomainFailure } from '../failures';
import type { PledgeItem } from '../schemas/pledge';
import type { Course, System } from '../schemas/reference';
import type { TraineeAudience, TraineeGroup } from './types';

export type { TraineeGroup } from './types';

/**
 * Reference data that cannot yield a training demand: unknown system or course, or a prerequisite cycle. A pledge
 * that meets it cannot be planned as it stands (`unprocessable`); portfolio views leave that pledge out.
 */
export class TrainingReferenceError extends DomainFailure {
  constructor(message: string) {
    super('unprocessable', message);
    this.name = 'TrainingReferenceError';
    Object.setPrototypeOf(this, TrainingReferenceError.prototype);
  }
}

const audiences: readonly TraineeAudience[] = ['crew', 'maintainer'];

/**
 * Trainees per (system, audience, deadline) with the chain of courses they must complete.
 * Items of one system with the same delivery start merge into one group; different delivery starts stay
 * apart because each tranche needs its crews by its own date (merging would either hide lateness or
 * demand crews for the later tranche too early).
 */
export function trainingDemand(
  items: PledgeItem[],
  catalog: ReadonlyMap<string, System>,
  courses: ReadonlyMap<string, Course>,
): TraineeGroup[] {
  const groups = new Map<string, TraineeGroup>();
  for (const item of items) {
    const system = catalog.get(item.systemId);
    if (!system) throw new TrainingReferenceError(`unknown system ${item.systemId}`);
    for (const audience of audiences) {
      const perUnit = audience === 'crew' ? system.crewPerUnit : system.maintainersPerUnit;
      const courseChain = chainFor(system, audience, courses);
      if (perUnit === 0 || courseChain.length === 0) continue;
      const deadline = item.deliveryWindow.from;
      const id = `${system.id}-${audience}-${deadline}`;
      const existing = groups.get(id);
      if (existing) existing.trainees += perUnit * item.quantity;
      else
        groups.set(id, {
          id,
          systemId: system.id,
          audience,
          trainees: perUnit * item.quantity,
          courseChain,
          deadline,
        });
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      compare(a.systemId, b.systemId) || compare(a.audience, b.audience) || compare(a.deadline, b.deadline),
  );
}

/** The system's courses for an audience plus all their prerequisites, prerequisites first. */
export function chainFor(
  system: System,
  audience: TraineeAudience,
  courses: ReadonlyMap<string, Course>,
): string[] {
  const targets = system.courseIds.filter((id) => {
    const course = courses.get(id);
    if (!course) throw new TrainingReferenceError(`system ${system.id} needs unknown course ${id}`);
    return course.audience === audience || course.audience === 'all';
  });
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw new TrainingReferenceError(`prerequisite cycle: ${[...path, id].join(' -> ')}`);
    const course = courses.get(id);
    if (!course)
      throw new TrainingReferenceError(`course ${path[path.length - 1]} needs unknown prerequisite ${id}`);
    state.set(id, 'visiting');
    for (const prerequisite of course.prerequisiteIds) visit(prerequisite, [...path, id]);
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of targets) visit(id, []);
  return ordered;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
