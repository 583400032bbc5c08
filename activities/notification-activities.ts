import type { NotificationEvent } from '../domain/notifications';
import type { ActivityDeps } from './deps';

/** Hands events to the notification queue; the job id is the event id, so a retry publishes nothing new. */
export function createNotificationActivities({ queues }: ActivityDeps) {
  return {
    async publishEvent(event: NotificationEvent): Promise<void> {
      await queues.notifications.add(event.type, event, { jobId: event.id.replace(/:/g, '_') });
    },
  };
}
