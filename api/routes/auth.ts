import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { Role } from '../../domain/schemas/common';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/errors';
import { route } from '../http/route';

export const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  nation: z.string().nullable(),
});

interface UserDoc {
  _id: { toString(): string };
  username: string;
  displayName: string;
  roles: z.infer<typeof Role>[];
  nation?: string | null;
  passwordHash: string;
  active: boolean;
}

export const toUserView = (u: Omit<UserDoc, 'passwordHash' | 'active'>) => ({
  id: u._id.toString(),
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  nation: u.nation ?? null,
});

// Verifying against a real hash when the user does not exist keeps timing from revealing usernames.
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => (dummyHash ??= hashPassword('not-a-real-password'));

/** Login is rate-limited per client address and username to slow password guessing. */
export function loginRateLimit(deps: ApiDeps): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: deps.config.LOGIN_RATE_LIMIT_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 100) : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${username}`;
    },
    handler: (_req, res) => {
      res.status(429).json({
        error: { code: 'RATE_LIMITED', message: 'too many login attempts; wait a minute', details: [] },
      });
    },
  });
}

export function authRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'post',
      path: '/auth/login',
      summary: 'Log in with a username and password; returns a bearer token',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      responses: { 200: { description: 'Logged in', schema: z.object({ token: z.string(), user: UserView }) } },
      handler: async ({ body }) => {
        const user = await deps.store.User.findOne({ username: body.username, active: true }).lean<UserDoc>();
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
        if (!user || !ok) throw new ApiError(401, 'UNAUTHENTICATED', 'wrong username or password');
        const token = await deps.tokens.issue({ username: user.username, roles: user.roles, nation: user.nation ?? null });
        return { status: 200, body: { token, user: toUserView(user) } };
      },
    }),
    route({
      method: 'get',
      path: '/me',
      summary: 'The caller',
      tag: 'auth',
      access: 'self:read',
      responses: { 200: { description: 'The caller', schema: UserView } },
      handler: async ({ principal }) => {
        const user = await deps.store.User.findOne({ username: principal.username }).lean<UserDoc>();
        if (user) return { status: 200, body: toUserView(user) };
        // A user known only to the OIDC issuer.
        if (deps.config.OIDC_ISSUER) {
          return {
            status: 200,
            body: { id: principal.username, username: principal.username, displayName: principal.username, roles: principal.roles, nation: principal.nation },
          };
        }
        throw notFound('user');
      },
    }),
  ];
}
