import { Context } from '@temporalio/activity';
import type { NotificationEvent } from '../domain/notifications';
import type { PledgeEvent } from '../domain/pledge-events';
import type { TaskSnapshot } from '../domain/tasks';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import type { ActivityDeps } from './deps';

/**
 * The moment after which an attempt must not write any more: half its timeout after it started (call this first
 * thing in the activity). Its retry starts only once the whole timeout has passed, so a slow attempt can never
 * write over its retry's work.
 */
export function attemptDeadline(): number | undefined {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    // Called outside an activity (a test calling the function itself): no attempt, no deadline.
    return undefined;
  }
  return info.startToCloseTimeoutMs ? Date.now() + info.startToCloseTimeoutMs / 2 : undefined;
}

/** Recording what happened: the workflows' only way to write the record and the read side. */
export function createProjectionActivities({ projector }: ActivityDeps) {
  return {
    /** Applies a pledge's events to its record and projects them (timeline, audit, index, views, notifications). */
    async project(events: PledgeEvent[]): Promise<ProjectedPledge> {
      return projector.projectPledge(events, { deadline: attemptDeadline() });
    },

    /** Tells people of something that changes no record (a reminder); idempotent by event id. */
    async notify(notices: NotificationEvent[]): Promise<void> {
      await projector.publish(notices);
    },

    /** A task's new state: its record, its projection and the notifications it causes. */
    async projectTask(task: TaskSnapshot, rev: number, notices: NotificationEvent[]): Promise<void> {
      await projector.projectTask(task, rev, notices);
    },
  };
}
