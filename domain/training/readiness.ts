import type { TraineeGroup } from './types';

/**
 * Folds one group into the day each system is ready: the day its last group's final course ends, or null while
 * any group of the system is not fully trained (a crew short of people is no crew).
 */
export function foldSystemReady(
  readyBy: Record<string, string | null>,
  group: Pick<TraineeGroup, 'systemId' | 'trainees'>,
  completed: number,
  finalEnds: readonly string[],
): void {
  const lastEnd = finalEnds.length ? finalEnds.reduce((a, b) => (a > b ? a : b)) : null;
  const groupReady = completed >= group.trainees ? lastEnd : null;
  const seen = group.systemId in readyBy ? readyBy[group.systemId] : '';
  readyBy[group.systemId] =
    seen === null || groupReady === null ? null : seen > groupReady ? seen : groupReady;
}
