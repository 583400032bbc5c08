import { CancellationScope, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PledgeEvent } from '../domain/pledge-events';
import type { NotificationEvent } from '../domain/notifications';
import type { TaskSnapshot } from '../domain/tasks';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { nowIso } from './clock';

/**
 * Projections are retried until they succeed: a workflow cannot go on with an unrecorded step. Their timeout
 * bounds how long a lost attempt (a crashed worker) holds things up; an attempt stops writing halfway through
 * it, so it never overwrites its retry.
 */
const projection = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a workflow states it: the pledge and the time are added here. */
export type Emitted = DistributiveOmit<PledgeEvent, 'pledgeId' | 'at'>;

/**
 * Records what happened to the pledge (its record, timeline, audit, projections and notifications, in one
 * projection) and returns where the state machine put it. Non-cancellable: a withdrawal that cancels the stage
 * waits for the step in progress to be recorded, so two steps of one pledge are never projected at once.
 */
export function emit(pledgeId: string, ...events: Emitted[]): Promise<ProjectedPledge> {
  const at = nowIso();
  return record(events.map((e) => ({ ...e, pledgeId, at })));
}

/** `emit` for events that already carry their pledge and time (the submission, built by the API). */
export function record(events: PledgeEvent[]): Promise<ProjectedPledge> {
  return CancellationScope.nonCancellable(() => projection.project(events));
}

/** Records a task's new state (and tells whoever must hear of it); also non-cancellable. */
export function emitTask(task: TaskSnapshot, rev: number, notices: NotificationEvent[] = []): Promise<void> {
  return CancellationScope.nonCancellable(() => projection.projectTask(task, rev, notices));
}

/** Publishes notifications that change no record (reminders). */
export function notify(notices: NotificationEvent[]): Promise<void> {
  return CancellationScope.nonCancellable(() => projection.notify(notices));
}
