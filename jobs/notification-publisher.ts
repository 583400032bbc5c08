import type { NotificationEvent } from '../domain/notifications';
import type { Queues } from './queues';

/**
 * Hands notification events to the fan-out queue. The job id is the event id, so publishing an event again (a
 * retried projection) adds nothing.
 */
export const notificationPublisher =
  (queues: Pick<Queues, 'notifications'>) =>
  async (events: NotificationEvent[]): Promise<void> => {
    if (!events.length) return;
    await queues.notifications.addBulk(
      events.map((event) => ({
        name: event.type,
        data: event,
        opts: { jobId: event.id.replace(/:/g, '_') },
      })),
    );
  };
