import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { NotificationEvent } from '../../domain/notifications';
import { resolveRecipients } from '../../jobs/notification-processor';
import { createStore } from '../../store';
import { eventually, type Stack } from './stack';

export interface InAppCheck {
  /** The events of every completed fan-out job, as of the end of the check. */
  events: NotificationEvent[];
  expected: number;
  stored: number;
  duplicates: number;
  lost: string[];
  unexpected: string[];
  failedJobs: number;
}

/** Waits until no notification job is waiting, active or delayed; answers the job counts. */
async function drained(queue: Queue): Promise<Record<string, number>> {
  let last: Record<string, number> = {};
  return eventually(
    async () => {
      const c = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'completed',
        'prioritized',
      );
      last = c;
      return c.waiting + c.active + c.delayed + c.prioritized === 0 ? c : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  ).catch((err: unknown) => {
    throw new Error(`the notification queue did not drain: ${JSON.stringify(last)} (${String(err)})`);
  });
}

/**
 * Every notification event published (a completed fan-out job) reached each of its recipients in-app exactly once.
 *
 * Timers keep firing while the check runs (a reminder of a task still open), so it reads in three steps: the jobs
 * completed before the stored notifications are read must all be stored (nothing lost), and whatever is stored must
 * come from a job that has completed by the end (nothing unexpected). One snapshot of each would blame a reminder
 * fanned out between the two reads.
 */
export async function checkInAppNotifications(
  stack: Stack,
  redisUrl = stack.config.REDIS_URL,
): Promise<InAppCheck> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('notifications', { connection, prefix: stack.config.QUEUE_PREFIX });
  const store = createStore(stack.db);
  const recipientIds = async (jobs: Job[]) => {
    const ids = new Set<string>();
    for (const job of jobs) {
      const event = job.data as NotificationEvent;
      for (const r of await resolveRecipients(store, event.recipients)) ids.add(`${event.id}:${r.username}`);
    }
    return ids;
  };
  try {
    await drained(queue);
    const before = await recipientIds(await queue.getJobs(['completed'], 0, -1));
    const stored = await stack.db
      .collection('notifications')
      .find({}, { projection: { _id: 1, eventId: 1, recipient: 1 } })
      .toArray();
    const counts = await drained(queue);
    const jobsAfter = await queue.getJobs(['completed'], 0, -1);
    const after = await recipientIds(jobsAfter);

    const storedIds = new Set(stored.map((n) => String(n._id)));
    const pairs = new Map<string, number>();
    for (const n of stored)
      pairs.set(`${n.eventId}|${n.recipient}`, (pairs.get(`${n.eventId}|${n.recipient}`) ?? 0) + 1);
    return {
      events: jobsAfter.map((j) => j.data as NotificationEvent),
      expected: before.size,
      stored: stored.length,
      duplicates: [...pairs.values()].filter((c) => c > 1).length,
      lost: [...before].filter((id) => !storedIds.has(id)),
      unexpected: stored.filter((n) => !after.has(String(n._id))).map((n) => String(n._id)),
      failedJobs: counts.failed,
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
