import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const QueueNames = {
  notifications: 'notifications',
  deliveries: 'deliveries',
  imports: 'imports',
  agreementAlerts: 'agreement-alerts',
  sessionMinimum: 'session-minimum-watch',
} as const;

export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

// Completed jobs are kept a week: BullMQ refuses a job id it still holds, which is what makes
// re-publishing an event (an activity retry) a no-op.
export const defaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** The engine's BullMQ queues, all under one prefix (tests use their own). */
export function createQueues(connection: Redis, prefix: string) {
  const make = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions });
    // Redis being down surfaces where a job is added (and in /readyz); the queue reconnects by itself.
    queue.on('error', () => undefined);
    return queue;
  };
  return {
    notifications: make(QueueNames.notifications),
    deliveries: make(QueueNames.deliveries),
    imports: make(QueueNames.imports),
    agreementAlerts: make(QueueNames.agreementAlerts),
    sessionMinimum: make(QueueNames.sessionMinimum),
    async close() {
      await Promise.all([
        this.notifications.close(),
        this.deliveries.close(),
        this.imports.close(),
        this.agreementAlerts.close(),
        this.sessionMinimum.close(),
      ]);
    },
  };
}

export type Queues = ReturnType<typeof createQueues>;
