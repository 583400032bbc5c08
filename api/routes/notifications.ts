import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotificationTypes } from '../../domain/notifications';
import { retryFailedDelivery } from '../../jobs/delivery-processor';
import { appendAudit } from '../../store/audit-log';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../http/errors';
import { route } from '../http/route';
import { updateByIdIf } from '../../store/guarded-update';

const NotificationView = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  pledgeId: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

interface NotificationDoc {
  _id: string;
  recipient: string;
  type: string;
  title: string;
  body?: string;
  pledgeId?: string | null;
  taskId?: string | null;
  createdAt: string;
  readAt?: string | null;
}

const toNotificationView = (n: NotificationDoc): z.infer<typeof NotificationView> => ({
  id: n._id,
  type: n.type,
  title: n.title,
  body: n.body ?? '',
  pledgeId: n.pledgeId ?? null,
  taskId: n.taskId ?? null,
  createdAt: n.createdAt,
  readAt: n.readAt ?? null,
});

const NotificationListQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
});

interface WebhookDoc {
  _id: string;
  url: string;
  events?: string[];
  active: boolean;
  createdBy?: string;
  createdAt?: Date;
}

// Never exposes the secret: it is returned once, by the POST that created it. Audit entries carry only
// the URL's origin, since some receivers embed their own token in the path.
const toWebhookView = (w: WebhookDoc): z.infer<typeof WebhookView> => ({
  id: w._id,
  url: w.url,
  events: w.events ?? [],
  active: w.active,
  createdBy: w.createdBy ?? null,
  createdAt: w.createdAt ? new Date(w.createdAt).toISOString() : null,
});

const WebhookInput = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(2000),
  events: z
    .array(z.enum(NotificationTypes))
    .max(NotificationTypes.length * 2)
    .optional(),
  secret: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
});

const DeliveryState = z.enum(['pending', 'sent', 'failed']);

const DeliveryView = z.object({
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
});

interface DeliveryDoc {
  _id: string;
  eventId: string;
  channel: 'email' | 'webhook';
  target: string;
  state: z.infer<typeof DeliveryState>;
  attempts?: number;
  retries?: number;
  lastError?: string | null;
  lastAttemptAt?: string | null;
  sentAt?: string | null;
  failedAt?: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null);

