import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { rebuildProjections } from '../../store/projection-rebuild';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const pledge = (donor: string, systemId: string, notes: string) => ({
  donor,
  items: [{ systemId, quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 30_000_000,
  notes,
});

type Item = { id: string; donor: string; status: string };
const idsOf = (res: { body: { items: Item[] } }) => res.body.items.map((p) => p.id);

describe('lists: pledges by filter, search, paging and nation; the inbox by cursor', () => {
  let stack: Stack;
  let staff: HttpClient;
  let fra: HttpClient;
  let deu: HttpClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack('pledge-list');
    [staff, fra, deu] = await Promise.all([
      stack.as('staff'),
      stack.as('liaison.fra'),
      stack.as('liaison.deu'),
    ]);
    // Oldest first: the list is newest first.
    for (const [name, client, body] of [
      ['fraCaesar', fra, pledge('FRA', 'caesar', 'wheeled howitzers')],
      ['deuPzh', deu, pledge('DEU', 'pzh-2000', 'tracked howitzers')],
      ['fraMirage', fra, pledge('FRA', 'mirage-2000-5', 'fighters for the air force')],
    ] as const) {
      const res = await client.post('/api/v1/pledges', body);
      expect(res.status).toBe(202);
      ids[name] = res.body.id;
    }
    await eventually(
      async () => (await staff.get('/api/v1/pledges?status=UNDER_REVIEW&limit=200')).body.items.length >= 3,
    );
  });
  afterAll(async () => stack?.stop());

  it('lists newest first and pages with the cursor, each pledge once', async () => {
    const all = await staff.get('/api/v1/pledges?limit=200');
    expect(idsOf(all).slice(0, 3)).toEqual([ids.fraMirage, ids.deuPzh, ids.fraCaesar]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Item[]; nextCursor: string | null } } = await staff.get(
        `/api/v1/pledges?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...idsOf(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(idsOf(all));
  });

  it('filters by donor, coalition and free text, and follows status changes', async () => {
    expect(idsOf(await staff.get('/api/v1/pledges?donor=DEU'))).toEqual([ids.deuPzh]);
    expect(idsOf(await staff.get('/api/v1/pledges?q=FIGHTERS'))).toEqual([ids.fraMirage]);
    expect(idsOf(await staff.get('/api/v1/pledges?q=howitzer')).sort()).toEqual(
      [ids.fraCaesar, ids.deuPzh].sort(),
    );
    const artillery = await staff.get('/api/v1/pledges?coalition=artillery');
    expect(idsOf(artillery)).toEqual(expect.arrayContaining([ids.fraCaesar, ids.deuPzh]));
    expect(idsOf(artillery)).not.toContain(ids.fraMirage);

    const withdrawn = await fra.post(`/api/v1/pledges/${ids.fraCaesar}/withdraw`, { reason: 'list test' });
    expect(withdrawn.status).toBe(202);
    await eventually(async () =>
      idsOf(await staff.get('/api/v1/pledges?status=WITHDRAWN')).includes(ids.fraCaesar),
    );
    const stillUnderReview = idsOf(await staff.get('/api/v1/pledges?status=UNDER_REVIEW'));
    expect(stillUnderReview).not.toContain(ids.fraCaesar);
    expect(stillUnderReview).toEqual(expect.arrayContaining([ids.fraMirage, ids.deuPzh]));
    const item = (await staff.get('/api/v1/pledges?status=WITHDRAWN')).body.items.find(
      (p: Item) => p.id === ids.fraCaesar,
    );
    expect(item.status).toBe('WITHDRAWN');
  });

  it('shows a donor liaison only its own nation, whatever it asks for', async () => {
    const own = idsOf(await fra.get('/api/v1/pledges?limit=200'));
    expect(own).toEqual(expect.arrayContaining([ids.fraCaesar, ids.fraMirage]));
    expect(own).not.toContain(ids.deuPzh);
    expect(idsOf(await fra.get('/api/v1/pledges?donor=DEU'))).toEqual([]);
    expect(idsOf(await fra.get('/api/v1/pledges?q=tracked'))).toEqual([]);
  });

  it("pages the reviewer's inbox with the cursor, most urgent first, each task once", async () => {
    const reviewer = await stack.as('reviewer');
    // The two pledges still under review each have their task once the rules have run.
    const all = await eventually(async () => {
      const res = await reviewer.get('/api/v1/tasks?kind=compatibility_review&limit=200');
      return res.body.items.length >= 2 ? res : undefined;
    });
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    const dueAts = all.body.items.map((t: { dueAt: string }) => t.dueAt);
    expect(dueAts).toEqual([...dueAts].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await reviewer.get(
          `/api/v1/tasks?kind=compatibility_review&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((t: { id: string }) => t.id));
    expect((await reviewer.get('/api/v1/tasks?cursor=not-a-cursor')).status).toBe(400);
  });

  it('when the projections are deleted and rebuilt from the record, then every list, page and inbox reads the same', async () => {
    const reviewer = await stack.as('reviewer');
    // A pledge staff submitted: separation of duties keeps staff off its review, which the rebuilt task must keep.
    const byStaff = await staff.post('/api/v1/pledges', pledge('POL', 'caesar', 'submitted by staff'));
    expect(byStaff.status).toBe(202);
    const reviewTaskId: string = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?pledgeId=${byStaff.body.id}&kind=compatibility_review`)).body
          .items[0]?.id,
    );
    const reads = async () => ({
      delegates: (await reviewer.get(`/api/v1/tasks/${reviewTaskId}/delegates`)).body,
      list: (await staff.get('/api/v1/pledges?limit=200')).body,
      mine: (await fra.get('/api/v1/pledges?limit=200')).body,
      pages: await Promise.all(
        Object.values(ids).map(async (id) => (await staff.get(`/api/v1/pledges/${id}`)).body),
      ),
      inbox: (await reviewer.get('/api/v1/tasks?limit=200')).body,
      closed: (await reviewer.get('/api/v1/tasks?state=cancelled&limit=200')).body,
      sessions: (await staff.get('/api/v1/training/sessions')).body,
      dashboard: (await staff.get('/api/v1/dashboard')).body,
    });
    const before = await reads();
    expect(before.list.items.length).toBeGreaterThanOrEqual(3);
    expect(before.delegates.items.map((u: { username: string }) => u.username)).not.toContain('staff');
    const exclusions = () => stack.api.deps.views.task(reviewTaskId)?.excluded;
    const excludedBefore = exclusions();
    expect(excludedBefore).toEqual([expect.objectContaining({ username: 'staff' })]);
    const { store, redis, config } = stack.api.deps;
    const keys = await redis.keys(`${config.QUEUE_PREFIX}:{views}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    const counts = await rebuildProjections(store, redis, config.QUEUE_PREFIX);
    expect(counts).toMatchObject({ pledges: expect.any(Number), tasks: expect.any(Number) });
    // Every API process reloads the rebuilt views; a restarted one loads them whole.
    await stack.restartApi();
    staff = await stack.as('staff');
    fra = await stack.as('liaison.fra');
    expect(await reads()).toEqual(before);
    expect(exclusions()).toEqual(excludedBefore);
  });
});
