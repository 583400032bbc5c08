import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { NotificationEvent } from '../../domain/notifications';
import { resolveRecipients } from '../../jobs/notification-processor';
import { createStore } from '../../store';
import { eventually, type Stack } from './stack';

export interface InAppCheck {
  events: NotificationEvent[];
  expected: number;
  stored: number;
  duplicates: number;
  lost: string[];
  unexpected: string[];
  failedJobs: number;
}

/**
 * Every notification event published (a completed fan-out job) reached each of its recipients in-app exactly once:
 * waits for the queue to drain, then compares the recipients each event resolves to with what is stored.
 */
export async function checkInAppNotifications(
  stack: Stack,
  redisUrl = stack.config.REDIS_URL,
): Promise<InAppCheck> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('notifications', { connection, prefix: stack.config.QUEUE_PREFIX });
  try {
    let last: Record<string, number> = {};
    const counts = await eventually(
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
    const jobs = await queue.getJobs(['completed'], 0, -1);
    const store = createStore(stack.db);
    const expected = new Set<string>();
    const events = jobs.map((j) => j.data as NotificationEvent);
    for (const event of events)
      for (const r of await resolveRecipients(store, event.recipients))
        expected.add(`${event.id}:${r.username}`);
    const stored = await stack.db
      .collection('notifications')
      .find({}, { projection: { _id: 1, eventId: 1, recipient: 1 } })
      .toArray();
    const storedIds = new Set(stored.map((n) => String(n._id)));
    const pairs = new Map<string, number>();
    for (const n of stored)
      pairs.set(`${n.eventId}|${n.recipient}`, (pairs.get(`${n.eventId}|${n.recipient}`) ?? 0) + 1);
    return {
      events,
      expected: expected.size,
      stored: stored.length,
      duplicates: [...pairs.values()].filter((c) => c > 1).length,
      lost: [...expected].filter((id) => !storedIds.has(id)),
      unexpected: stored.filter((n) => !expected.has(String(n._id))).map((n) => String(n._id)),
      failedJobs: counts.failed,
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
