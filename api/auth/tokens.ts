import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { Role } from '../../domain/schemas/common';
import type { Principal } from '../../domain/permissions';
import type { Config } from '../../infra/config';

/** What a token must say: who, for whom, when issued and until when; local tokens also the session version. */
const Claims = z.object({
  sub: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
  auth_time: z.number().optional(),
  tv: z.number().int().min(0).optional(),
  roles: z.array(Role).min(1).optional(),
  nation: z.string().nullable().optional(),
});

/** The user as a token is checked against. */
export interface TokenUser {
  username: string;
  roles: Principal['roles'];
  nation: string | null;
  /** The capability coalitions a reviewer reviews for. */
  coalitions?: string[];
  active: boolean;
  tokenVersion: number;
}

export interface TokenService {
  issue(user: Pick<TokenUser, 'username' | 'tokenVersion'>): Promise<string>;
  verify(token: string): Promise<Principal>;
  /** Drops what is remembered of a user (its record changed). */
  forget(username?: string): void;
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
    Object.setPrototypeOf(this, InvalidTokenError.prototype);
  }
}

/** How long a user record is trusted before it is read again: a revocation takes effect within this. */
const USER_CACHE_MS = 2_000;

/**
 * Issues HS256 tokens for local logins and verifies them against the user record on every request: the user must
 * still be active and the token must carry the user's current session version (deactivation, a role change and a
 * password change raise it), and the roles are the record's, not the token's. With an OIDC issuer configured,
 * only tokens signed by the issuer's published keys (JWKS) are accepted: a local record, if there is one, still
 * rules; otherwise the issuer's roles do.
 */
export function createTokenService(
  config: Config,
  users: { find(username: string): Promise<TokenUser | null> },
): TokenService {
  const secret = new TextEncoder().encode(config.JWT_SECRET);
  const oidcJwks =
    config.OIDC_ISSUER && config.OIDC_AUDIENCE
      ? createRemoteJWKSet(
          new URL(config.OIDC_JWKS_URL ?? `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`),
        )
      : null;
  const cache = new Map<string, { at: number; user: Promise<TokenUser | null> }>();
  const userOf = (username: string) => {
    const hit = cache.get(username);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.user;
    const user = users.find(username);
    cache.set(username, { at: Date.now(), user });
    user.catch(() => cache.delete(username));
    return user;
  };

  const claimsOf = (payload: JWTPayload) => {
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('token lacks a subject, an issue time or an expiry');
    return claims.data;
  };

  return {
    async issue(user) {
      return new SignJWT({ tv: user.tokenVersion })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.username)
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(config.TOKEN_TTL)
        .sign(secret);
    },
    async verify(token) {
      try {
        if (oidcJwks) {
          // With an issuer configured, its tokens are the only ones accepted.
          const oidc = await jwtVerify(token, oidcJwks, {
            issuer: config.OIDC_ISSUER,
            audience: config.OIDC_AUDIENCE,
            algorithms: ['RS256', 'ES256', 'EdDSA', 'PS256'],
            requiredClaims: ['exp', 'iat', 'sub'],
          });
          const claims = claimsOf(oidc.payload);
          const signedInAt = claims.auth_time ?? claims.iat;
          const local = await userOf(claims.sub);
          if (local) {
            if (!local.active) throw new InvalidTokenError('the user is deactivated');
            return {
              username: local.username,
              roles: local.roles,
              nation: local.nation,
              coalitions: local.coalitions ?? [],
              signedInAt,
            };
          }
          if (!claims.roles) throw new InvalidTokenError('the token names no roles');
          return { username: claims.sub, roles: claims.roles, nation: claims.nation ?? null, signedInAt };
        }
        const { payload } = await jwtVerify(token, secret, {
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'iat', 'sub', 'iss', 'aud'],
        });
        const claims = claimsOf(payload);
        const user = await userOf(claims.sub);
        if (!user) throw new InvalidTokenError('no such user');
        if (!user.active) throw new InvalidTokenError('the user is deactivated');
        if (claims.tv !== user.tokenVersion)
          throw new InvalidTokenError('the session was revoked; sign in again');
        return {
          username: user.username,
          roles: user.roles,
          nation: user.nation,
          coalitions: user.coalitions ?? [],
          signedInAt: claims.iat,
        };
      } catch (err) {
        if (err instanceof InvalidTokenError) throw err;
        throw new InvalidTokenError(err instanceof Error ? err.message : 'invalid token');
      }
    },
    forget(username) {
      if (username) cache.delete(username);
      else cache.clear();
    },
  };
}
