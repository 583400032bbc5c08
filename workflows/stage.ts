import { workflowInfo } from '@temporalio/workflow';
import type { PledgeStatus } from '../domain/schemas/pledge';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import type { TaskPledge } from './human-tasks';

/** What a stage workflow is told of its pledge by the lifecycle. */
export interface StagePledge {
  id: string;
  title: string;
  donor: string;
  status: PledgeStatus;
  /** Who submitted it (separation of duties keeps them off its review and approval). */
  submittedBy: string;
}

/**
 * A stage's knowledge of where its pledge stands: where the lifecycle left it, then wherever each of the stage's
 * own events put it (the state machine decides, in the projector).
 */
export function trackPledge(pledge: StagePledge) {
  let status = pledge.status;
  const tasks: TaskPledge = {
    id: pledge.id,
    title: pledge.title,
    workflowId: workflowInfo().workflowId,
    status: () => status,
  };
  return {
    tasks,
    status: () => status,
    /** Notes the position an event led to and passes it on. */
    follow(position: ProjectedPledge): ProjectedPledge {
      status = position.status;
      return position;
    },
  };
}
