import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startApi, type RunningApi } from '../../api/server';
import type { NotificationEvent } from '../../domain/notifications';
import type { Role } from '../../domain/schemas/common';
import { loadConfig } from '../../infra/config';
import { deliveryJobId, deliveryJobOptions } from '../../jobs/delivery-processor';
import { notificationPublisher } from '../../jobs/notification-publisher';
import { start as startJobsWorker, type RunningJobsWorker } from '../../worker/jobs-worker';

// Real services: FerretDB, Redis and Temporal (the API connects to it) must be running.
const DB_NAME = `nsatu_test_notif_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const MONGODB_URI = `mongodb://127.0.0.1:27017/${DB_NAME}`;
// QUEUE_PREFIX is limited to 40 characters, so the UUID loses its dashes.
const QUEUE_PREFIX = `test-${randomUUID().replace(/-/g, '')}`;

interface Mail {
  to: string[];
  raw: string;
}
interface Hook {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

const mails: Mail[] = [];
const hooks: Hook[] = [];
const hookStatus = new Map<string, number>();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      mails.push({
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    hooks.push({ path, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
    res.statusCode = hookStatus.get(path) ?? 200;
    res.end();
  });
});

let api: RunningApi;
let worker: RunningJobsWorker;
let hookBase: string;

const listen = (
  server: { listen(port: number, host: string, cb: () => void): unknown },
  addr: () => AddressInfo,
) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve(addr().port)));

async function waitFor<T>(
  probe: () => Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const store = () => api.deps.store;
const queues = () => api.deps.queues;

async function seedUser(
  username: string,
  roles: Role[],
  extra: { nation?: string; email?: string; active?: boolean } = {},
) {
  await store().User.create({
    username,
    passwordHash: 'not-a-real-hash',
    displayName: username,
    roles,
    nation: extra.nation ?? null,
    email: extra.email ?? null,
    active: extra.active ?? true,
  });
}

async function call(
  method: string,
  path: string,
  as: { username: string; roles: Role[]; nation?: string | null },
  body?: unknown,
) {
  // Tokens are checked against the user record: every caller here is a seeded (or demo) user.
  const token = await api.deps.tokens.issue({ username: as.username, tokenVersion: 0 });
  const res = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text
      ? (JSON.parse(text) as Record<string, unknown> & { items?: Array<Record<string, unknown>> })
      : null,
  };
}

const admin = { username: 'admin1', roles: ['admin'] as Role[] };

function eventOf(
  over: Partial<NotificationEvent> & Pick<NotificationEvent, 'type' | 'recipients'>,
): NotificationEvent {
  const id = over.id ?? `evt:${randomUUID()}`;
  return {
    id,
    title: `Title ${id.slice(-8)}`,
    body: 'Something happened.',
    pledgeId: 'pl-1',
    taskId: 'tk-1',
    at: new Date().toISOString(),
    ...over,
  };
}

async function publish(event: NotificationEvent) {
  await notificationPublisher(queues())([event]);
}

const jobCompleted = (jobId: string) => async () =>
  (await queues().notifications.getJobState(jobId)) === 'completed';
const deliveryRow = (id: string) => store().Delivery.findById(id).lean();
const hmac = (secret: string, h: Hook) =>
  `sha256=${createHmac('sha256', secret)
    .update(`${h.headers['x-nsatu-timestamp'] as string}.${h.raw}`)
    .digest('hex')}`;

beforeAll(async () => {
  const smtpPort = await listen(smtp.server, () => smtp.server.address() as AddressInfo);
  const hookPort = await listen(receiver, () => receiver.address() as AddressInfo);
  hookBase = `http://127.0.0.1:${hookPort}`;
  const config = loadConfig({
    ...process.env,
    // Tokens signed with the demo secret; the webhook receiver listens on this machine.
    NODE_ENV: 'test',
    AUTH_MODE: 'demo',
    WEBHOOK_ALLOW_INTERNAL_ADDRESSES: 'true',
    MONGODB_URI,
    QUEUE_PREFIX,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    LOG_LEVEL: 'warn',
    PORT: '0',
    DELIVERY_ATTEMPTS: '3',
    DELIVERY_BACKOFF_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
  });
  api = await startApi(config);
  worker = await startJobsWorker(config);
  await seedUser('rev-anna', ['reviewer'], { email: 'anna@example.test' });
  await seedUser('rev-ben', ['reviewer', 'staff_officer'], { email: 'ben@example.test' });
  await seedUser('rev-carl', ['reviewer']);
  await seedUser('rev-gone', ['reviewer'], { email: 'gone@example.test', active: false });
  await seedUser('staff-dora', ['staff_officer'], { email: 'dora@example.test' });
  await seedUser('liaison-fra-1', ['donor_liaison'], { nation: 'FRA' });
  await seedUser('liaison-fra-2', ['donor_liaison'], { nation: 'FRA' });
  await seedUser('liaison-deu', ['donor_liaison'], { nation: 'DEU' });
  await seedUser(admin.username, admin.roles);
});

