import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { rebuildProjections } from '../../store/projection-rebuild';
import { PROJECTION_LAYOUT, projectionKeys } from '../../store/projections';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const caesars = (donor: string) => ({
  donor,
  items: [
    { systemId: 'caesar', quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 30_000_000,
  notes: 'wheeled howitzers',
});

describe("the review's duplicate check: a donor's other open pledges, kept in the projections", () => {
  let stack: Stack;
  let fra: HttpClient;
  let deu: HttpClient;

  /** Submits and waits for the review; returns the ids the DUPLICATE_PLEDGE findings name. */
  const submitAndReview = async (client: HttpClient, donor: string) => {
    const res = await client.post('/api/v1/pledges', caesars(donor));
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const reviewed = await eventually(async () => {
      const p = (await client.get(`/api/v1/pledges/${id}`)).body;
      return p.review ? p : undefined;
    });
    const named = (reviewed.review.findings as Array<{ code: string; message: string }>)
      .filter((f) => f.code === 'DUPLICATE_PLEDGE')
      .flatMap((f) => f.message.match(/PL[0-9A-Z]+/g) ?? []);
    return { id, named };
  };

  beforeAll(async () => {
    stack = await startStack('duplicate-check');
    [fra, deu] = await Promise.all([stack.as('liaison.fra'), stack.as('liaison.deu')]);
  });
  afterAll(async () => stack?.stop());

  it("names the donor's open overlapping pledges only, after a rebuild too, and forgets a withdrawn one", async () => {
    const first = await submitAndReview(fra, 'FRA');
    expect(first.named).toEqual([]);
    const second = await submitAndReview(fra, 'FRA');
    expect(second.named).toEqual([first.id]);
    // Another donor's pledge of the same system is not a duplicate, and FRA's are not its duplicates.
    const german = await submitAndReview(deu, 'DEU');
    expect(german.named).toEqual([]);

    // The open pledges are projections: deleted and rebuilt from the record, the check still sees them.
    const { store, redis, config } = stack.api.deps;
    const keys = await redis.keys(`${config.QUEUE_PREFIX}:{views}:*`);
    await redis.del(...keys);
    await rebuildProjections(store, redis, config.QUEUE_PREFIX);
    const third = await submitAndReview(fra, 'FRA');
    expect(third.named.sort()).toEqual([first.id, second.id].sort());

    const withdrawn = await fra.post(`/api/v1/pledges/${first.id}/withdraw`, { reason: 'duplicate test' });
    expect(withdrawn.status).toBe(202);
    await eventually(
      async () => (await fra.get(`/api/v1/pledges/${first.id}`)).body.status === 'WITHDRAWN' || undefined,
    );
    const fourth = await submitAndReview(fra, 'FRA');
    expect(fourth.named.sort()).toEqual([second.id, third.id].sort());
  });

  it('rebuilds projections of the earlier layout (one set of every open pledge) when the API starts', async () => {
    const { redis, config } = stack.api.deps;
    const keys = projectionKeys(config.QUEUE_PREFIX);
    const open = await redis.hgetall(keys.openPledgesOf('FRA'));
    expect(Object.keys(open).length).toBeGreaterThan(0);
    // As an engine of the earlier layout left them: no layout in the meta, no per-donor sets, one legacy set.
    await redis.hdel(keys.meta, 'layout');
    await redis.del(keys.openPledgesOf('FRA'), keys.openPledgesOf('DEU'), keys.openPledgeDonors);
    await redis.hset(keys.retired[0], 'PLSTALE', '{}');

    await stack.restartApi();
    fra = await stack.as('liaison.fra');
    const after = stack.api.deps.redis;
    expect(await after.hgetall(keys.openPledgesOf('FRA'))).toEqual(open);
    expect(await after.exists(keys.retired[0])).toBe(0);
    expect((await after.hgetall(keys.meta)).layout).toBe(String(PROJECTION_LAYOUT));
  });
});
