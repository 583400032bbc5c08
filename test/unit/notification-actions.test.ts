import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { ListedWebhook, NotificationRecord } from '../../store/notifications';
import {
  createWebhook,
  deleteWebhook,
  markAllNotificationsRead,
  markNotificationRead,
  type NotificationRepository,
  type WebhookPorts,
} from '../../app/notifications';

const ana: Principal = { username: 'ana', roles: ['staff_officer'], nation: null };
const admin: Principal = { username: 'root', roles: ['admin'], nation: null };

const notification = (id: string, fields: Partial<NotificationRecord> = {}): NotificationRecord => ({
  _id: id,
  eventId: `e-${id}`,
  recipient: 'ana',
  type: 'task.opened',
  title: 'A task for you',
  createdAt: '2030-01-01T00:00:00.000Z',
  readAt: null,
  ...fields,
});

/** Notifications in memory; `marked` lists each id the use cases set a read time on. */
function fakeNotifications(records: NotificationRecord[]) {
  const held = new Map(records.map((n) => [n._id, n]));
  const marked: string[] = [];
  const repository: NotificationRepository = {
    one: async (id) => held.get(id) ?? null,
    unreadIds: async (recipient, pledgeId) =>
      [...held.values()]
        .filter((n) => n.recipient === recipient && !n.readAt && (!pledgeId || n.pledgeId === pledgeId))
        .map((n) => n._id),
    markRead: async (id, readAt) => {
      marked.push(id);
      held.set(id, { ...held.get(id)!, readAt });
    },
    markManyRead: async (ids, readAt) => {
      marked.push(...ids);
      for (const id of ids) held.set(id, { ...held.get(id)!, readAt });
      return ids.length;
    },
  };
  return { repository, held, marked };
}

describe('marking a notification read', () => {
  it("when it is someone else's, then not_found as a missing one, and it stays unread", async () => {
    const fake = fakeNotifications([notification('n1', { recipient: 'bo' })]);
    for (const id of ['n1', 'n2']) {
      const refused = await refusal(markNotificationRead(fake.repository, ana, id));
      expect(refused).toMatchObject({ kind: 'not_found', message: `notification ${id} not found` });
    }
    expect(fake.marked).toEqual([]);
  });

  it('when it is unread, then it gets a read time; read again, it keeps the first', async () => {
    const fake = fakeNotifications([notification('n1')]);
    const first = await markNotificationRead(fake.repository, ana, 'n1');
    expect(first.readAt).toEqual(expect.any(String));
    expect(await markNotificationRead(fake.repository, ana, 'n1')).toEqual(first);
    expect(fake.marked).toEqual(['n1']);
  });

  it("when all are marked, then only the principal's unread ones (of the pledge named) are", async () => {
    const fake = fakeNotifications([
      notification('n1', { pledgeId: 'P1' }),
      notification('n2', { pledgeId: 'P2' }),
      notification('n3', { recipient: 'bo' }),
      notification('n4', { readAt: '2030-01-02T00:00:00.000Z' }),
    ]);
    expect(await markAllNotificationsRead(fake.repository, ana, 'P1')).toBe(1);
    expect(await markAllNotificationsRead(fake.repository, ana)).toBe(1);
    expect(await markAllNotificationsRead(fake.repository, ana)).toBe(0);
    expect(fake.marked).toEqual(['n1', 'n2']);
  });
});

/** Webhooks in memory, a target check that refuses one host, and every audit entry written. */
function fakeWebhooks(stored: ListedWebhook[] = []) {
  const held = new Map<string, ListedWebhook & { secret?: string }>(stored.map((w) => [w._id, w]));
  const audited: Array<{ eventId: string; action: string; detail: Record<string, unknown> }> = [];
  const ports: WebhookPorts = {
    webhooks: {
      one: async (id) => {
        const found = held.get(id);
        if (!found) return null;
        const { secret: _secret, ...listed } = found;
        return listed;
      },
      insert: async (w) => void held.set(w._id, { ...w, active: true }),
      remove: async (id) => void held.delete(id),
    },
    checkTarget: async (url) =>
      new URL(url).hostname === '127.0.0.1' ? { ok: false, problem: 'loopback address' } : { ok: true },
    audit: async ({ eventId, action, detail }) => void audited.push({ eventId, action, detail }),
  };
  return { ports, held, audited };
}

describe('subscribing a webhook', () => {
  it('when the engine may not send to the URL, then unprocessable naming url, and nothing is stored', async () => {
    const fake = fakeWebhooks();
    const refused = await refusal(createWebhook(fake.ports, admin, { url: 'http://127.0.0.1/hook' }));
    expect(refused).toMatchObject({
      kind: 'unprocessable',
      message: 'webhook URL refused: loopback address',
      details: [{ path: 'url', message: 'loopback address' }],
    });
    expect({ stored: [...fake.held.keys()], audited: fake.audited }).toEqual({ stored: [], audited: [] });
  });

  it('when the URL may be sent to, then it is stored active with a generated secret, audited by origin only', async () => {
    const fake = fakeWebhooks();
    const url = 'https://hooks.example.org/t/SECRET-TOKEN';
    const created = await createWebhook(fake.ports, admin, {
      url,
      events: ['task.opened', 'task.opened'],
    });
    expect(created).toMatchObject({ url, events: ['task.opened'], active: true, createdBy: 'root' });
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(fake.held.get(created._id)?.secret).toBe(created.secret);
    expect(fake.audited).toEqual([
      {
        eventId: `webhook.created:${created._id}`,
        action: 'webhook.created',
        detail: {
          webhookId: created._id,
          origin: 'https://hooks.example.org',
          events: ['task.opened'],
          secretGenerated: true,
        },
      },
    ]);
  });

  it('when one is removed, then it is gone and audited; an unknown one is not_found', async () => {
    const fake = fakeWebhooks([{ _id: 'w1', url: 'https://hooks.example.org/a', active: true }]);
    expect(await refusal(deleteWebhook(fake.ports, admin, 'w2'))).toMatchObject({
      kind: 'not_found',
      message: 'webhook w2 not found',
    });
    await deleteWebhook(fake.ports, admin, 'w1');
    expect(fake.held.size).toBe(0);
    expect(fake.audited).toEqual([
      {
        eventId: 'webhook.deleted:w1',
        action: 'webhook.deleted',
        detail: { webhookId: 'w1', origin: 'https://hooks.example.org' },
      },
    ]);
  });
});
