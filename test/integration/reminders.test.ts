import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTaskPolicy } from '../../domain/schemas/task-policy';
import { eventually, startStack, type Stack } from '../support/stack';

interface Mail {
  to: string[];
  raw: string;
}
interface Hook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('reminders and escalation of an overdue review', () => {
  let stack: Stack;
  let smtp: SMTPServer;
  let hooks: Server;
  const mails: Mail[] = [];
  const received: Hook[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    stack = await startStack('reminders', {
      jobsWorker: 'process',
      env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, JOB_LOCK_MS: '2000' },
    });
    // A policy with second-scale SLAs: remind 3 s before a 6 s due date, then escalate to staff.
    await stack.db.collection('policies').insertOne({
      kind: 'tasks',
      version: 2,
      createdBy: 'test',
      document: {
        ...defaultTaskPolicy,
        version: 2,
        compatibility_review: {
          slaSeconds: 6,
          remindBeforeDueSeconds: [3],
          escalateToRoles: ['staff_officer'],
        },
      },
    });
    await stack.db
      .collection('users')
      .updateOne({ username: 'reviewer' }, { $set: { email: 'reviewer@nsatu.test' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((r) => smtp?.close(() => r()));
    await new Promise<void>((r) => hooks?.close(() => r()));
  });

  it('when nobody decides, then one reminder and one escalation reach each person once, by app, email and signed webhook', async () => {
    const admin = await stack.as('admin');
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/nsatu`;
    const webhook = await admin.post('/api/v1/admin/webhooks', {
      url: hookUrl,
      events: ['task.reminder', 'task.escalated'],
    });
    expect(webhook.status).toBe(201);
    const secret: string = webhook.body.secret;

    const fra = await stack.as('liaison.fra');
    const year = new Date().getUTCFullYear() + 1;
    const created = await fra.post('/api/v1/pledges', {
      donor: 'FRA',
      items: [
        { systemId: 'caesar', quantity: 12, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
      ],
      sustainment: { spareParts: true, maintenanceYears: 2 },
    });
    const reviewer = await stack.as('reviewer');
    const task = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${created.body.id}`)).body
          .items[0],
    );
    // The jobs worker crashes around the reminder and comes back: nothing may be lost or doubled.
    await new Promise((r) => setTimeout(r, 2500));
    await stack.killJobsWorker();
    await new Promise((r) => setTimeout(r, 1500));
    await stack.startJobsWorker();

    const escalated = await eventually(async () => {
      const t = (await reviewer.get(`/api/v1/tasks/${task.id}`)).body;
      return t.escalated ? t : undefined;
    });
    expect(escalated.priority).toBe('urgent');
    expect(escalated.candidateRoles).toEqual(expect.arrayContaining(['reviewer', 'staff_officer']));
    const staff = await stack.as('staff');
    expect(
      (await staff.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${created.body.id}`)).body.items,
    ).toHaveLength(1);

    const byType = async (client: typeof reviewer, type: string) =>
      (await client.get('/api/v1/notifications?limit=200')).body.items.filter(
        (n: { type: string; taskId: string }) => n.type === type && n.taskId === task.id,
      );
    await eventually(async () => (await byType(staff, 'task.escalated')).length > 0);
    await new Promise((r) => setTimeout(r, 3000)); // room for any duplicate to show up
    expect(await byType(reviewer, 'task.opened')).toHaveLength(1);
    expect(await byType(reviewer, 'task.reminder')).toHaveLength(1);
    expect(await byType(reviewer, 'task.escalated')).toHaveLength(1);
    expect(await byType(staff, 'task.escalated')).toHaveLength(1);
    expect(await byType(staff, 'task.reminder')).toHaveLength(0);

    const reviewerMails = mails.filter((m) => m.to.includes('reviewer@nsatu.test'));
    expect(reviewerMails.some((m) => /Reminder/.test(m.raw))).toBe(true);

    const reminderHooks = await eventually(async () => {
      const hits = received.filter(
        (h) => h.headers['x-nsatu-event'] === 'task.reminder' && h.body.includes(task.id),
      );
      return hits.length ? hits : undefined;
    });
    expect(reminderHooks).toHaveLength(1);
    const hook = reminderHooks[0];
    const expected = createHmac('sha256', secret)
      .update(`${String(hook.headers['x-nsatu-timestamp'])}.${hook.body}`)
      .digest('hex');
    expect(hook.headers['x-nsatu-signature']).toBe(`sha256=${expected}`);
    const deliveries = new Set(
      received.filter((h) => h.body.includes(task.id)).map((h) => String(h.headers['x-nsatu-delivery'])),
    );
    expect(deliveries.size).toBe(2); // one reminder, one escalation
  });
});
