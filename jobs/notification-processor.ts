import { UnrecoverableError, type Job } from 'bullmq';
import {
  notificationContent,
  NotificationTypes,
  type NotificationEvent,
  type Recipients,
} from '../domain/notifications';
import { roleHolderInScope } from '../domain/tasks';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { DeliveryChannel, DeliveryPayload } from '../store/notifications';
import { userRepository, type DirectoryUser } from '../store/users';
import { deliveryJobId, deliveryJobOptions, type DeliveryJobData } from './delivery-processor';
import type { Queues } from './queues';
import { insertIfAbsent } from '../store/duplicate-key';

export interface NotificationDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queues: Queues;
}

/** A person to notify; `email` is null when they have none (or no user record, e.g. OIDC-only). */
export interface Recipient {
  username: string;
  email: string | null;
}

/**
 * Who hears of an event: the named users (unless deactivated) and every active holder of one of
 * the roles; liaisons only of `nation` when it is set, reviewers only of one of `coalitions` when set. Each person once, in a stable order.
 */
export async function resolveRecipients(store: Store, recipients: Recipients): Promise<Recipient[]> {
  const named = [...new Set(recipients.usernames ?? [])];
  const roles = [...new Set(recipients.roles ?? [])];
  const nation = recipients.nation ?? null;
  const users = userRepository(store.User);
  const [namedUsers, roleUsers] = await Promise.all([
    named.length ? users.named(named) : [],
    roles.length ? users.activeHolders(roles) : [],
  ]);
  const byName = new Map(namedUsers.map((u) => [u.username, u]));
  const result = new Map<string, Recipient>();
  for (const username of named) {
    const user = byName.get(username);
    // No user record is an externally authenticated person: in-app only. A deactivated one hears nothing.
    if (user && !user.active) continue;
    result.set(username, { username, email: user?.email ?? null });
  }
  const qualifies = (u: DirectoryUser) =>
    u.roles.some(
      (r) => roles.includes(r) && roleHolderInScope(r, u, { nation, coalitions: recipients.coalitions }),
    );
  for (const u of roleUsers) {
    if (!result.has(u.username) && qualifies(u))
      result.set(u.username, { username: u.username, email: u.email });
  }
  for (const username of recipients.except ?? []) result.delete(username);
  return [...result.values()].sort((a, b) => a.username.localeCompare(b.username));
}

function assertEvent(data: unknown): asserts data is NotificationEvent {
  const e = data as Partial<NotificationEvent> | null;
  const ok =
    !!e &&
    typeof e.id === 'string' &&
    e.id.length > 0 &&
    NotificationTypes.includes(e.type as NotificationEvent['type']) &&
    typeof e.title === 'string' &&
    typeof e.at === 'string' &&
    typeof e.recipients === 'object' &&
    e.recipients !== null;
  if (!ok) throw new UnrecoverableError('notification job does not carry a NotificationEvent');
}

const payloadOf = (e: NotificationEvent): DeliveryPayload => ({
  id: e.id,
  ...notificationContent(e),
  at: e.at,
});

export interface NotificationOutcome {
  recipients: number;
  created: number;
  deliveries: number;
}

/**
 * Fans one event out: an in-app notification per recipient, then email and webhook deliveries.
 * Every write is keyed by the event id, so processing the same event again adds nothing.
 */
export function createNotificationProcessor({ config, logger, store, queues }: NotificationDeps) {
  return async (job: Job<NotificationEvent>): Promise<NotificationOutcome> => {
    const event = job.data;
    assertEvent(event);
    const recipients = await resolveRecipients(store, event.recipients);

    const inserted = await Promise.all(
      recipients.map((r) =>
        insertIfAbsent(store.Notification, {
          _id: `${event.id}:${r.username}`,
          eventId: event.id,
          recipient: r.username,
          ...notificationContent(event),
          createdAt: event.at,
          readAt: null,
        }),
      ),
    );

    const payload = payloadOf(event);
    const planned: Array<{ id: string; channel: DeliveryChannel; target: string }> = [];
    if (config.SMTP_URL) {
      for (const r of recipients) {
        if (r.email)
          planned.push({ id: `${event.id}:email:${r.username}`, channel: 'email', target: r.username });
      }
    }
    const hooks = await store.Webhook.find({ active: true }, { events: 1 }).lean();
    for (const h of hooks) {
      if (!h.events?.length || h.events.includes(event.type)) {
        planned.push({ id: `${event.id}:webhook:${h._id}`, channel: 'webhook', target: h._id });
      }
    }

    // Ledger row first: if we die before enqueueing, the redelivered event finds the row and enqueues
    // under the same job id, which BullMQ accepts once.
    await Promise.all(
      planned.map((d) =>
        insertIfAbsent(store.Delivery, {
          _id: d.id,
          eventId: event.id,
          channel: d.channel,
          target: d.target,
          state: 'pending',
          payload,
        }),
      ),
    );
    if (planned.length) {
      await queues.deliveries.addBulk(
        planned.map((d) => ({
          name: d.channel,
          data: { deliveryId: d.id } satisfies DeliveryJobData,
          opts: deliveryJobOptions(config, deliveryJobId(d.id)),
        })),
      );
    }
    const outcome = {
      recipients: recipients.length,
      created: inserted.filter(Boolean).length,
      deliveries: planned.length,
    };
    logger.debug({ eventId: event.id, ...outcome }, 'notification event fanned out');
    return outcome;
  };
}
