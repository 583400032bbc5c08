import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';
import { day } from '../support/training';

/** What the web app's decision pages need from the API: redacted timelines, delegates, mark-all-read, one set of date rules. */
describe('the routes behind the decision pages', () => {
  let stack: Stack;
  let staff: HttpClient;
  let reviewer: HttpClient;
  let pledgeId = '';
  let reviewTaskId = '';

  const pledge = (over: Record<string, unknown> = {}) => ({
    donor: 'FRA',
    items: [{ systemId: 'caesar', quantity: 2, deliveryWindow: { from: day(300), to: day(400) } }],
    trainingOffered: true,
    sustainment: { spareParts: true, maintenanceYears: 2 },
    valueEur: 5_000_000,
    ...over,
  });

  beforeAll(async () => {
    stack = await startStack('decision-pages', { jobsWorker: 'inline' });
    [staff, reviewer] = await Promise.all([stack.as('staff'), stack.as('reviewer')]);
    const res = await staff.post('/api/v1/pledges', pledge(), { 'Idempotency-Key': randomUUID() });
    expect(res.status).toBe(202);
    pledgeId = res.body.id;
    reviewTaskId = await eventually(async () => {
      const tasks = await reviewer.get(`/api/v1/tasks?pledgeId=${pledgeId}&kind=compatibility_review`);
      return (tasks.body.items as Array<{ id: string }>)[0]?.id;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('GET /tasks/:id/delegates', () => {
    it('when a candidate asks, then it gets active users who may decide the task, itself left out', async () => {
      const res = await reviewer.get(`/api/v1/tasks/${reviewTaskId}/delegates`);
      expect(res.status).toBe(200);
      const names = (res.body.items as Array<{ username: string; roles: string[] }>).map((u) => u.username);
      expect(names).not.toContain('reviewer');
      for (const u of res.body.items as Array<{ roles: string[] }>) {
        expect(u.roles.some((r) => ['reviewer', 'staff_officer'].includes(r))).toBe(true);
      }
      expect(names).not.toContain('liaison.fra');
      expect(names).not.toContain('auditor');
      // The submitter: separation of duties keeps them off the review.
      expect(names).not.toContain('staff');
    });

    it('when a candidate delegates to the submitter or to nobody known, then 422 naming `to`, and the task stays unassigned', async () => {
      const toSubmitter = await reviewer.post(`/api/v1/tasks/${reviewTaskId}/delegate`, { to: 'staff' });
      expect(toSubmitter.status).toBe(422);
      expect(toSubmitter.body.error.details).toEqual([
        { path: 'to', message: expect.stringContaining('separation of duties') },
      ]);
      const toNobody = await reviewer.post(`/api/v1/tasks/${reviewTaskId}/delegate`, { to: 'nobody.here' });
      expect(toNobody.status).toBe(422);
      expect(toNobody.body.error.details).toEqual([{ path: 'to', message: 'unknown user' }]);
      expect((await reviewer.get(`/api/v1/tasks/${reviewTaskId}`)).body.assignee).toBeNull();
    });

    it('when someone who may not act on the task asks, then it is refused: 403 for a role without the right, 403 for a non-candidate, 404 for another nation', async () => {
      const [auditor, trainer, deu] = await Promise.all([
        stack.as('auditor'),
        stack.as('trainer'),
        stack.as('liaison.deu'),
      ]);
      expect((await auditor.get(`/api/v1/tasks/${reviewTaskId}/delegates`)).status).toBe(403);
      expect((await trainer.get(`/api/v1/tasks/${reviewTaskId}/delegates`)).status).toBe(403);
      expect((await deu.get(`/api/v1/tasks/${reviewTaskId}/delegates`)).status).toBe(404);
      expect((await reviewer.get('/api/v1/tasks/no-such-task/delegates')).status).toBe(404);
    });
  });

  describe('POST /notifications/read-all', () => {
    it('when the reviewer marks all read, then every unread notification is read, once; a second call marks none', async () => {
      await eventually(async () => {
        const unread = await reviewer.get('/api/v1/notifications?unread=true');
        return (unread.body.items as unknown[]).length > 0;
      });
      const first = await reviewer.post('/api/v1/notifications/read-all', {});
      expect(first.status).toBe(200);
      expect(first.body.marked).toBeGreaterThan(0);
      expect((await reviewer.get('/api/v1/notifications?unread=true')).body.items).toEqual([]);
      expect((await reviewer.post('/api/v1/notifications/read-all', {})).body).toEqual({ marked: 0 });
    });

    it('when a pledge is named, then only its notifications are marked; nobody else’s change', async () => {
      const trainer = await stack.as('trainer');
      const res = await staff.post('/api/v1/notifications/read-all', { pledgeId: 'no-such-pledge' });
      expect(res.status).toBe(200);
      expect(res.body.marked).toBe(0);
      expect((await trainer.post('/api/v1/notifications/read-all', { pledgeId: 5 })).status).toBe(400);
    });
  });

  describe('one set of submission rules', () => {
    it.each([
      {
        case: 'a delivery window that began in the past',
        body: {
          items: [{ systemId: 'caesar', quantity: 2, deliveryWindow: { from: day(-3), to: day(40) } }],
        },
        path: 'items.0.deliveryWindow.from',
      },
      {
        case: 'a delivery window that ended in 2020',
        body: {
          items: [
            { systemId: 'caesar', quantity: 2, deliveryWindow: { from: '2020-01-01', to: '2020-06-30' } },
          ],
        },
        path: 'items.0.deliveryWindow.to',
      },
      {
        case: 'a delivery beyond the policy horizon',
        body: {
          items: [{ systemId: 'caesar', quantity: 2, deliveryWindow: { from: day(30), to: day(4000) } }],
        },
        path: 'items.0.deliveryWindow.to',
      },
      {
        // Tranches of one system are separate items with their own windows; one window twice is a duplicate.
        case: 'the same system twice in one delivery window',
        body: {
          items: [
            { systemId: 'caesar', quantity: 2, deliveryWindow: { from: day(30), to: day(60) } },
            { systemId: 'caesar', quantity: 1, deliveryWindow: { from: day(30), to: day(60) } },
          ],
        },
        path: 'items.1.systemId',
      },
      { case: 'a value with cents', body: { valueEur: 12.5 }, path: 'valueEur' },
    ])(
      'when a pledge has $case, then it is a 400 at $path and nothing is created',
      async ({ body, path }) => {
        const res = await staff.post('/api/v1/pledges', pledge(body), { 'Idempotency-Key': randomUUID() });
        expect(res.status).toBe(400);
        expect((res.body.error.details as Array<{ path: string }>).map((d) => d.path)).toContain(path);
      },
    );
  });

  describe('GET /pledges/:id for a donor liaison', () => {
    it('when the reviewer decided with an internal comment, then staff read it and the liaison reads the timeline redacted', async () => {
      const done = await reviewer.post(`/api/v1/tasks/${reviewTaskId}/complete`, {
        decision: 'accept_with_conditions',
        comment: 'internal: the coalition doubts the drone’s datalink',
        conditions: ['A spare datalink per unit'],
      });
      expect(done.status).toBe(200);
      const fra = await stack.as('liaison.fra');
      const [asStaff, asLiaison] = await Promise.all([
        staff.get(`/api/v1/pledges/${pledgeId}`),
        fra.get(`/api/v1/pledges/${pledgeId}`),
      ]);
      expect(asStaff.status).toBe(200);
      expect(JSON.stringify(asStaff.body)).toContain('internal: the coalition');
      expect(asLiaison.status).toBe(200);
      expect(JSON.stringify(asLiaison.body)).not.toContain('internal: the coalition');
      const accepted = (
        asLiaison.body.timeline as Array<{ type: string; detail: object; redacted?: string[] }>
      ).find((e) => e.type === 'review.accepted');
      expect(accepted?.redacted).toContain('comment');
      expect(accepted?.detail).toMatchObject({
        decision: 'accept_with_conditions',
        conditions: ['A spare datalink per unit'],
      });
      const findings = (asLiaison.body.timeline as Array<{ type: string; redacted?: string[] }>).find(
        (e) => e.type === 'review.findings',
      );
      expect(findings?.redacted).toEqual(expect.arrayContaining(['findings', 'score']));
      expect(asLiaison.body.review.decision.comment).toBeNull();
      expect(
        (asStaff.body.timeline as Array<{ redacted?: string[] }>).every((e) => e.redacted === undefined),
      ).toBe(true);
      // The list says no more than the page: its entry is a digest of the review, with no comment or wording.
      const listed = async (client: HttpClient) =>
        (await client.get(`/api/v1/pledges?donor=FRA&limit=100`)).body.items.find(
          (p: { id: string }) => p.id === pledgeId,
        );
      for (const client of [staff, fra]) {
        const entry = await listed(client);
        expect(entry.review.decision).toEqual({
          decision: 'accept_with_conditions',
          by: 'reviewer',
          at: expect.any(String),
        });
        expect(entry.review.findingCounts).toEqual({
          blocker: asStaff.body.review.findings.filter((f: { severity: string }) => f.severity === 'blocker')
            .length,
          warning: asStaff.body.review.findings.filter((f: { severity: string }) => f.severity === 'warning')
            .length,
          info: asStaff.body.review.findings.filter((f: { severity: string }) => f.severity === 'info')
            .length,
        });
        expect(JSON.stringify(entry)).not.toContain('internal: the coalition');
      }
    });
  });
});
