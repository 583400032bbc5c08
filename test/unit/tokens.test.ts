import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService, InvalidTokenError, type TokenUser } from '../../api/auth/tokens';
import type { Principal } from '../../domain/permissions';
import { loadConfig } from '../../infra/config';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
const secretKey = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** The user records tokens are checked against (what the API reads from the users collection). */
const records = new Map<string, TokenUser>();
const users = { find: async (username: string) => records.get(username) ?? null };
const record = (
  username: string,
  roles: TokenUser['roles'],
  nation: string | null = null,
  extra: Partial<TokenUser> = {},
) => records.set(username, { username, roles, nation, active: true, tokenVersion: 0, ...extra });
const tokens = createTokenService(config, users);
const service = (env: NodeJS.ProcessEnv) =>
  createTokenService(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ...env }), users);

const liaison: Principal = { username: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' };
const issue = (username: string, tokenVersion = 0) => tokens.issue({ username, tokenVersion });

/** Signs an HS256 token with the local secret, issuer and audience unless overridden. */
function craft(
  claims: JWTPayload,
  opts: {
    issuer?: string;
    audience?: string;
    exp?: number | null;
    iat?: number | null;
    key?: Uint8Array;
  } = {},
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(opts.issuer ?? config.JWT_ISSUER)
    .setAudience(opts.audience ?? config.JWT_AUDIENCE);
  if (opts.iat !== null) jwt = jwt.setIssuedAt(opts.iat ?? now() - 120);
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now() + 600);
  return jwt.sign(opts.key ?? secretKey);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeEach(() => {
  records.clear();
  tokens.forget();
  record('liaison.fra', ['donor_liaison'], 'FRA');
  record('staff', ['staff_officer', 'reviewer']);
  record('admin', ['admin']);
});

describe('local HS256 tokens, checked against the user record', () => {
  it.each([
    ['a nation-bound liaison', liaison],
    [
      'a multi-role officer without nation',
      { username: 'staff', roles: ['staff_officer', 'reviewer'], nation: null },
    ],
  ] as [string, Principal][])(
    "when a token is issued for %s and verified, then username, roles and nation are the record's",
    async (_label, who) => {
      await expect(tokens.verify(await issue(who.username))).resolves.toMatchObject(who);
    },
  );

  it("when the record's roles change, then the roles the token was issued with no longer count", async () => {
    const token = await issue('staff');
    record('staff', ['staff_officer']);
    tokens.forget('staff');
    await expect(tokens.verify(token)).resolves.toMatchObject({
      username: 'staff',
      roles: ['staff_officer'],
      nation: null,
    });
  });

  it("when the user's session version is raised (deactivation, roles, password), then its earlier tokens are refused", async () => {
    const token = await issue('staff');
    record('staff', ['staff_officer', 'reviewer'], null, { tokenVersion: 1 });
    tokens.forget('staff');
    await expect(tokens.verify(token)).rejects.toThrow(/revoked/);
    await expect(tokens.verify(await issue('staff', 1))).resolves.toMatchObject({ username: 'staff' });
  });

  it('when the user is deactivated, then its tokens are refused', async () => {
    const token = await issue('staff');
    record('staff', ['staff_officer'], null, { active: false });
    tokens.forget('staff');
    await expect(tokens.verify(token)).rejects.toThrow(/deactivated/);
  });

  it('when a correctly signed token names a user who does not exist, with admin roles, then it is refused', async () => {
    const forged = await craft({ sub: 'mallory', roles: ['admin'], tv: 0 });
    await expect(tokens.verify(forged)).rejects.toThrow(/no such user/);
  });

  it.each([
    ['1s', 1],
    ['30m', 1800],
    ['8h', 28800],
  ])('when TOKEN_TTL is %s, then the issued token lives %i seconds', async (ttl, seconds) => {
    const { exp, iat } = decodeJwt(
      await service({ TOKEN_TTL: ttl }).issue({ username: 'liaison.fra', tokenVersion: 0 }),
    );
    expect(exp! - iat!).toBe(seconds);
  });

  it.each([
    ['has expired', { exp: now() - 60 }],
    ['has no expiry', { exp: null }],
    ['has no issue time', { iat: null }],
  ])('when a token %s, then it is refused', async (_label, opts) => {
    await expect(tokens.verify(await craft({ sub: 'admin', tv: 0 }, opts))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('when a token issued with a one-second TTL is verified after it lapsed, then it is refused', async () => {
    const shortLived = service({ TOKEN_TTL: '1s' });
    const token = await shortLived.issue({ username: 'liaison.fra', tokenVersion: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(shortLived.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token is signed with another secret, then it is refused', async () => {
    const other = createTokenService(
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'another-secret-also-long-enough-0123456789' }),
      users,
    );
    await expect(
      tokens.verify(await other.issue({ username: 'admin', tokenVersion: 0 })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token is signed with the public development secret, then a service with a real secret refuses it', async () => {
    const demo = createTokenService(loadConfig({ AUTH_MODE: 'demo' }), users);
    await expect(
      tokens.verify(await demo.issue({ username: 'admin', tokenVersion: 0 })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each([
    ['audience', { JWT_AUDIENCE: 'someone-else-api' }],
    ['issuer', { JWT_ISSUER: 'someone-else' }],
  ])('when a token carries the wrong %s, then it is refused', async (_label, env) => {
    await expect(
      tokens.verify(await service(env).issue({ username: 'admin', tokenVersion: 0 })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it("when a token uses alg 'none', then it is refused", async () => {
    const payload = {
      sub: 'admin',
      tv: 0,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      iat: now(),
      exp: now() + 600,
    };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    await expect(tokens.verify(unsigned)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('when a token is tampered with after signing, then it is refused', async () => {
    const [header, , signature] = (await issue('liaison.fra')).split('.');
    const forged = `${header}.${b64({ sub: 'admin', tv: 0, iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, iat: now(), exp: now() + 600 })}.${signature}`;
    await expect(tokens.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each([
    ['has no subject', { tv: 0 }],
    ['carries a session version that is not a number', { sub: 'admin', tv: 'zero' }],
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
      users,
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

    await expect(oidcTokens.verify(token)).resolves.toMatchObject({
      username: 'reviewer.oidc',
      roles: ['reviewer'],
      nation: null,
    });
  });

  it('when the identity provider token names a nation, then the nation is kept', async () => {
    const token = await idpToken({ sub: 'liaison.deu', roles: ['donor_liaison'], nation: 'DEU' });

    await expect(oidcTokens.verify(token)).resolves.toMatchObject({
      username: 'liaison.deu',
      roles: ['donor_liaison'],
      nation: 'DEU',
    });
  });

  it('when the identity provider vouches for a user the engine knows, then the local record rules (roles, deactivation)', async () => {
    const token = await idpToken({ sub: 'staff', roles: ['admin'], nation: null });
    await expect(oidcTokens.verify(token)).resolves.toMatchObject({
      username: 'staff',
      roles: ['staff_officer', 'reviewer'],
      nation: null,
    });
    record('staff', ['staff_officer'], null, { active: false });
    oidcTokens.forget('staff');
    await expect(oidcTokens.verify(token)).rejects.toThrow(/deactivated/);
  });

  it('when a token is issued with the local secret, then it is refused', async () => {
    const local = await oidcTokens.issue({ username: 'liaison.fra', tokenVersion: 0 });

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
