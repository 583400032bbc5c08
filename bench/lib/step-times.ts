/**
 * Where a pledge's time in Temporal goes, read from its workflow tree's histories: per activity type, how long
 * its tasks waited to start (queueing on the worker's slots, and earlier attempts with their backoff) and how long
 * the attempt that ended ran; the same for workflow tasks. What a latency figure alone cannot say: whether a step
 * is slow because it works, because it waits its turn, or because it is retried.
 */
import type { temporal } from '@temporalio/proto';
import { ms, treeHistories } from './history';
import { percentile, round } from './stats';

export interface StepTimes {
  /** Activity type, or `workflow task`. */
  step: string;
  /** Tasks that finished (completed, or failed for good). */
  n: number;
  /** Of those, how many ended on a later attempt than their first. */
  retried: number;
  waitP50: number;
  waitP99: number;
  runP50: number;
  runP99: number;
  /** Wait and run summed over every task, in seconds: what the step cost the pledges together. */
  totalSeconds: number;
}

interface Samples {
  wait: number[];
  run: number[];
  retried: number;
}

type History = temporal.api.history.v1.IHistory;

/**
 * Walks each root's workflow tree (children included, `treeHistories`) and sums the time of its tasks per step, counting those
 * scheduled at `since` (epoch ms) or later; `history` fetches one workflow's
 * (`(id) => client.workflow.getHandle(id).fetchHistory()`).
 */
export async function stepTimes(
  history: (workflowId: string) => Promise<History>,
  rootWorkflowIds: string[],
  since = 0,
): Promise<StepTimes[]> {
  const byStep = new Map<string, Samples>();
  const add = (step: string, wait: number, run: number, attempt: number) => {
    const s = byStep.get(step) ?? { wait: [], run: [], retried: 0 };
    s.wait.push(wait);
    s.run.push(run);
    if (attempt > 1) s.retried++;
    byStep.set(step, s);
  };
  for await (const events of treeHistories(history, rootWorkflowIds)) {
    /** Per scheduled event id: its step, when it was scheduled, and when and at which attempt it started. */
    const scheduled = new Map<string, { step: string; at: number; startedAt?: number; attempt?: number }>();
    for (const event of events) {
      const id = String(event.eventId);
      const at = ms(event.eventTime);
      const activity = event.activityTaskScheduledEventAttributes;
      if (activity) scheduled.set(id, { step: activity.activityType?.name ?? '?', at });
      if (event.workflowTaskScheduledEventAttributes) scheduled.set(id, { step: 'workflow task', at });
      const started = event.activityTaskStartedEventAttributes ?? event.workflowTaskStartedEventAttributes;
      if (started) {
        const s = scheduled.get(String(started.scheduledEventId));
        const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
        if (s) Object.assign(s, { startedAt: at, attempt });
      }
      const ended =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.workflowTaskCompletedEventAttributes;
      if (ended) {
        const s = scheduled.get(String(ended.scheduledEventId));
        if (s?.startedAt !== undefined && s.at >= since)
          add(s.step, s.startedAt - s.at, at - s.startedAt, s.attempt ?? 1);
      }
    }
  }
  return [...byStep.entries()]
    .map(([step, s]) => {
      const wait = [...s.wait].sort((a, b) => a - b);
      const run = [...s.run].sort((a, b) => a - b);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return {
        step,
        n: wait.length,
        retried: s.retried,
        waitP50: round(percentile(wait, 50)),
        waitP99: round(percentile(wait, 99)),
        runP50: round(percentile(run, 50)),
        runP99: round(percentile(run, 99)),
        totalSeconds: round((sum(wait) + sum(run)) / 1000, 1),
      };
    })
    .sort((a, b) => b.totalSeconds - a.totalSeconds);
}