afterAll(async () => {
  await worker?.stop();
  if (api) {
    for (const q of [queues().notifications, queues().deliveries, queues().imports])
      await q.obliterate({ force: true });
    await api.stop();
  }
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('notifications', () => {
  it('when a reviewer event is published three times and processed twice, then each active reviewer has it once in-app and by email', async () => {
    const event = eventOf({
      type: 'task.opened',
      recipients: { roles: ['reviewer'] },
      title: 'Review pledge PL-42',
    });
    const jobId = event.id.replace(/:/g, '_');

    await publish(event);
    await publish(event);
    await publish(event);
    await waitFor(jobCompleted(jobId), 'the event job');
    // A second processing of the same event, as after a lost acknowledgement.
    await queues().notifications.add(event.type, event, { jobId: `${jobId}_again` });
    await waitFor(jobCompleted(`${jobId}_again`), 'the second processing');

    const first = await queues().notifications.getJob(jobId);
    const second = await queues().notifications.getJob(`${jobId}_again`);
    expect(first?.returnvalue).toEqual({ recipients: 3, created: 3, deliveries: 2 });
    expect(second?.returnvalue).toEqual({ recipients: 3, created: 0, deliveries: 2 });
    const docs = await store().Notification.find({ eventId: event.id }).lean();
    expect(docs.map((d) => d.recipient).sort()).toEqual(['rev-anna', 'rev-ben', 'rev-carl']);

    const forEvent = () => mails.filter((m) => m.raw.includes('Subject: Review pledge PL-42'));
    await waitFor(async () => forEvent().length >= 2, 'two emails');
    await waitFor(
      async () =>
        (await store().Delivery.countDocuments({ eventId: event.id, channel: 'email', state: 'sent' })) === 2,
      'the email ledger',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      forEvent()
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['anna@example.test', 'ben@example.test']);
    expect(forEvent()[0].raw).toContain('Pledge: pl-1');
    expect(forEvent()[0].raw).toContain('Task: tk-1');
    // Times are written for people, not as ISO timestamps (test/unit/email-text.test.ts reads the text itself).
    expect(forEvent()[0].raw).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    const anna = { username: 'rev-anna', roles: ['reviewer'] as Role[] };
    const list = await call('get', '/notifications?unread=true', anna);
    expect(list.status).toBe(200);
    expect(list.body?.items?.filter((n) => n.id === `${event.id}:rev-anna`)).toHaveLength(1);
    expect(list.body?.items?.every((n) => String(n.id).endsWith(':rev-anna'))).toBe(true);
  });

  it('when an event targets FRA donor liaisons, then only FRA liaisons (and named users) are notified, and each reads only their own', async () => {
    const event = eventOf({
      type: 'pledge.status',
      recipients: { roles: ['donor_liaison'], nation: 'FRA', usernames: ['staff-dora'] },
    });

    await publish(event);
    await waitFor(jobCompleted(event.id.replace(/:/g, '_')), 'the event job');

    const docs = await store().Notification.find({ eventId: event.id }).lean();
    expect(docs.map((d) => d.recipient).sort()).toEqual(['liaison-fra-1', 'liaison-fra-2', 'staff-dora']);
    const fra = { username: 'liaison-fra-1', roles: ['donor_liaison'] as Role[], nation: 'FRA' };
    const deu = { username: 'liaison-deu', roles: ['donor_liaison'] as Role[], nation: 'DEU' };
    const id = encodeURIComponent(`${event.id}:liaison-fra-1`);
    expect((await call('post', `/notifications/${id}/read`, deu)).status).toBe(404);
    const read = await call('post', `/notifications/${id}/read`, fra);
    expect(read.status).toBe(200);
    expect(read.body?.readAt).toEqual(expect.any(String));
    const unread = await call('get', '/notifications?unread=true', fra);
    expect(unread.body?.items?.some((n) => n.id === `${event.id}:liaison-fra-1`)).toBe(false);
    const all = await call('get', '/notifications', fra);
    expect(all.body?.items?.some((n) => n.id === `${event.id}:liaison-fra-1`)).toBe(true);
  });

  it('when a webhook is subscribed, then it receives a signed POST that verifies with its secret only', async () => {
    const created = await call('post', '/admin/webhooks', admin, {
      url: `${hookBase}/signed`,
      events: ['pledge.decision'],
    });
    expect(created.status).toBe(201);
    const secret = created.body?.secret as string;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const listed = await call('get', '/admin/webhooks', admin);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const audit = await store().Audit.find({ action: 'webhook.created' }).lean();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(secret);

    const event = eventOf({ type: 'pledge.decision', recipients: { usernames: ['staff-dora'] } });
    await publish(event);
    const hook = await waitFor(
      async () => hooks.find((h) => h.path === '/signed' && h.raw.includes(event.id)),
      'the webhook',
    );

    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-nsatu-event']).toBe('pledge.decision');
    expect(hook.headers['x-nsatu-delivery']).toBe(`${event.id}:webhook:${created.body?.id as string}`);
    expect(Math.abs(Number(hook.headers['x-nsatu-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(hook.headers['x-nsatu-signature']).toBe(hmac(secret, hook));
    expect(hook.headers['x-nsatu-signature']).not.toBe(hmac('a-wrong-secret-of-some-length', hook));
    expect(JSON.parse(hook.raw)).toEqual({
      id: event.id,
      type: event.type,
      title: event.title,
      body: event.body,
      pledgeId: event.pledgeId,
      taskId: event.taskId,
      at: event.at,
    });
  });

  it('when a webhook endpoint answers 500, then the delivery is retried, ends failed, and an admin retry sends it once the endpoint recovers', async () => {
    hookStatus.set('/flaky', 500);
    const created = await call('post', '/admin/webhooks', admin, {
      url: `${hookBase}/flaky`,
      events: ['task.reminder'],
      secret: 'a-chosen-secret-0123456789',
    });
    expect(created.status).toBe(201);
    const event = eventOf({ type: 'task.reminder', recipients: { usernames: ['rev-carl'] } });
    const deliveryId = `${event.id}:webhook:${created.body?.id as string}`;

    await publish(event);
    const failed = await waitFor(async () => {
      const row = await deliveryRow(deliveryId);
      return row?.state === 'failed' ? row : undefined;
    }, 'the delivery to fail');

    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toContain('HTTP 500');
    expect(hooks.filter((h) => h.headers['x-nsatu-delivery'] === deliveryId)).toHaveLength(3);
    const listed = await call('get', '/admin/deliveries?state=failed', admin);
    expect(listed.body?.items?.map((d) => d.id)).toContain(deliveryId);

    hookStatus.set('/flaky', 200);
    const retried = await call('post', `/admin/deliveries/${encodeURIComponent(deliveryId)}/retry`, admin);
    expect(retried.status).toBe(202);
    await waitFor(async () => (await deliveryRow(deliveryId))?.state === 'sent', 'the retried delivery');

    const sent = hooks.filter((h) => h.headers['x-nsatu-delivery'] === deliveryId);
    expect(sent).toHaveLength(4);
    expect(sent[3].headers['x-nsatu-signature']).toBe(hmac('a-chosen-secret-0123456789', sent[3]));
    expect(
      (await call('post', `/admin/deliveries/${encodeURIComponent(deliveryId)}/retry`, admin)).status,
    ).toBe(409);
    expect(await store().Audit.countDocuments({ action: 'delivery.retried' })).toBe(1);
  });

  it('when a webhook is deleted, then its queued delivery fails at once without retries', async () => {
    const created = await call('post', '/admin/webhooks', admin, {
      url: `${hookBase}/deleted`,
      events: ['task.escalated'],
    });
    const hookId = created.body?.id as string;
    expect((await call('delete', `/admin/webhooks/${hookId}`, admin)).status).toBe(204);
    expect((await call('delete', `/admin/webhooks/${hookId}`, admin)).status).toBe(404);
    const deliveryId = `evt:${randomUUID()}:webhook:${hookId}`;
    await store().Delivery.create({
      _id: deliveryId,
      eventId: 'evt:deleted',
      channel: 'webhook',
      target: hookId,
      state: 'pending',
      payload: eventOf({ type: 'task.escalated', recipients: {} }),
    });

    await queues().deliveries.add(
      'webhook',
      { deliveryId },
      deliveryJobOptions(api.deps.config, deliveryJobId(deliveryId)),
    );

    const row = await waitFor(async () => {
      const r = await deliveryRow(deliveryId);
      return r?.state === 'failed' ? r : undefined;
    }, 'the delivery to fail');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('deleted');
    expect(hooks.some((h) => h.path === '/deleted')).toBe(false);
  });

  it('when a webhook is created with a non-http URL or a short secret, then 400', async () => {
    expect((await call('post', '/admin/webhooks', admin, { url: 'ftp://example.test/x' })).status).toBe(400);
    expect(
      (await call('post', '/admin/webhooks', admin, { url: `${hookBase}/x`, secret: 'short' })).status,
    ).toBe(400);
    expect(
      (await call('post', '/admin/webhooks', admin, { url: `${hookBase}/x`, events: ['no.such'] })).status,
    ).toBe(400);
    expect((await call('get', '/admin/webhooks', { username: 'rev-anna', roles: ['reviewer'] })).status).toBe(
      403,
    );
  });
});