const toDeliveryView = (d: DeliveryDoc): z.infer<typeof DeliveryView> => ({
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
  state: DeliveryState.default('failed'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const IdParams = z.object({ id: z.string().min(1).max(300) });

/** The caller's in-app notifications, and the admin's webhooks and delivery ledger. */
export function notificationRoutes({ config, store, queues }: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/notifications',
      summary: "The caller's in-app notifications, newest first",
      tag: 'notifications',
      access: 'self:read',
      query: NotificationListQuery,
      responses: {
        200: {
          description: 'Notifications',
          schema: z.object({ items: z.array(NotificationView), nextCursor: z.null() }),
        },
      },
      handler: async ({ principal, query }) => {
        const filter: Record<string, unknown> = { recipient: principal.username };
        if (query.unread === 'true') filter.readAt = null;
        const docs = await store.Notification.find(filter)
          .sort({ createdAt: -1, _id: -1 })
          .limit(query.limit)
          .lean<NotificationDoc[]>();
        return { status: 200, body: { items: docs.map(toNotificationView), nextCursor: null } };
      },
    }),
    route({
      method: 'post',
      path: '/notifications/:id/read',
      summary: 'Marks one of the caller’s notifications read',
      tag: 'notifications',
      access: 'self:read',
      params: IdParams,
      responses: { 200: { description: 'The notification', schema: NotificationView } },
      handler: async ({ principal, params }) => {
        // Looked up by `_id` alone (FerretDB scans for anything more), then checked: someone else's is not found.
        const doc = await store.Notification.findById(params.id).lean<NotificationDoc>();
        if (!doc || doc.recipient !== principal.username) throw notFound(`notification ${params.id}`);
        if (doc.readAt) return { status: 200, body: toNotificationView(doc) };
        const readAt = new Date().toISOString();
        // Only the first read sets the time; a concurrent second read changes nothing it would notice.
        await updateByIdIf(
          store.Notification,
          params.id,
          { filter: { readAt: null }, holds: (n: { readAt?: string | null }) => !n.readAt, projection: { readAt: 1 } },
          { $set: { readAt } },
        );
        const fresh = await store.Notification.findById(params.id).lean<NotificationDoc>();
        return { status: 200, body: toNotificationView(fresh ?? { ...doc, readAt }) };
      },
    }),
    route({
      method: 'get',
      path: '/admin/webhooks',
      summary: 'Webhook subscriptions (secrets are never shown again)',
      tag: 'notifications',
      access: 'webhook:manage',
      responses: { 200: { description: 'Webhooks', schema: z.object({ items: z.array(WebhookView) }) } },
      handler: async () => {
        const docs = await store.Webhook.find({}, { secret: 0 })
          .sort({ createdAt: 1, _id: 1 })
          .lean<WebhookDoc[]>();
        return { status: 200, body: { items: docs.map(toWebhookView) } };
      },
    }),
    route({
      method: 'post',
      path: '/admin/webhooks',
      summary: 'Subscribes a URL to events; the signing secret is returned once',
      tag: 'notifications',
      access: 'webhook:manage',
      body: WebhookInput,
      responses: { 201: { description: 'Created', schema: WebhookView.extend({ secret: z.string() }) } },
      handler: async ({ principal, body }) => {
        const id = randomUUID();
        const secret = body.secret ?? randomBytes(32).toString('hex');
        const events = [...new Set(body.events ?? [])];
        await store.Webhook.create({
          _id: id,
          url: body.url,
          secret,
          events,
          active: true,
          createdBy: principal.username,
        });
        await appendAudit(store, {
          eventId: `webhook.created:${id}`,
          actor: principal.username,
          action: 'webhook.created',
          detail: {
            webhookId: id,
            origin: new URL(body.url).origin,
            events,
            secretGenerated: body.secret === undefined,
          },
        });
        const created = await store.Webhook.findById(id, { secret: 0 }).lean<WebhookDoc>();
        return { status: 201, body: { ...toWebhookView(created!), secret } };
      },
    }),
    route({
      method: 'delete',
      path: '/admin/webhooks/:id',
      summary: 'Removes a webhook subscription; its pending deliveries fail without retry',
      tag: 'notifications',
      access: 'webhook:manage',
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ principal, params }) => {
        const hook = await store.Webhook.findById(params.id, { secret: 0 }).lean<WebhookDoc>();
        if (!hook) throw notFound(`webhook ${params.id}`);
        await store.Webhook.deleteOne({ _id: params.id });
        await appendAudit(store, {
          eventId: `webhook.deleted:${params.id}`,
          actor: principal.username,
          action: 'webhook.deleted',
          detail: { webhookId: params.id, origin: new URL(hook.url).origin },
        });
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/admin/deliveries',
      summary: 'Email and webhook deliveries by state (failed by default), newest first',
      tag: 'notifications',
      access: 'notification:manage',
      query: DeliveryListQuery,
      responses: { 200: { description: 'Deliveries', schema: z.object({ items: z.array(DeliveryView) }) } },
      handler: async ({ query }) => {
        const docs = await store.Delivery.find({ state: query.state }, { payload: 0 })
          .sort({ updatedAt: -1, _id: 1 })
          .limit(query.limit)
          .lean<DeliveryDoc[]>();
        return { status: 200, body: { items: docs.map(toDeliveryView) } };
      },
    }),
    route({
      method: 'post',
      path: '/admin/deliveries/:id/retry',
      summary: 'Sends a failed delivery again',
      tag: 'notifications',
      access: 'notification:manage',
      params: IdParams,
      responses: {
        202: {
          description: 'Re-enqueued',
          schema: z.object({ id: z.string(), jobId: z.string(), state: z.literal('pending') }),
        },
      },
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
