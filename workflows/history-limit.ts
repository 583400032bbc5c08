import { workflowInfo } from '@temporalio/workflow';

/**
 * History events after which a workflow that goes round again (review rounds, replans) continues as a new run at
 * the start of its next round; the API passes LIFECYCLE_HISTORY_LIMIT, and runs started without it use this.
 */
export const DEFAULT_HISTORY_LIMIT = 5_000;

/** Whether the running workflow's history has grown past `limit`, or the server suggests a new run. */
export function historyIsLong(limit: number): boolean {
  const { historyLength, continueAsNewSuggested } = workflowInfo();
  return historyLength >= limit || continueAsNewSuggested;
}
