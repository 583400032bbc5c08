import { z } from 'zod';
import { Role } from '../../domain/schemas/common';
import { createLoginThrottle, type LoginThrottle } from '../auth/login-throttle';
import { hashPassword, verifyPassword } from '../../infra/passwords';
import { userRepository, type DirectoryUser, type UserRecord } from '../../store/users';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, tooManyAttempts } from '../http/errors';
import { route } from '../http/route';

export const LoginBody = z
  .object({
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'LoginInput' });

export const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(Role),
    nation: z.string().nullable().describe('A donor liaison’s nation (ISO 3166-1 alpha-3); null for others'),
    coalitions: z
      .array(z.string())
      .describe('The capability coalitions a reviewer reviews for (their review tasks only reach them)'),
  })
  .meta({ id: 'User' });

const LoginResult = z
  .object({
    token: z.string().describe('The bearer token for `Authorization: Bearer <token>`'),
    user: UserView,
  })
  .meta({ id: 'LoginResult' });

export const toUserView = (u: DirectoryUser): z.infer<typeof UserView> => ({
  id: u._id.toString(),
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  nation: u.nation,
  coalitions: u.coalitions,
});

// Verifying against a real hash when the user does not exist keeps timing from revealing usernames.
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => (dummyHash ??= hashPassword('not-a-real-password'));

/** The login throttle of these routes, made on first use (routes are also built only to be described). */
function lazyThrottle(deps: ApiDeps) {
  let throttle: LoginThrottle | undefined;
  return () =>
    (throttle ??= createLoginThrottle(deps.redis, deps.config.QUEUE_PREFIX, {
      failuresPerAddress: deps.config.LOGIN_FAILURES_PER_ADDRESS,
      addressWindowSeconds: deps.config.LOGIN_ADDRESS_WINDOW_SECONDS,
      freeFailuresPerAccount: deps.config.LOGIN_FREE_FAILURES_PER_ACCOUNT,
      maxAccountWaitSeconds: deps.config.LOGIN_MAX_ACCOUNT_WAIT_SECONDS,
    }));
}

/**
 * Checks `username`'s password through the throttle: the user when it is right, null when it is wrong (or no such
 * active user: the same answer, in the same time), a 429 when the address or the account must wait first.
 */
export function passwordChecker(deps: ApiDeps) {
  const throttle = lazyThrottle(deps);
  const users = userRepository(deps.store.User);
  return async (address: string, username: string, password: string): Promise<UserRecord | null> => {
    let user: UserRecord | null = null;
    const check = await throttle().check(address, username, async () => {
      user = await users.forLogin(username);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      return !!user && ok;
    });
    if (check.outcome === 'wait') throw tooManyAttempts(check.seconds);
    return check.outcome === 'right' ? user : null;
  };
}

export function authRoutes(deps: ApiDeps) {
  const checkPassword = passwordChecker(deps);
  return [
    route({
      method: 'post',
      path: '/auth/login',
      operationId: 'logIn',
      summary: 'Log in with a username and password; returns a bearer token',
      description:
        'Limited per account (after a few consecutive wrong passwords each attempt waits a doubling interval) and ' +
        'per client address (wrong passwords over every username).',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      responses: { 200: { description: 'Logged in', schema: LoginResult } },
      errors: {
        401: 'Wrong username or password',
        429: 'Too many wrong passwords for this account or from this address: wait as `Retry-After` says',
      },
      handler: async ({ req, body }) => {
        const user = await checkPassword(req.ip ?? 'unknown', body.username, body.password);
        if (!user) throw new ApiError(401, 'UNAUTHENTICATED', 'wrong username or password');
        const token = await deps.tokens.issue({
          username: user.username,
          tokenVersion: user.tokenVersion,
        });
        return { status: 200, body: { token, user: toUserView(user) } };
      },
    }),
    route({
      method: 'get',
      path: '/me',
      operationId: 'getCurrentUser',
      summary: 'The caller',
      tag: 'auth',
      access: 'self:read',
      responses: { 200: { description: 'The caller', schema: UserView } },
      errors: { 404: 'The token names a user who no longer exists' },
      handler: async ({ principal }) => {
        const user = await userRepository(deps.store.User).byName(principal.username);
        if (user) return { status: 200, body: toUserView(user) };
        // A user known only to the OIDC issuer.
        if (deps.config.OIDC_ISSUER) {
          return {
            status: 200,
            body: {
              id: principal.username,
              username: principal.username,
              displayName: principal.username,
              roles: principal.roles,
              nation: principal.nation,
            },
          };
        }
        throw notFound('user');
      },
    }),
  ];
}
