import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottleSettings {
  /** Failed password checks from one address, across every username, before it must wait out the window. */
  failuresPerAddress: number;
  /** The window those failures are counted in, in seconds. */
  addressWindowSeconds: number;
  /** Consecutive failures on one account before each further attempt must wait its turn. */
  freeFailuresPerAccount: number;
  /** The longest an account waits between attempts; the wait doubles up to this. */
  maxAccountWaitSeconds: number;
}

export type PasswordCheck =
  { outcome: 'right' } | { outcome: 'wrong' } | { outcome: 'wait'; seconds: number };

export interface LoginThrottle {
  /**
   * Runs `verify` (a password check) unless the address or the account must wait first. A wrong password counts
   * against both; a right one clears the account's count.
   */
  check(address: string, username: string, verify: () => Promise<boolean>): Promise<PasswordCheck>;
}

const DAY_SECONDS = 86_400;
const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Slows password guessing where it is cheapest to stop. Per account: after a few consecutive failures each attempt
 * must wait a doubling interval (capped), so a guesser gets a handful of tries an hour while the owner is delayed at
 * most the cap. Per address: failures across every username are capped, so spraying one password over many accounts
 * stops. Each attempt is counted before the password is checked, so a burst of parallel guesses cannot slip past the
 * counts; a right password gives its count back. Counts live in Redis, shared by every API process.
 */
export function createLoginThrottle(
  redis: Redis,
  prefix: string,
  settings: LoginThrottleSettings,
): LoginThrottle {
  const byAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:login:address`,
    points: settings.failuresPerAddress,
    duration: settings.addressWindowSeconds,
  });
  const accountFailures = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:login:failures`,
    points: Number.MAX_SAFE_INTEGER,
    duration: DAY_SECONDS,
  });
  // One attempt per key for as long as the account's current interval.
  const accountTurn = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:login:turn`,
    points: 1,
    duration: 1,
  });
  const accountOf = (username: string) => username.trim().toLowerCase().slice(0, 100);
  const rejected = (err: unknown): RateLimiterRes | null => (err instanceof RateLimiterRes ? err : null);

  return {
    async check(address, username, verify) {
      const account = accountOf(username);
      try {
        await byAddress.consume(address);
      } catch (err) {
        const res = rejected(err);
        if (!res) throw err;
        return { outcome: 'wait', seconds: secondsOf(res) };
      }
      const failures = (await accountFailures.penalty(account)).consumedPoints;
      const beyond = failures - settings.freeFailuresPerAccount;
      if (beyond > 0) {
        const interval = Math.min(2 ** (beyond - 1), settings.maxAccountWaitSeconds);
        try {
          await accountTurn.consume(account, 1, { customDuration: interval });
        } catch (err) {
          const res = rejected(err);
          if (!res) throw err;
          // Not an attempt: give back what it took.
          await Promise.all([byAddress.reward(address), accountFailures.reward(account)]);
          return { outcome: 'wait', seconds: secondsOf(res) };
        }
      }
      if (await verify()) {
        await Promise.all([
          byAddress.reward(address),
          accountFailures.delete(account),
          accountTurn.delete(account),
        ]);
        return { outcome: 'right' };
      }
      return { outcome: 'wrong' };
    },
  };
}
