/** Counts what one pledge costs Temporal: activities, Updates and child workflows across its workflow tree. */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface WorkflowShape {
  workflows: number;
  events: number;
  activities: number;
  updates: number;
  /** Activities scheduled before the first Update, between consecutive Updates, and after the last. */
  activityBatches: number[];
}

interface Stamp {
  seconds?: { toString(): string } | number | null;
  nanos?: number | null;
}
/** A history event's time, in epoch milliseconds. */
export const ms = (t: Stamp | null | undefined) =>
  t ? Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6 : 0;

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * The events of each workflow in the roots' trees (children included), one workflow's at a time; `fetch` reads one
 * workflow's history (`(id) => client.workflow.getHandle(id).fetchHistory()`).
 */
export async function* treeHistories(
  fetch: (workflowId: string) => Promise<History>,
  rootWorkflowIds: string[],
): AsyncGenerator<HistoryEvent[]> {
  const queue = [...rootWorkflowIds];
  while (queue.length) {
    const events = (await fetch(queue.shift()!)).events ?? [];
    for (const event of events) {
      const child = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) queue.push(child);
    }
    yield events;
  }
}

export async function workflowShape(client: Client, rootWorkflowId: string): Promise<WorkflowShape> {
  const activityTimes: number[] = [];
  const updateTimes: number[] = [];
  let workflows = 0;
  let events = 0;
  const fetch = (id: string) => client.workflow.getHandle(id).fetchHistory();
  for await (const history of treeHistories(fetch, [rootWorkflowId])) {
    workflows++;
    for (const event of history) {
      events++;
      const at = ms(event.eventTime);
      if (event.activityTaskScheduledEventAttributes) activityTimes.push(at);
      if (event.workflowExecutionUpdateAcceptedEventAttributes) updateTimes.push(at);
    }
  }
  updateTimes.sort((a, b) => a - b);
  const activityBatches = new Array<number>(updateTimes.length + 1).fill(0);
  for (const at of activityTimes) {
    let k = 0;
    while (k < updateTimes.length && at >= updateTimes[k]) k++;
    activityBatches[k]++;
  }
  return {
    workflows,
    events,
    activities: activityTimes.length,
    updates: updateTimes.length,
    activityBatches,
  };
}
