import { randomBytes, randomUUID } from 'node:crypto';
import { DomainFailure } from '../domain/failures';
import type { NotificationType } from '../domain/notifications';
import type { Principal } from '../domain/permissions';
import type { ListedWebhook, NewWebhook, NotificationRecord } from '../store/notifications';

/** Users' in-app notifications, as their recipients read them. */
export interface NotificationRepository {
  one(id: string): Promise<NotificationRecord | null>;
  /** The ids of a recipient's unread notifications, or of those about one pledge. */
  unreadIds(recipient: string, pledgeId?: string): Promise<string[]>;
  /** Sets the read time unless one is set already. */
  markRead(id: string, readAt: string): Promise<void>;
  /** Marks read those of these still unread; how many it marked. */
  markManyRead(ids: string[], readAt: string): Promise<number>;
}

/**
 * Marks one of the principal's notifications read, once: a second read keeps the first read time. Someone
 * else's is `not_found`, as a missing one, so that no one learns which notifications others have.
 */
export async function markNotificationRead(
  notifications: NotificationRepository,
  principal: Principal,
  id: string,
): Promise<NotificationRecord> {
  const found = await notifications.one(id);
  if (!found || found.recipient !== principal.username)
    throw new DomainFailure('not_found', `notification ${id} not found`);
  if (found.readAt) return found;
  const readAt = new Date().toISOString();
  await notifications.markRead(id, readAt);
  return (await notifications.one(id)) ?? { ...found, readAt };
}

/** Marks read every unread notification of the principal (or those about one pledge); how many it marked. */
export async function markAllNotificationsRead(
  notifications: NotificationRepository,
  principal: Principal,
  pledgeId?: string,
): Promise<number> {
  const unread = await notifications.unreadIds(principal.username, pledgeId);
  if (!unread.length) return 0;
  return notifications.markManyRead(unread, new Date().toISOString());
}

/** Webhook subscriptions, as administrators add and remove them; the secret is never read back. */
export interface WebhookRepository {
  one(id: string): Promise<ListedWebhook | null>;
  insert(webhook: NewWebhook): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface WebhookPorts {
  webhooks: WebhookRepository;
  /** Whether the engine may send to the URL: refused inside its own network, or without https in production. */
  checkTarget(url: string): Promise<{ ok: true } | { ok: false; problem: string }>;
  /** Appends to the audit log once per event id. */
  audit(entry: {
    eventId: string;
    actor: string;
    action: string;
    detail: Record<string, unknown>;
  }): Promise<unknown>;
}

export interface WebhookInput {
  url: string;
  events?: NotificationType[];
  secret?: string;
}

/**
 * Subscribes a URL to events (every event when none is named), with the secret given or one generated; the
 * webhook comes back with its secret, shown this once. A URL the engine may not send to is `unprocessable`,
 * naming `url`. The audit keeps only the URL's origin: some receivers embed their own token in the path.
 */
export async function createWebhook(
  ports: WebhookPorts,
  principal: Principal,
  input: WebhookInput,
): Promise<ListedWebhook & { secret: string }> {
  const target = await ports.checkTarget(input.url);
  if (!target.ok)
    throw new DomainFailure('unprocessable', `webhook URL refused: ${target.problem}`, [
      { path: 'url', message: target.problem },
    ]);
  const id = randomUUID();
  const secret = input.secret ?? randomBytes(32).toString('hex');
  const events = [...new Set(input.events ?? [])];
  await ports.webhooks.insert({ _id: id, url: input.url, secret, events, createdBy: principal.username });
  await ports.audit({
    eventId: `webhook.created:${id}`,
    actor: principal.username,
    action: 'webhook.created',
    detail: {
      webhookId: id,
      origin: new URL(input.url).origin,
      events,
      secretGenerated: input.secret === undefined,
    },
  });
  const created = await ports.webhooks.one(id);
  if (!created) throw new DomainFailure('conflict', `webhook ${id} was removed as it was created`);
  return { ...created, secret };
}

/** Removes a webhook subscription (`not_found` when there is none); the audit keeps its URL's origin. */
export async function deleteWebhook(ports: WebhookPorts, principal: Principal, id: string): Promise<void> {
  const hook = await ports.webhooks.one(id);
  if (!hook) throw new DomainFailure('not_found', `webhook ${id} not found`);
  await ports.webhooks.remove(id);
  await ports.audit({
    eventId: `webhook.deleted:${id}`,
    actor: principal.username,
    action: 'webhook.deleted',
    detail: { webhookId: id, origin: new URL(hook.url).origin },
  });
}
