import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type Queues } from '../../jobs/queues';
import { eventually, startStack, type Stack } from '../support/stack';
import type { HttpClient } from '../support/http';

const year = new Date().getUTCFullYear() + 1;
const from = `${year}-03-01`;
const to = `${year}-09-30`;
const HEADER =
  'donor,systemId,quantity,deliveryFrom,deliveryTo,trainingOffered,spareParts,maintenanceYears,valueEur,notes';

const goodAndBad = [
  HEADER,
  `FRA,caesar,12,${from},${to},true,true,2,60000000,"French guns, first tranche"`,
  `DEU,pzh-2000,4,${from},${to},false,true,3,40000000,German howitzers`,
  `POL,leopard-2a4,10,${from},${to},yes,no,,120000000,`,
  `DNK,no-such-system,0,${to},${from},false,false,0,,bad row`,
].join('\n');

const csvHeaders = { 'content-type': 'text/csv' };

interface ImportStatus {
  jobId: string;
  state: string;
  progress: number;
  total: number;
  processed: number;
  created: number;
  failed: number;
  rows: Array<{
    row: number;
    status: 'created' | 'failed';
    pledgeId?: string;
    errors?: Array<{ path: string; message: string }>;
  }>;
}

async function finished(client: HttpClient, jobId: string): Promise<ImportStatus> {
  return eventually(
    async () => {
      const res = await client.get<ImportStatus>(`/api/v1/imports/${jobId}`);
      expect(res.status).toBe(200);
      return ['completed', 'failed'].includes(res.body.state) ? res.body : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
}

describe('bulk import of pledges from CSV, and CSV export', () => {
  let stack: Stack;
  let staff: HttpClient;
  let admin: HttpClient;
  let redis: Redis;
  let queues: Queues;
  let firstJob: ImportStatus;

  const allPledges = async () =>
    (await admin.get('/api/v1/pledges?limit=200')).body.items as Array<{ id: string; donor: string }>;

  beforeAll(async () => {
    stack = await startStack('import', { jobsWorker: 'inline' });
    staff = await stack.as('staff');
    admin = await stack.as('admin');
    redis = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, stack.config.QUEUE_PREFIX);
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('when staff import 3 good rows and 1 bad one, then exactly the 3 pledges are created, the bad row is reported by field and progress reaches 100', async () => {
    const before = (await allPledges()).length;
    const accepted = await staff.post('/api/v1/imports/pledges', goodAndBad, csvHeaders);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ jobId: expect.any(String), total: 4 });
    const jobId: string = accepted.body.jobId;

    firstJob = await finished(staff, jobId);
    expect(firstJob).toMatchObject({
      jobId,
      state: 'completed',
      progress: 100,
      total: 4,
      processed: 4,
      created: 3,
      failed: 1,
    });
    expect(firstJob.rows.map((r) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
      [4, 'failed'],
    ]);
    const bad = firstJob.rows[3];
    expect(bad.pledgeId).toBeUndefined();
    const badPaths = bad.errors!.map((e) => e.path);
    expect(badPaths).toContain('quantity');
    expect(badPaths).toContain('deliveryTo');
    expect(bad.errors!.find((e) => e.path === 'quantity')!.message).toMatch(/positive/);

    // BullMQ holds the progress the job reported.
    const job = await queues.imports.getJob(jobId);
    expect(job?.progress).toBe(100);

    const after = await allPledges();
    expect(after.length).toBe(before + 3);
    const created = firstJob.rows.slice(0, 3).map((r) => r.pledgeId!);
    for (const id of created) expect(after.map((p) => p.id)).toContain(id);

    // Each created pledge is a real submission: the same workflow runs (it leaves intake) as for POST /pledges.
    const caesar = await staff.get(`/api/v1/pledges/${created[0]}`);
    expect(caesar.body).toMatchObject({
      donor: 'FRA',
      trainingOffered: true,
      notes: 'French guns, first tranche',
    });
    expect(caesar.body.items).toEqual([{ systemId: 'caesar', quantity: 12, deliveryWindow: { from, to } }]);
    const polish = await staff.get(`/api/v1/pledges/${created[2]}`);
    expect(polish.body).toMatchObject({
      donor: 'POL',
      trainingOffered: true,
      sustainment: { spareParts: false, maintenanceYears: 0 },
    });

    const audit = await stack.db
      .collection('audit_log')
      .find({ action: { $in: ['pledges.import.queued', 'pledges.import.completed'] }, 'detail.jobId': jobId })
      .toArray();
    expect(audit.map((a) => a.action).sort()).toEqual(['pledges.import.completed', 'pledges.import.queued']);
    expect(audit.find((a) => a.action === 'pledges.import.completed')!.detail).toMatchObject({
      created: 3,
      failed: 1,
    });
  });

  it('when the same import job runs again (a retry), then it creates nothing new and reports the same pledges', async () => {
    const jobId = firstJob.jobId;
    const before = (await allPledges()).length;
    // Forget the results and run the job once more under the same id, as BullMQ would on a retry.
    await stack.db.collection('import_rows').deleteMany({ jobId });
    await stack.db
      .collection('imports')
      .updateOne({ _id: jobId as never }, { $set: { state: 'queued', processed: 0 } });
    await (await queues.imports.getJob(jobId))!.remove();
    await queues.imports.add('pledges', { importId: jobId }, { jobId });

    const again = await finished(staff, jobId);
    expect(again).toMatchObject({ state: 'completed', progress: 100, created: 3, failed: 1 });
    expect(again.rows.map((r) => r.pledgeId ?? null)).toEqual(firstJob.rows.map((r) => r.pledgeId ?? null));
    expect((await allPledges()).length).toBe(before);
  });

  it('when an upload is retried with the same Idempotency-Key, then it is the same job', async () => {
    const csv = [HEADER, `FRA,caesar,2,${from},${to},,,,,retried upload`].join('\n');
    const headers = { ...csvHeaders, 'idempotency-key': 'import-retry-1' };
    const first = await staff.post('/api/v1/imports/pledges', csv, headers);
    const second = await staff.post('/api/v1/imports/pledges', csv, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.jobId).toBe(first.body.jobId);
    const done = await finished(staff, first.body.jobId);
    expect(done).toMatchObject({ created: 1, failed: 0 });
  });

  it('when rows break the business rules of POST /pledges, then each is reported at its column', async () => {
    const csv = [
      HEADER,
      `FRA,no-such-system,3,${from},${to},false,false,0,,unknown system`,
      `FRA,caesar,3,2020-01-01,2020-02-01,false,false,0,,in the past`,
      `FRA,caesar,3,${from},${to},maybe,false,0,,bad flag`,
      `fra,caesar,three,${from},${to},false,false,0,,bad donor and quantity`,
      `FRA,caesar,3,${from},${to},false,false,0,,one cell,too many`,
    ].join('\r\n');
    const accepted = await staff.post('/api/v1/imports/pledges', csv, csvHeaders);
    expect(accepted.status).toBe(202);
    const done = await finished(staff, accepted.body.jobId);
    expect(done).toMatchObject({ created: 0, failed: 5 });
    const paths = done.rows.map((r) => r.errors!.map((e) => e.path).sort());
    expect(paths).toEqual([
      ['systemId'],
      ['deliveryTo'],
      ['trainingOffered'],
      ['donor', 'quantity'],
      ['row'],
    ]);
    expect(done.rows[0].errors![0].message).toContain('unknown system "no-such-system"');
    expect(done.rows[1].errors![0].message).toContain('in the past');
  });

  it('when a reviewer or a liaison uploads a CSV, then it is 403; another user reading an import gets 404', async () => {
    const reviewer = await stack.as('reviewer');
    expect((await reviewer.post('/api/v1/imports/pledges', goodAndBad, csvHeaders)).status).toBe(403);
    const fra = await stack.as('liaison.fra');
    expect((await fra.post('/api/v1/imports/pledges', goodAndBad, csvHeaders)).status).toBe(403);
    expect((await fra.get(`/api/v1/imports/${firstJob.jobId}`)).status).toBe(403);

    // The admin may read staff's import; staff may not read the admin's.
    expect((await admin.get(`/api/v1/imports/${firstJob.jobId}`)).status).toBe(200);
    const csv = [HEADER, `DEU,pzh-2000,1,${from},${to},,,,,admin import`].join('\n');
    const adminJob = await admin.post('/api/v1/imports/pledges', csv, csvHeaders);
    expect(adminJob.status).toBe(202);
    const hidden = await staff.get(`/api/v1/imports/${adminJob.body.jobId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await staff.get('/api/v1/imports/IMNOSUCHJOB')).status).toBe(404);
    await finished(admin, adminJob.body.jobId);
  });

  it('when the CSV header or the upload is malformed, then it is a 4xx naming the fault and nothing is queued', async () => {
    const before = (await allPledges()).length;
    const typo = await staff.post(
      '/api/v1/imports/pledges',
      `donor,sytemId,quantity,deliveryFrom,deliveryTo\nFRA,caesar,1,${from},${to}`,
      csvHeaders,
    );
    expect(typo.status).toBe(400);
    expect(typo.body.error.code).toBe('VALIDATION_FAILED');
    expect(typo.body.error.message).toContain('sytemId');
    expect(typo.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'header.sytemId' }),
        expect.objectContaining({ path: 'header.systemId', message: expect.stringContaining('missing') }),
      ]),
    );

    const unclosed = await staff.post(
      '/api/v1/imports/pledges',
      `${HEADER}\nFRA,caesar,1,${from},${to},,,,,"open quote`,
      csvHeaders,
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.message).toMatch(/malformed CSV/);

    const empty = await staff.post('/api/v1/imports/pledges', '', csvHeaders);
    expect(empty.status).toBe(400);
    const headerOnly = await staff.post('/api/v1/imports/pledges', `${HEADER}\n`, csvHeaders);
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.error.details[0].message).toContain('no rows');

    const json = await staff.post('/api/v1/imports/pledges', { donor: 'FRA' });
    expect(json.status).toBe(415);

    const tooMany = [HEADER, ...Array.from({ length: 2001 }, () => `FRA,caesar,1,${from},${to}`)].join('\n');
    expect((await staff.post('/api/v1/imports/pledges', tooMany, csvHeaders)).status).toBe(413);
    const tooBig = `${HEADER}\n${'x'.repeat(2.5 * 1024 * 1024)}`;
    const big = await staff.post('/api/v1/imports/pledges', tooBig, csvHeaders);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    expect((await allPledges()).length).toBe(before);
  });

  it('when liaison.fra exports the pledge list, then the CSV has only FRA pledges, one row per item, and parses back', async () => {
    const fra = await stack.as('liaison.fra');
    const twoItems = await fra.post('/api/v1/pledges', {
      donor: 'FRA',
      items: [
        { systemId: 'caesar', quantity: 6, deliveryWindow: { from, to } },
        { systemId: 'mirage-2000-5', quantity: 2, deliveryWindow: { from, to } },
      ],
      notes: '=HYPERLINK("http://example.invalid")',
    });
    expect(twoItems.status).toBe(202);

    const res = await fra.get('/api/v1/pledges/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="pledges-.*\.csv"$/);
    const rows = parse<Record<string, string>>(res.body as string, { columns: true });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.donor))).toEqual(new Set(['FRA']));
    expect(rows.map((r) => r.pledgeId)).toContain(firstJob.rows[0].pledgeId);
    const mine = rows.filter((r) => r.pledgeId === twoItems.body.id);
    expect(mine.map((r) => [r.item, r.systemId, r.quantity])).toEqual([
      ['1', 'caesar', '6'],
      ['2', 'mirage-2000-5', '2'],
    ]);
    // A spreadsheet must not run a note as a formula.
    expect(mine[0].notes).toBe(`'=HYPERLINK("http://example.invalid")`);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(HEADER.split(',')));

    // The list's filters apply; staff see every nation.
    const deu = await staff.get('/api/v1/pledges/export.csv?donor=DEU');
    const deuRows = parse<Record<string, string>>(deu.body as string, { columns: true });
    expect(deuRows.length).toBeGreaterThan(0);
    expect(new Set(deuRows.map((r) => r.donor))).toEqual(new Set(['DEU']));
    const other = await fra.get('/api/v1/pledges/export.csv?donor=DEU');
    expect(parse(other.body as string, { columns: true })).toEqual([]);
    expect((other.body as string).split('\n')[0]).toContain('pledgeId,item,donor,systemId');
    expect((await fra.get('/api/v1/pledges/export.csv?status=NOPE')).status).toBe(400);
  });

  it('documents the CSV routes in the OpenAPI document', async () => {
    const doc = (await stack.anonymous.get('/api/v1/openapi.json')).body;
    const upload = doc.paths['/api/v1/imports/pledges'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['text/csv']);
    expect(upload.description).toContain('maintenanceYears');
    expect(Object.keys(doc.paths['/api/v1/pledges/export.csv'].get.responses['200'].content)).toEqual([
      'text/csv',
    ]);
    expect(doc.paths['/api/v1/imports/{jobId}'].get).toBeDefined();
  });
});
