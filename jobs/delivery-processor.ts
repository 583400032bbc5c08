import { createHmac } from 'node:crypto';
import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import nodemailer from 'nodemailer';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { DeliveryRecord, DeliveryState } from '../store/notifications';
import { userRepository } from '../store/users';
import { emailText } from './email-text';
import type { Queues } from './queues';
import {
  checkWebhookTarget,
  deliveryErrorCategory,
  postPinned,
  systemResolver,
  webhookPolicy,
  type Resolver,
} from './webhook-target';

/** A `deliveries` job carries only the ledger id: the ledger row is the truth about what to send. */
export interface DeliveryJobData {
  deliveryId: string;
}

export interface DeliveryDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** Name resolution of webhook hosts (tests resolve names of their own). */
  resolve?: Resolver;
}

/** BullMQ job id of a delivery: the ledger id (`:` is reserved by BullMQ), plus the admin retry number. */
export function deliveryJobId(deliveryId: string, retry = 0): string {
  const base = deliveryId.replace(/:/g, '_');
  return retry > 0 ? `${base}_retry${retry}` : base;
}

/** Attempts and backoff of a delivery job, from config so tests need not wait minutes. */
export function deliveryJobOptions(
  config: Pick<Config, 'DELIVERY_ATTEMPTS' | 'DELIVERY_BACKOFF_MS'>,
  jobId: string,
): JobsOptions {
  return {
    jobId,
    attempts: config.DELIVERY_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.DELIVERY_BACKOFF_MS },
  };
}

/** `sha256=<hex>` HMAC over `${timestamp}.${rawBody}`: what receivers recompute to trust a webhook. */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export type RetryOutcome =
  | { ok: true; deliveryId: string; jobId: string }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_failed'; state: DeliveryState };

/**
 * Re-enqueues a failed delivery under a fresh job id (BullMQ still holds the failed one).
 * The retry number comes from the row as read, so two concurrent retries pick the same job id
 * and BullMQ keeps one of them.
 */
export async function retryFailedDelivery(
  { config, store, queues }: { config: Config; store: Store; queues: Queues },
  deliveryId: string,
): Promise<RetryOutcome> {
  const row = await store.Delivery.findById(deliveryId).lean();
  if (!row) return { ok: false, reason: 'not_found' };
  if (row.state !== 'failed') return { ok: false, reason: 'not_failed', state: row.state };
  const retry = (row.retries ?? 0) + 1;
  const jobId = deliveryJobId(deliveryId, retry);
  await store.Delivery.updateOne(
    { _id: deliveryId },
    { $set: { state: 'pending', retries: retry, lastError: null, failedAt: null } },
  );
  await queues.deliveries.add(
    row.channel,
    { deliveryId } satisfies DeliveryJobData,
    deliveryJobOptions(config, jobId),
  );
  return { ok: true, deliveryId, jobId };
}

const LEDGER_RETRY_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000];

/** Writes "sent" to the ledger, waiting out a database restart (some 30 s) before giving up. */
async function recordSent(write: () => Promise<unknown>): Promise<void> {
  for (const delay of LEDGER_RETRY_MS) {
    try {
      await write();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  await write();
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

// A Message-ID derived from the ledger id lets a mail system recognise a resend of the same delivery.
const messageIdOf = (deliveryId: string) => `<${deliveryId.replace(/[^A-Za-z0-9._-]/g, '.')}@nsatu-engine>`;

export interface DeliveryProcessor {
  (job: Job<DeliveryJobData>): Promise<{ deliveryId: string; state: DeliveryState; skipped?: boolean }>;
  close(): Promise<void>;
}

/** Sends one email or webhook per job, retried by BullMQ; the ledger row records the outcome. */
export function createDeliveryProcessor({
  config,
  logger,
  store,
  resolve = systemResolver,
}: DeliveryDeps): DeliveryProcessor {
  const policy = webhookPolicy(config);
  const mailer = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;

  async function sendEmail(row: DeliveryRecord): Promise<void> {
    if (!mailer) throw new UnrecoverableError('email delivery without SMTP_URL configured');
    const user = await userRepository(store.User).byName(row.target);
    if (!user || !user.active || !user.email)
      throw new UnrecoverableError(`user ${row.target} is gone or has no email address`);
    await mailer.sendMail({
      from: config.MAIL_FROM,
      to: user.email,
      subject: row.payload.title,
      text: emailText(row.payload, config.PUBLIC_URL),
      messageId: messageIdOf(row._id),
      headers: { 'X-NSATU-Event': row.payload.type, 'X-NSATU-Delivery': row._id },
    });
  }

  async function sendWebhook(row: DeliveryRecord): Promise<void> {
    const hook = await store.Webhook.findById(row.target).lean();
    if (!hook || !hook.active) throw new UnrecoverableError(`webhook ${row.target} was deleted`);
    const { id, type, title, body, pledgeId, taskId, at } = row.payload;
    const rawBody = JSON.stringify({ id, type, title, body, pledgeId, taskId, at });
    const timestamp = Math.floor(Date.now() / 1000).toString();
    // Checked again at every send: the name may resolve somewhere else since the webhook was registered.
    const target = await checkWebhookTarget(hook.url, policy, resolve);
    if (!target.ok) throw new UnrecoverableError(`refused: ${target.problem}`);
    const status = await postPinned(
      target,
      {
        'Content-Type': 'application/json',
        'X-NSATU-Event': type,
        'X-NSATU-Delivery': row._id,
        'X-NSATU-Timestamp': timestamp,
        'X-NSATU-Signature': signWebhook(hook.secret, timestamp, rawBody),
      },
      rawBody,
      config.WEBHOOK_TIMEOUT_MS,
    );
    if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
  }

  const processor = async (job: Job<DeliveryJobData>) => {
    const { deliveryId } = job.data;
    const row = await store.Delivery.findById(deliveryId).lean();
    if (!row) throw new UnrecoverableError(`delivery ${deliveryId} has no ledger row`);
    if (row.state === 'sent') return { deliveryId, state: row.state, skipped: true };
    try {
      if (row.channel === 'email') await sendEmail(row);
      else await sendWebhook(row);
    } catch (err) {
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const now = new Date().toISOString();
      await store.Delivery.updateOne(
        { _id: deliveryId },
        {
          $set: {
            state: final ? 'failed' : 'pending',
            lastError: row.channel === 'webhook' ? deliveryErrorCategory(err) : errorText(err),
            lastAttemptAt: now,
            ...(final ? { failedAt: now } : {}),
          },
          $inc: { attempts: 1 },
        },
      ).catch((ledgerErr: unknown) =>
        logger.error({ err: ledgerErr, deliveryId }, 'could not record a delivery failure'),
      );
      throw err;
    }
    const now = new Date().toISOString();
    // The message is out: a failed ledger write must not fail the job, or the retry would send it again.
    await recordSent(() =>
      store.Delivery.updateOne(
        { _id: deliveryId },
        { $set: { state: 'sent', sentAt: now, lastAttemptAt: now, lastError: null }, $inc: { attempts: 1 } },
      ),
    );
    return { deliveryId, state: 'sent' as const };
  };

  return Object.assign(processor, {
    async close() {
      mailer?.close();
    },
  });
}
