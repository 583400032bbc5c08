import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, type HttpClient } from '../support/http';
import { DEMO_PASSWORD, eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const airDefencePledge = {
  donor: 'DEU',
  items: [
    { systemId: 'iris-t-slm', quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 3 },
  valueEur: 300_000_000,
};

interface Task {
  id: string;
  pledgeId: string;
  kind: string;
  coalitions: string[];
}

describe('review tasks go to the reviewers of the pledge’s capability coalitions', () => {
  let stack: Stack;
  let admin: HttpClient;
  let staff: HttpClient;
  const reviewers: Record<'iamd' | 'artillery' | 'none', HttpClient> = {} as never;

  const login = async (username: string) => {
    const res = await stack.anonymous.post('/api/v1/auth/login', {
      username,
      password: `${DEMO_PASSWORD}-long`,
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };
  const as = async (username: string) => httpClient(stack.url, await login(username));

  beforeAll(async () => {
    // The jobs worker fans notifications out in this process.
    stack = await startStack('coalitions', { jobsWorker: 'inline' });
    [admin, staff] = await Promise.all([stack.as('admin'), stack.as('staff')]);
    // Reviewers in different coalitions, created as an admin would.
    for (const [username, coalitions] of [
      ['rev.iamd', ['iamd']],
      ['rev.artillery', ['artillery']],
      ['rev.none', []],
    ] as const) {
      const res = await admin.post('/api/v1/admin/users', {
        username,
        displayName: username,
        password: `${DEMO_PASSWORD}-long`,
        roles: ['reviewer'],
        coalitions,
      });
      expect(res.status).toBe(201);
      expect(res.body.coalitions).toEqual(coalitions);
    }
    reviewers.iamd = await as('rev.iamd');
    reviewers.artillery = await as('rev.artillery');
    reviewers.none = await as('rev.none');
  });
  afterAll(async () => stack?.stop());

  it('when an admin names a coalition that does not exist, then it is a 400 naming coalitions', async () => {
    const res = await admin.post('/api/v1/admin/users', {
      username: 'rev.space',
      displayName: 'Space reviewer',
      password: `${DEMO_PASSWORD}-long`,
      roles: ['reviewer'],
      coalitions: ['space'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain('coalitions');
  });

  it('when an air-defence pledge is reviewed, then its task and notice reach the air-defence reviewers only', async () => {
    const submitted = await staff.post('/api/v1/pledges', airDefencePledge);
    expect(submitted.status).toBe(202);
    const pledgeId: string = submitted.body.id;
    const inbox = (client: HttpClient, query = '') =>
      client
        .get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${pledgeId}${query}`)
        .then((r) => r.body.items as Task[]);

    const [task] = await eventually(async () => {
      const items = await inbox(reviewers.iamd, '&coalition=iamd');
      return items.length ? items : undefined;
    });
    expect(task.coalitions).toEqual(['iamd']);
    // The demo reviewer reviews for every coalition.
    expect((await inbox(await stack.as('reviewer'))).map((t) => t.id)).toEqual([task.id]);
    expect(await inbox(reviewers.artillery)).toEqual([]);
    expect(await inbox(reviewers.none)).toEqual([]);
    expect(await inbox(reviewers.iamd, '&coalition=artillery')).toEqual([]);
    expect((await reviewers.artillery.get(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await reviewers.artillery.post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(403);

    const opened = (client: HttpClient) =>
      client
        .get('/api/v1/notifications?limit=200')
        .then((r) =>
          (r.body.items as Array<{ taskId: string | null; type: string }>).filter(
            (n) => n.taskId === task.id && n.type === 'task.opened',
          ),
        );
    await eventually(async () => (await opened(reviewers.iamd)).length === 1);
    expect(await opened(reviewers.artillery)).toEqual([]);
    expect(await opened(reviewers.none)).toEqual([]);

    // An admin adds air defence to the artillery reviewer: the task is theirs to take from then on.
    const patched = await admin.patch('/api/v1/admin/users/rev.artillery', {
      coalitions: ['artillery', 'iamd'],
    });
    expect(patched.status).toBe(200);
    await eventually(async () => (await inbox(reviewers.artillery)).length === 1);
    expect((await reviewers.artillery.post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(200);
  });

  it("when coalitions are read, then each has its leads, and a reviewer opens only its own coalition's page", async () => {
    const list = await staff.get('/api/v1/coalitions');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(8);
    const iamd = list.body.items.find((c: { id: string }) => c.id === 'iamd');
    expect(iamd).toMatchObject({
      leads: ['DEU', 'FRA'],
      categories: expect.arrayContaining(['air-defence-long']),
    });

    const page = await reviewers.iamd.get('/api/v1/coalitions/iamd');
    expect(page.status).toBe(200);
    expect(page.body.openPledges.map((p: { donor: string }) => p.donor)).toContain('DEU');
    expect(page.body.nations[0]).toMatchObject({ nation: 'DEU', role: 'lead', pledgedEur: 300_000_000 });
    expect((await reviewers.none.get('/api/v1/coalitions/iamd')).status).toBe(404);
    expect((await staff.get('/api/v1/coalitions/artillery')).status).toBe(200);
    expect((await (await stack.as('liaison.deu')).get('/api/v1/coalitions/iamd')).status).toBe(403);
    expect((await staff.get('/api/v1/coalitions/space')).status).toBe(404);
  });

  it('when an admin records who leads and takes part in a coalition, then every page shows it at once, audited; others are refused', async () => {
    const maritime = {
      name: 'Maritime Capability Coalition',
      categories: [],
      leads: ['GBR', 'NOR'],
      members: ['FRA', 'NLD', 'SWE'],
    };
    const saved = await admin.put('/api/v1/admin/coalitions/maritime', maritime);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ id: 'maritime', ...maritime });
    const listed = (await staff.get('/api/v1/coalitions')).body.items.find(
      (c: { id: string }) => c.id === 'maritime',
    );
    expect(listed.members).toEqual(['FRA', 'NLD', 'SWE']);
    const page = await staff.get('/api/v1/coalitions/maritime');
    expect(page.body.nations.map((n: { nation: string; role: string }) => `${n.nation}:${n.role}`)).toEqual(
      expect.arrayContaining(['GBR:lead', 'NOR:lead', 'NLD:member', 'SWE:member']),
    );
    const audited = await stack.db
      .collection('audit_log')
      .find({ action: 'reference.coalition.saved', 'detail.id': 'maritime' })
      .toArray();
    expect(audited.map((e) => e.actor)).toEqual(['admin']);

    // Only an admin edits them; the set of coalitions is fixed; a nation is a lead or a member, not both.
    expect((await staff.put('/api/v1/admin/coalitions/maritime', maritime)).status).toBe(403);
    expect((await admin.put('/api/v1/admin/coalitions/space', maritime)).status).toBe(400);
    const both = await admin.put('/api/v1/admin/coalitions/maritime', { ...maritime, members: ['GBR'] });
    expect(both.status).toBe(400);
    expect(both.body.error.details.map((d: { path: string }) => d.path)).toContain('members');
    const noLead = await admin.put('/api/v1/admin/coalitions/maritime', { ...maritime, leads: [] });
    expect(noLead.status).toBe(400);
    expect(noLead.body.error.details.map((d: { path: string }) => d.path)).toContain('leads');
    expect((await staff.get('/api/v1/coalitions/maritime')).body.members).toEqual(['FRA', 'NLD', 'SWE']);
  });
});
