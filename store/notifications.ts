import { Schema, type Connection } from 'mongoose';

/** In-app notifications; `_id` = event id + recipient, so a redelivered event adds nothing. */
export const notificationSchema = new Schema(
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
export const deliverySchema = new Schema(
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

export const webhookSchema = new Schema(
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
  Notification: c.model('Notification', notificationSchema, 'notifications'),
  Delivery: c.model('Delivery', deliverySchema, 'deliveries'),
  Webhook: c.model('Webhook', webhookSchema, 'webhooks'),
});
