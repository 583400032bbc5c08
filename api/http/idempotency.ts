import { canonicalHash } from '../../store/canonical-hash';
import type { Store } from '../../store';
import type { IdempotencyRecord } from '../../store/idempotency';
import { ApiError, conflict } from './errors';
import type { RouteResult } from './route';
import { isDuplicateKey } from '../../store/duplicate-key';

const STALE_PENDING_MS = 60_000;
const WAIT_FOR_FIRST_MS = 10_000;

export const replayed = (r: IdempotencyRecord): RouteResult => ({
  status: r.statusCode ?? 200,
  body: r.response,
  headers: { 'Idempotent-Replayed': 'true' },
});

/**
 * Runs `work` at most once per (principal, key): the record is inserted first under a unique
 * index, so of two concurrent requests with one key only one does the work; the other waits
 * for its response and returns it. The same key with another body or route is a 422.
 */
export async function runIdempotently(
  store: Store,
  scope: { principal: string; key: string; route: string; body: unknown },
  work: () => Promise<RouteResult>,
): Promise<RouteResult> {
  const bodyHash = canonicalHash(scope.body ?? null);
  // Keyed by `_id` so every lookup is one FerretDB answers without scanning the collection.
  const identity = { _id: JSON.stringify([scope.principal, scope.key]) };
  const fields = { principal: scope.principal, key: scope.key };
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    try {
      await store.Idempotency.create({
        ...identity,
        ...fields,
        route: scope.route,
        bodyHash,
        state: 'pending',
      });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // A record from before the `_id` keying is found by its fields.
    const existing =
      (await store.Idempotency.findOne(identity).lean()) ?? (await store.Idempotency.findOne(fields).lean());
    if (!existing) continue;
    if (existing.route !== scope.route || existing.bodyHash !== bodyHash) {
      throw new ApiError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was already used with a different request body or route',
        [{ path: 'headers.idempotency-key', message: 'reused with a different request' }],
      );
    }
    if (existing.state === 'done') return replayed(existing);
    if (Date.now() - new Date(existing.updatedAt).getTime() > STALE_PENDING_MS) {
      // The first request died mid-way; the work is idempotent by key, so we take it over.
      await store.Idempotency.deleteOne({ _id: existing._id as string, state: 'pending' });
      continue;
    }
    if (Date.now() > deadline) throw conflict('a request with this Idempotency-Key is still in progress');
    await new Promise((r) => setTimeout(r, 100));
  }

  try {
    const result = await work();
    await store.Idempotency.updateOne(identity, {
      state: 'done',
      statusCode: result.status,
      response: result.body ?? null,
    });
    return result;
  } catch (err) {
    // Nothing was created: free the key so the client can retry with it.
    await store.Idempotency.deleteOne({ ...identity, state: 'pending' });
    throw err;
  }
}
