/** The engine under benchmark: an isolated stack on the real services, with a training catalogue sized for load. */
import { randomUUID } from 'node:crypto';
import setupWorkflowBundle from '../../test/support/global-setup';
import type { HttpClient } from '../../test/support/http';
import { registerSigner, type Signer } from '../../test/support/signing';
import { startStack, type Stack, type StackOptions } from '../../test/support/stack';
import { sleep } from './stats';

let bundling: Promise<void> | undefined;
/** The engine's workflow bundle, built once per run (as the test suite's global setup does). */
export const ensureWorkflowBundle = () => (bundling ??= setupWorkflowBundle());

export async function startBenchStack(name: string, opts: StackOptions = {}): Promise<Stack> {
  await ensureWorkflowBundle();
  return startStack(name, opts);
}

export const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export const BENCH_SYSTEM = 'bench-uas';

/**
 * A drone system with a two-course chain (basic, then advanced) and one large session of each, so that any number
 * of benchmark pledges gets seats: every pledge plans, reserves and trains two cohorts.
 */
export async function seedBenchTraining(stack: Stack, admin: HttpClient, seats = 10_000) {
  await stack.db.collection('systems').insertOne({
    _id: BENCH_SYSTEM as never,
    name: 'Bench UAS',
    family: 'Bench UAS',
    category: 'drone',
    coalition: 'drones',
    origin: 'USA',
    calibers: ['none'],
    crewPerUnit: 2,
    maintainersPerUnit: 0,
    courseIds: ['bench-uas-advanced'],
    maintenanceBurden: 'low',
  });
  const course = { durationDays: 15, minCohort: 1, maxCohort: 20, audience: 'crew' };
  const put = async (path: string, body: unknown) => {
    const res = await admin.call('PUT', `/api/v1/admin/training/${path}`, body);
    if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await put('courses/bench-uas-basic', { ...course, name: 'Bench UAS basic', prerequisiteIds: [] });
  await put('courses/bench-uas-advanced', {
    ...course,
    name: 'Bench UAS advanced',
    prerequisiteIds: ['bench-uas-basic'],
  });
  await put('sites/bench-range', { name: 'Bench range', nation: 'LVA' });
  const session = (courseId: string, start: number) => ({
    courseId,
    siteId: 'bench-range',
    start: day(start),
    end: day(start + 15),
    seats,
  });
  await put('sessions/bench-uas-basic-1', session('bench-uas-basic', 20));
  await put('sessions/bench-uas-advanced-1', session('bench-uas-advanced', 50));
}

/** The donors benchmark pledges are spread over, in turn. */
export const BENCH_DONORS = ['NLD', 'DNK', 'NOR', 'SWE', 'POL', 'FRA', 'DEU', 'GBR'];

/** The i-th benchmark pledge: two bench drones (4 crew, two cohorts), below the SACEUR value threshold. */
export const benchPledge = (i: number) => ({
  donor: BENCH_DONORS[i % BENCH_DONORS.length],
  items: [{ systemId: BENCH_SYSTEM, quantity: 2, deliveryWindow: { from: day(300), to: day(400) } }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 3 },
  valueEur: 5_000_000,
  notes: `benchmark pledge ${i}`,
});

/** Approval-chain roles and the demo users who decide them. */
export const APPROVERS: Record<string, string> = {
  chief_of_staff: 'cos',
  commander: 'commander',
  saceur: 'saceur',
};

export interface Deciders {
  staff: HttpClient;
  reviewer: HttpClient;
  trainer: HttpClient;
  logistics: HttpClient;
  approvers: Record<string, { client: HttpClient; signer: Signer }>;
}

export async function deciders(stack: Stack): Promise<Deciders> {
  const [staff, reviewer, trainer, logistics] = await Promise.all(
    ['staff', 'reviewer', 'trainer', 'logistics'].map((u) => stack.as(u)),
  );
  const approvers: Deciders['approvers'] = {};
  for (const [role, username] of Object.entries(APPROVERS)) {
    const client = await stack.as(username);
    approvers[role] = { client, signer: await registerSigner(client) };
  }
  return { staff, reviewer, trainer, logistics, approvers };
}

/**
 * Submits the i-th benchmark pledge under an Idempotency-Key, repeating it after a connection error or a
 * 502/503/504 (at most 3 times) as a real client would; the key makes a repeat return the first pledge.
 */
export async function submitPledge(client: HttpClient, index: number): Promise<string> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const res = await client.post('/api/v1/pledges', benchPledge(index), { 'Idempotency-Key': key });
      if (res.status === 202) return res.body.id as string;
      failure = `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      if (![502, 503, 504].includes(res.status)) throw new Error(`submit: ${failure}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('submit:')) throw err;
      failure = err instanceof Error ? err.message : String(err);
    }
    if (attempt > 3) throw new Error(`submit: ${failure}`);
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

/**
 * Submits `count` benchmark pledges (indices from `firstIndex`) and waits until each one's review task is open,
 * keeping at most `inFlight` submissions whose task is not open yet (an open-ended burst makes FerretDB's SQLite
 * backend refuse concurrent writes with SQLITE_BUSY, and the activities wait out their retries). `onTick` runs
 * every 250 ms with the number of those pledges waiting on their review.
 */
export async function fillReviewInbox(
  stack: Stack,
  client: HttpClient,
  opts: {
    count: number;
    inFlight: number;
    firstIndex: number;
    onTick?: (open: number) => void;
    submitted?: string[];
    /** How long the fill may take (30 minutes by default). */
    deadlineMs?: number;
  },
): Promise<string[]> {
  /**
   * Given by the caller, it holds what was submitted even when this fails (to clean up); what it holds already was
   * filled by an earlier call, which returned only once each of them was open.
   */
  const ids: string[] = opts.submitted ?? [];
  let open = ids.length;
  const reviewer = await stack.as('reviewer');
  /**
   * Submitted pledges whose review task the reviewer does not see yet. Only these are asked after, each on its own:
   * a tick costs the same with 10,000 tasks open as with ten (reading the whole inbox on each tick made the fill
   * slow down as it grew).
   */
  const pending = new Set<string>();
  const taskIsOpen = async (pledgeId: string) => {
    const res = await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${pledgeId}`);
    return res.status === 200 && (res.body.items as unknown[]).length > 0;
  };
  const countOpen = async () => {
    for (const id of [...pending]) {
      // A failed request reads as not yet open; the next tick asks again.
      if (await taskIsOpen(id).catch(() => false)) pending.delete(id);
    }
    return ids.length - pending.size;
  };
  const allowedMs = opts.deadlineMs ?? 30 * 60_000;
  const deadline = Date.now() + allowedMs;
  while (open < opts.count) {
    const room = Math.min(opts.inFlight - (ids.length - open), opts.count - ids.length);
    if (room > 0) {
      const next = ids.length;
      const submitted = await Promise.all(
        Array.from({ length: room }, (_v, k) => submitPledge(client, opts.firstIndex + next + k)),
      );
      ids.push(...submitted);
      for (const id of submitted) pending.add(id);
    }
    await sleep(250);
    open = await countOpen();
    opts.onTick?.(open);
    if (Date.now() > deadline)
      throw new Error(
        `only ${open} of ${opts.count} review tasks opened within ${Math.round(allowedMs / 60_000)} minutes`,
      );
  }
  return ids;
}
