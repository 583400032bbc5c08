import { z } from 'zod';
import { notificationContent, NotificationTypes } from '../../domain/notifications';
import { retryFailedDelivery } from '../../jobs/delivery-processor';
import { checkWebhookTarget, webhookPolicy } from '../../jobs/webhook-target';
import { appendAudit } from '../../store/audit-log';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../http/errors';
import { route } from '../http/route';
import {
  deliveriesIn,
  notificationRepository,
  webhookRepository,
  type ListedDelivery,
  type ListedWebhook,
  type NotificationRecord,
} from '../../store/notifications';
import {
  createWebhook,
  deleteWebhook,
  markAllNotificationsRead,
  markNotificationRead,
  type WebhookPorts,
} from '../../app/notifications';

const NotificationView = z
  .object({
    id: z.string(),
    type: z.enum(NotificationTypes),
    title: z.string(),
    body: z.string(),
    pledgeId: z.string().nullable(),
    taskId: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

const toNotificationView = (n: NotificationRecord): z.infer<typeof NotificationView> => ({
  id: n._id,
  ...notificationContent(n),
  createdAt: n.createdAt,
  readAt: n.readAt ?? null,
});

const NotificationListQuery = z.object({
  unread: z.enum(['true', 'false']).optional().describe('Only notifications not yet read'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const NotificationPage = z
  .object({
    items: z.array(NotificationView),
    nextCursor: z.null().describe('Always null: the newest `limit` notifications are the whole list'),
  })
  .meta({ id: 'NotificationPage' });

const MarkAllInput = z
  .object({
    pledgeId: z.string().min(1).max(64).optional().describe('Only the notifications about this pledge'),
  })
  .meta({ id: 'MarkAllReadInput' });
const MarkedRead = z
  .object({ marked: z.number().int().describe('Notifications marked read by this call') })
  .meta({ id: 'MarkedRead' });

const WebhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(NotificationTypes)).describe('The events it receives; empty for every event'),
    active: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .meta({ id: 'Webhook' });
const CreatedWebhook = WebhookView.extend({
  secret: z.string().describe('The signing secret: shown this once, never again'),
}).meta({ id: 'CreatedWebhook' });

// Never exposes the secret: it is returned once, by the POST that created it. Audit entries carry only
// the URL's origin, since some receivers embed their own token in the path.
const toWebhookView = (w: ListedWebhook): z.infer<typeof WebhookView> => ({
  id: w._id,
  url: w.url,
  events: w.events ?? [],
  active: w.active,
  createdBy: w.createdBy ?? null,
  createdAt: w.createdAt ? new Date(w.createdAt).toISOString() : null,
});

const WebhookInput = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(2000),
    events: z
      .array(z.enum(NotificationTypes))
      .max(NotificationTypes.length * 2)
      .optional()
      .describe('The events to receive (see `webhooks`); every event when left out'),
    secret: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(256)
      .optional()
      .describe('The HMAC secret; the engine generates one when left out'),
  })
  .meta({ id: 'WebhookInput' });

const DeliveryState = z.enum(['pending', 'sent', 'failed']);

const DeliveryView = z
  .object({
    id: z.string(),
    eventId: z.string(),
    channel: z.enum(['email', 'webhook']),
    target: z.string(),
    state: DeliveryState,
    attempts: z.number(),
    retries: z.number(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    failedAt: z.string().nullable(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Delivery' });

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null);

const toDeliveryView = (d: ListedDelivery): z.infer<typeof DeliveryView> => ({
  id: d._id,
  eventId: d.eventId,
  channel: d.channel,
  target: d.target,
  state: d.state,
  attempts: d.attempts ?? 0,
  retries: d.retries ?? 0,
  lastError: d.lastError ?? null,
  lastAttemptAt: d.lastAttemptAt ?? null,
  sentAt: d.sentAt ?? null,
  failedAt: d.failedAt ?? null,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

const DeliveryListQuery = z.object({
  state: DeliveryState.default('failed').describe('Deliveries in this state (default failed)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const IdParams = z.object({ id: z.string().min(1).max(300) });

/** The caller's in-app notifications, and the admin's webhooks and delivery ledger. */
export function notificationRoutes({ config, store, queues }: ApiDeps) {
  const notifications = notificationRepository(store.Notification);
  const webhooks = webhookRepository(store.Webhook);
  const webhookPorts: WebhookPorts = {
    webhooks,
    // Checked again at every send: the name may resolve elsewhere by then.
    checkTarget: (url) => checkWebhookTarget(url, webhookPolicy(config)),
    audit: (entry) => appendAudit(store, entry),
  };
  return [
    route({
      method: 'get',
      path: '/notifications',
      operationId: 'listNotifications',
      summary: "The caller's in-app notifications, newest first",
      tag: 'notifications',
      access: 'self:read',
      query: NotificationListQuery,
      responses: { 200: { description: 'Notifications', schema: NotificationPage } },
      handler: async ({ principal, query }) => {
        const docs = await notifications.of(principal.username, {
          unreadOnly: query.unread === 'true',
          limit: query.limit,
        });
        return { status: 200, body: { items: docs.map(toNotificationView), nextCursor: null } };
      },
    }),
    route({
      method: 'post',
      path: '/notifications/:id/read',
      operationId: 'markNotificationRead',
      summary: 'Marks one of the caller’s notifications read',
      tag: 'notifications',
      access: 'self:read',
      params: IdParams,
      responses: { 200: { description: 'The notification', schema: NotificationView } },
      errors: { 404: 'No such notification of yours' },
      handler: async ({ principal, params }) => {
        const read = await markNotificationRead(notifications, principal, params.id);
        return { status: 200, body: toNotificationView(read) };
      },
    }),
    route({
      method: 'post',
      path: '/notifications/read-all',
      operationId: 'markAllNotificationsRead',
      summary: 'Marks every unread notification of the caller read (or those of one pledge)',
      tag: 'notifications',
      access: 'self:read',
      body: MarkAllInput,
      responses: { 200: { description: 'How many were marked read', schema: MarkedRead } },
      handler: async ({ principal, body }) => {
        const marked = await markAllNotificationsRead(notifications, principal, body.pledgeId);
        return { status: 200, body: { marked } };
      },
    }),
    route({
      method: 'get',
      path: '/admin/webhooks',
      operationId: 'listWebhooks',
      summary: 'Webhook subscriptions (secrets are never shown again)',
      tag: 'notifications',
      access: 'webhook:manage',
      responses: {
        200: {
          description: 'Webhooks',
          schema: z.object({ items: z.array(WebhookView) }).meta({ id: 'WebhookList' }),
        },
      },
      handler: async () => {
        return { status: 200, body: { items: (await webhooks.all()).map(toWebhookView) } };
      },
    }),
    route({
      method: 'post',
      path: '/admin/webhooks',
      operationId: 'createWebhook',
      summary: 'Subscribes a URL to events; the signing secret is returned once',
      description: 'What is sent, how it is signed and retried: see the `webhooks` of this document.',
      tag: 'notifications',
      access: 'webhook:manage',
      body: WebhookInput,
      responses: { 201: { description: 'Created', schema: CreatedWebhook } },
      errors: {
        422:
          'The URL is refused: not https in production, or a name or address inside the engine’s network ' +
          '(loopback, private, link-local, multicast, cloud metadata)',
      },
      handler: async ({ principal, body }) => {
        const { secret, ...created } = await createWebhook(webhookPorts, principal, body);
        return { status: 201, body: { ...toWebhookView(created), secret } };
      },
    }),
    route({
      method: 'delete',
      path: '/admin/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Removes a webhook subscription; its pending deliveries fail without retry',
      tag: 'notifications',
      access: 'webhook:manage',
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      errors: { 404: 'No such webhook' },
      handler: async ({ principal, params }) => {
        await deleteWebhook(webhookPorts, principal, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/admin/deliveries',
      operationId: 'listDeliveries',
      summary: 'Email and webhook deliveries by state (failed by default), newest first',
      tag: 'notifications',
      access: 'notification:manage',
      query: DeliveryListQuery,
      responses: {
        200: {
          description: 'Deliveries',
          schema: z.object({ items: z.array(DeliveryView) }).meta({ id: 'DeliveryList' }),
        },
      },
      handler: async ({ query }) => {
        const docs = await deliveriesIn(store.Delivery, query.state, query.limit);
        return { status: 200, body: { items: docs.map(toDeliveryView) } };
      },
    }),
    route({
      method: 'post',
      path: '/admin/deliveries/:id/retry',
      operationId: 'retryDelivery',
      summary: 'Sends a failed delivery again',
      tag: 'notifications',
      access: 'notification:manage',
      params: IdParams,
      responses: {
        202: {
          description: 'Re-enqueued',
          schema: z
            .object({ id: z.string(), jobId: z.string(), state: z.literal('pending') })
            .meta({ id: 'DeliveryRetry' }),
        },
      },
      errors: { 404: 'No such delivery', 409: 'Only a failed delivery is sent again' },
      handler: async ({ principal, params }) => {
        const outcome = await retryFailedDelivery({ config, store, queues }, params.id);
        if (!outcome.ok && outcome.reason === 'not_found') throw notFound(`delivery ${params.id}`);
        if (!outcome.ok)
          throw conflict(`delivery ${params.id} is ${outcome.state}; only failed deliveries are retried`);
        await appendAudit(store, {
          eventId: `delivery.retried:${outcome.jobId}`,
          actor: principal.username,
          action: 'delivery.retried',
          detail: { deliveryId: params.id, jobId: outcome.jobId },
        });
        return { status: 202, body: { id: params.id, jobId: outcome.jobId, state: 'pending' as const } };
      },
    }),
  ];
}
