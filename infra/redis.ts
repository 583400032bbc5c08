import { Redis } from 'ioredis';

/** A Redis connection for BullMQ: workers need maxRetriesPerRequest null; producers fail fast. */
export function connectRedis(url: string, role: 'worker' | 'producer'): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 3000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface where commands fail (and in /readyz); the connection retries by itself.
  redis.on('error', () => undefined);
  return redis;
}

/** True when Redis answers PING. */
export async function pingRedis(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (
      (await Promise.race([
        redis.ping(),
        new Promise<string>((r) => setTimeout(() => r('timeout'), 1000)),
      ])) === 'PONG'
    );
  } catch {
    return false;
  }
}

/** Resolves once the connection is ready (a producer connection refuses commands before that). */
export async function redisReady(redis: Redis, timeoutMs = 30_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis was not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
