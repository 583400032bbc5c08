import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, InvalidTokenError } from '../../api/auth/tokens';
import type { Principal } from '../../domain/permissions';
import { loadConfig } from '../../infra/config';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
const tokens = createTokenService(config);
const secretKey = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

const liaison: Principal = { username: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' };

/** Signs an HS256 token with the local secret, issuer and audience unless overridden. */
function craft(
  claims: JWTPayload,
  opts: { issuer?: string; audience?: string; exp?: number; key?: Uint8Array } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(opts.issuer ?? config.JWT_ISSUER)
    .setAudience(opts.audience ?? config.JWT_AUDIENCE)
    .setIssuedAt(now() - 120)
    .setExpirationTime(opts.exp ?? now() + 600)
    .sign(opts.key ?? secretKey);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('local HS256 tokens', () => {
  it.each([
    ['a nation-bound liaison', liaison],
    [
      'a multi-role officer without nation',
      { username: 'staff', roles: ['staff_officer', 'reviewer'], nation: null },
    ],
  ] as [string, Principal][])(
    'when a token is issued for %s and verified, then username, roles and nation survive',
    async (_label, who) => {
      const token = await tokens.issue(who);

      await expect(tokens.verify(token)).resolves.toEqual(who);
    },
  );

  it.each([
    ['1s', 1],
    ['30m', 1800],
    ['8h', 28800],
  ])('when TOKEN_TTL is %s, then the issued token lives %i seconds', async (ttl, seconds) => {
    const token = await createTokenService(loadConfig({ NODE_ENV: 'test', TOKEN_TTL: ttl })).issue(liaison);
    const { exp, iat } = decodeJwt(token);

    expect(exp! - iat!).toBe(seconds);
  });

  it('when a token has expired, then it is refused with InvalidTokenError', async () => {
    const token = await craft(
      { sub: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' },
      { exp: now() - 60 },
    );

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token issued with a one-second TTL is verified after it lapsed, then it is refused', async () => {
    const shortLived = createTokenService(
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, TOKEN_TTL: '1s' }),
    );
    const token = await shortLived.issue(liaison);
    await new Promise((resolve) => setTimeout(resolve, 2100));

    await expect(shortLived.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token is signed with another secret, then it is refused', async () => {
    const other = createTokenService(
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'another-secret-also-long-enough-0123456789' }),
    );

    await expect(tokens.verify(await other.issue(liaison))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each([
    ['audience', { JWT_AUDIENCE: 'someone-else-api' }],
    ['issuer', { JWT_ISSUER: 'someone-else' }],
  ])('when a token carries the wrong %s, then it is refused', async (_label, env) => {
    const foreign = createTokenService(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ...env }));

    await expect(tokens.verify(await foreign.issue(liaison))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it("when a token uses alg 'none', then it is refused", async () => {
    const payload = {
      sub: 'admin',
      roles: ['admin'],
      nation: null,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      iat: now(),
      exp: now() + 600,
    };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;

    await expect(tokens.verify(unsigned)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token is tampered with after signing, then it is refused', async () => {
    const [header, , signature] = (await tokens.issue(liaison)).split('.');
    const forged = `${header}.${b64({ sub: 'liaison.fra', roles: ['admin'], nation: 'FRA', iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, exp: now() + 600 })}.${signature}`;

    await expect(tokens.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each([
    ['holds an unknown role', { sub: 'mallory', roles: ['superuser'], nation: null }],
    ['mixes a known and an unknown role', { sub: 'mallory', roles: ['reviewer', 'root'], nation: null }],
    ['holds no role', { sub: 'mallory', roles: [], nation: null }],
    ['has no roles claim', { sub: 'mallory', nation: null }],
    ['has no subject', { roles: ['reviewer'], nation: null }],
  ])('when a correctly signed token %s, then it is refused', async (_label, claims) => {
    await expect(tokens.verify(await craft(claims))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when the token is not a JWT at all, then it is refused', async () => {
    await expect(tokens.verify('not-a-jwt')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('OIDC tokens', () => {
  const ISSUER = 'https://idp.example.test/realms/nsatu';
  const AUDIENCE = 'nsatu-api-oidc';
  const KID = 'idp-key-1';
  let server: Server;
  let oidcTokens: ReturnType<typeof createTokenService>;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
    server = createServer((req, res) => {
      if (req.url !== '/jwks') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    oidcTokens = createTokenService(
      loadConfig({
        NODE_ENV: 'test',
        JWT_SECRET: SECRET,
        OIDC_ISSUER: ISSUER,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      }),
    );
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  function idpToken(claims: JWTPayload, opts: { audience?: string; issuer?: string; key?: CryptoKey } = {}) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(opts.issuer ?? ISSUER)
      .setAudience(opts.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(opts.key ?? privateKey);
  }

  it('when the identity provider signs an RS256 token, then it verifies to its principal', async () => {
    const token = await idpToken({ sub: 'reviewer.oidc', roles: ['reviewer'], nation: null });

    await expect(oidcTokens.verify(token)).resolves.toEqual({
      username: 'reviewer.oidc',
      roles: ['reviewer'],
      nation: null,
    });
  });

  it('when the identity provider token names a nation, then the nation is kept', async () => {
    const token = await idpToken({ sub: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' });

    await expect(oidcTokens.verify(token)).resolves.toEqual(liaison);
  });

  it('when a token is issued with the local secret, then it is refused', async () => {
    const local = await oidcTokens.issue(liaison);

    await expect(oidcTokens.verify(local)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when an HS256 token carries the OIDC issuer and audience, then it is still refused', async () => {
    const token = await craft(
      { sub: 'admin', roles: ['admin'], nation: null },
      { issuer: ISSUER, audience: AUDIENCE },
    );

    await expect(oidcTokens.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each([
    ['audience', { audience: 'another-api' }],
    ['issuer', { issuer: 'https://evil.example.test/' }],
  ])('when an RS256 token has the wrong %s, then it is refused', async (_label, opts) => {
    const token = await idpToken({ sub: 'reviewer.oidc', roles: ['reviewer'], nation: null }, opts);

    await expect(oidcTokens.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when an RS256 token is signed by a key the JWKS does not publish, then it is refused', async () => {
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const token = await idpToken(
      { sub: 'reviewer.oidc', roles: ['reviewer'], nation: null },
      { key: stranger },
    );

    await expect(oidcTokens.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when an RS256 token holds an unknown role, then it is refused', async () => {
    const token = await idpToken({ sub: 'reviewer.oidc', roles: ['offline_access'], nation: null });

    await expect(oidcTokens.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
