import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { Role } from '../../domain/schemas/common';
import type { Principal } from '../../domain/permissions';
import type { Config } from '../../infra/config';

const Claims = z.object({
  sub: z.string().min(1),
  roles: z.array(Role).min(1),
  nation: z.string().nullable().optional(),
});

export interface TokenService {
  issue(principal: Principal): Promise<string>;
  verify(token: string): Promise<Principal>;
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
    Object.setPrototypeOf(this, InvalidTokenError.prototype);
  }
}

function toPrincipal(payload: JWTPayload): Principal {
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new InvalidTokenError('token lacks a subject or valid roles');
  return { username: claims.data.sub, roles: claims.data.roles, nation: claims.data.nation ?? null };
}

/**
 * Issues HS256 tokens for local logins; verifies either those or, when an OIDC issuer is
 * configured, tokens signed by the issuer's published keys (JWKS).
 */
export function createTokenService(config: Config): TokenService {
  const secret = new TextEncoder().encode(config.JWT_SECRET);
  const oidcJwks =
    config.OIDC_ISSUER && config.OIDC_AUDIENCE
      ? createRemoteJWKSet(new URL(config.OIDC_JWKS_URL ?? `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`))
      : null;

  return {
    async issue(principal) {
      return new SignJWT({ roles: principal.roles, nation: principal.nation })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.username)
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(config.TOKEN_TTL)
        .sign(secret);
    },
    async verify(token) {
      try {
        if (oidcJwks) {
          const { payload } = await jwtVerify(token, oidcJwks, {
            issuer: config.OIDC_ISSUER,
            audience: config.OIDC_AUDIENCE,
            algorithms: ['RS256', 'ES256', 'EdDSA', 'PS256'],
          });
          return toPrincipal(payload);
        }
        const { payload } = await jwtVerify(token, secret, {
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          algorithms: ['HS256'],
        });
        return toPrincipal(payload);
      } catch (err) {
        if (err instanceof InvalidTokenError) throw err;
        throw new InvalidTokenError(err instanceof Error ? err.message : 'invalid token');
      }
    },
  };
}
