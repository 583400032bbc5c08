import { Schema, type Connection } from 'mongoose';
import type { NotificationEvent, NotificationType } from '../domain/notifications';
import { updateByIdIf } from './guarded-update';

/** An in-app notification as stored; the optional fields may be absent from older records. */
export interface NotificationRecord {
  _id: string;
  eventId: string;
  recipient: string;
  type: NotificationType;
  title: string;
  body?: string;
  pledgeId?: string | null;
  taskId?: string | null;
  createdAt: string;
  readAt?: string | null;
}

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryState = 'pending' | 'sent' | 'failed';

/** What a delivery sends: the event as webhooks see it (also the email's content); recipients stay inside. */
export type DeliveryPayload = Omit<NotificationEvent, 'recipients'>;

/** A delivery's ledger row as stored; the optional fields may be absent from older rows. */
export interface DeliveryRecord {
  _id: string;
  eventId: string;
  channel: DeliveryChannel;
  target: string;
  state: DeliveryState;
  attempts: number;
  retries?: number;
  lastError: string | null;
  lastAttemptAt?: string | null;
  sentAt?: string | null;
  failedAt?: string | null;
  payload: DeliveryPayload;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A delivery as listed: without its payload. */
export type ListedDelivery = Omit<DeliveryRecord, 'payload'>;

/** A webhook subscription as stored. */
export interface WebhookRecord {
  _id: string;
  url: string;
  secret: string;
  /** The events it receives; none (or absent) means every event. */
  events?: NotificationType[];
  active: boolean;
  createdBy?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A webhook as shown: its secret is never read back. */
export type ListedWebhook = Omit<WebhookRecord, 'secret'>;

/** In-app notifications; `_id` = event id + recipient, so a redelivered event adds nothing. */
export const notificationSchema = new Schema<NotificationRecord>(
  {
    _id: String,
    eventId: { type: String, required: true },
    recipient: { type: String, required: true, index: true },
    type: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    pledgeId: { type: String, default: null },
    taskId: { type: String, default: null },
    createdAt: { type: String, required: true },
    readAt: { type: String, default: null },
  },
  { strict: true, versionKey: false },
);

/** One record per (event, channel, target): the exactly-once ledger for email and webhooks. */
export const deliverySchema = new Schema<DeliveryRecord>(
  {
    _id: String,
    eventId: { type: String, required: true, index: true },
    channel: { type: String, enum: ['email', 'webhook'], required: true },
    target: { type: String, required: true },
    state: { type: String, enum: ['pending', 'sent', 'failed'], required: true, index: true },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    // Admin retries so far; each retry runs under its own job id (`…_retry<n>`).
    retries: { type: Number, default: 0 },
    lastAttemptAt: { type: String, default: null },
    sentAt: { type: String, default: null },
    failedAt: { type: String, default: null },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  { strict: true, versionKey: false, timestamps: true, minimize: false },
);

export const webhookSchema = new Schema<WebhookRecord>(
  {
    _id: String,
    url: { type: String, required: true },
    secret: { type: String, required: true },
    events: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    createdBy: String,
  },
  { strict: true, versionKey: false, timestamps: true },
);

export const notificationModels = (c: Connection) => ({
  Notification: c.model<NotificationRecord>('Notification', notificationSchema, 'notifications'),
  Delivery: c.model<DeliveryRecord>('Delivery', deliverySchema, 'deliveries'),
  Webhook: c.model<WebhookRecord>('Webhook', webhookSchema, 'webhooks'),
});

type Models = ReturnType<typeof notificationModels>;
type NotificationModel = Models['Notification'];

/** Users' in-app notifications, read by recipient and marked read. */
export function notificationRepository(Notification: NotificationModel) {
  return {
    /** A recipient's notifications, newest first: all of them, or only the unread. */
    async of(
      recipient: string,
      { unreadOnly, limit }: { unreadOnly: boolean; limit: number },
    ): Promise<NotificationRecord[]> {
      const filter: Record<string, unknown> = { recipient };
      if (unreadOnly) filter.readAt = null;
      return Notification.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
    },
    /** The ids of a recipient's unread notifications, or of those about one pledge. */
    async unreadIds(recipient: string, pledgeId?: string): Promise<string[]> {
      const filter: Record<string, unknown> = { recipient, readAt: null };
      if (pledgeId) filter.pledgeId = pledgeId;
      return (await Notification.find(filter, { _id: 1 }).lean()).map((n) => n._id);
    },
    // By `_id` alone: FerretDB scans for anything more.
    one: async (id: string): Promise<NotificationRecord | null> => Notification.findById(id).lean(),
    /** Sets the read time unless one is set: a concurrent second read keeps the first. */
    async markRead(id: string, readAt: string): Promise<void> {
      await updateByIdIf(
        Notification,
        id,
        {
          filter: { readAt: null },
          holds: (n: { readAt?: string | null }) => !n.readAt,
          projection: { readAt: 1 },
        },
        { $set: { readAt } },
      );
    },
    /** Marks read those of these that are still unread (by id); how many it marked. */
    async markManyRead(ids: string[], readAt: string): Promise<number> {
      const result = await Notification.updateMany({ _id: { $in: ids }, readAt: null }, { $set: { readAt } });
      return result.modifiedCount;
    },
  };
}

/** A new webhook subscription, as its creator states it. */
export type NewWebhook = Pick<WebhookRecord, '_id' | 'url' | 'secret' | 'events' | 'createdBy'>;

/** Webhook subscriptions; what is read back never carries the secret. */
export function webhookRepository(Webhook: Models['Webhook']) {
  return {
    /** Every subscription, oldest first. */
    all: (): Promise<ListedWebhook[]> =>
      Webhook.find({}, { secret: 0 }).sort({ createdAt: 1, _id: 1 }).lean<ListedWebhook[]>(),
    one: (id: string): Promise<ListedWebhook | null> =>
      Webhook.findById(id, { secret: 0 }).lean<ListedWebhook>(),
    /** Stores an active subscription. */
    async insert(webhook: NewWebhook): Promise<void> {
      await Webhook.create({ ...webhook, active: true });
    },
    async remove(id: string): Promise<void> {
      await Webhook.deleteOne({ _id: id });
    },
  };
}

/** The delivery ledger as administrators list it: newest first, without payloads. */
export const deliveriesIn = (Delivery: Models['Delivery'], state: DeliveryState, limit: number) =>
  Delivery.find({ state }, { payload: 0 })
    .sort({ updatedAt: -1, _id: 1 })
    .limit(limit)
    .lean<ListedDelivery[]>();
