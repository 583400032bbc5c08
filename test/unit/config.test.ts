import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config';

const SECRET = 'x'.repeat(32);

/** Runs loadConfig and returns the ConfigError it throws; fails the test when it does not throw one. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('when only demo mode is chosen, then the documented defaults apply', () => {
    const config = loadConfig({ AUTH_MODE: 'demo' });

    expect(config).toMatchObject({
      NODE_ENV: 'development',
      AUTH_MODE: 'demo',
      SEED_DEMO_USERS: true,
      PORT: 8080,
      MONGODB_URI: 'mongodb://127.0.0.1:27017/nsatu',
      REDIS_URL: 'redis://127.0.0.1:6390',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      JWT_ISSUER: 'nsatu-engine',
      JWT_AUDIENCE: 'nsatu-api',
      TOKEN_TTL: '8h',
    });
  });

  it('when demo mode has no JWT_SECRET, then the development secret of at least 32 characters is used', () => {
    const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'demo' });

    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('when a worker or a tool loads the configuration, then the rules of authentication are left out', () => {
    expect(loadConfig({}, { auth: false })).toMatchObject({
      AUTH_MODE: 'secure',
      NODE_ENV: 'development',
      SEED_DEMO_USERS: false,
    });
  });

  it('when PORT and URLs are given, then they are used and PORT becomes a number', () => {
    const config = loadConfig({
      PORT: '9090',
      MONGODB_URI: 'mongodb+srv://db.example.test/nsatu',
      REDIS_URL: 'rediss://cache.example.test:6380',
      JWT_SECRET: SECRET,
      NODE_ENV: 'production',
    });

    expect(config).toMatchObject({
      PORT: 9090,
      MONGODB_URI: 'mongodb+srv://db.example.test/nsatu',
      REDIS_URL: 'rediss://cache.example.test:6380',
      JWT_SECRET: SECRET,
    });
  });
});

describe('loadConfig refuses bad values', () => {
  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['MONGODB_URI', 'postgres://127.0.0.1/nsatu'],
    ['MONGODB_URI', '127.0.0.1:27017'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['JWT_SECRET', 'too-short'],
    ['JWT_SECRET', 'x'.repeat(31)],
  ])('when %s is %j, then a ConfigError names the variable', (name, value) => {
    const error = configErrorFor({ NODE_ENV: 'test', [name]: value });

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(name);
  });

  it('when several variables are bad, then the ConfigError names every one of them', () => {
    const error = configErrorFor({
      PORT: 'x',
      MONGODB_URI: 'mysql://db',
      REDIS_URL: 'memcached://c',
      JWT_SECRET: 'short',
    });

    for (const name of ['PORT', 'MONGODB_URI', 'REDIS_URL', 'JWT_SECRET'])
      expect(error.message).toContain(name);
  });

  it('when JWT_SECRET has exactly 32 bytes, then it is accepted', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
  });

  it('when JWT_SECRET is long enough in characters but not in bytes, then it is refused (15 two-byte characters)', () => {
    expect(configErrorFor({ NODE_ENV: 'production', JWT_SECRET: 'é'.repeat(15) }).message).toContain(
      'JWT_SECRET',
    );
  });
});

describe('loadConfig: no accidental demo (secure mode is the default)', () => {
  it('when NODE_ENV is unset and demo mode is not chosen, then it refuses and says how to go on', () => {
    const error = configErrorFor({ JWT_SECRET: SECRET });
    expect(error.message).toContain('NODE_ENV');
    expect(error.message).toContain('AUTH_MODE=demo');
  });

  it('when the public development secret is given as JWT_SECRET, then it refuses', () => {
    const error = configErrorFor({
      NODE_ENV: 'production',
      JWT_SECRET: 'nsatu-engine-development-secret-not-for-production',
    });
    expect(error.message).toContain('development secret is public');
  });

  it('when demo mode is asked for in production, then it refuses', () => {
    expect(configErrorFor({ NODE_ENV: 'production', AUTH_MODE: 'demo' }).message).toContain('AUTH_MODE');
  });

  it('when secure mode asks for demo users, then it refuses', () => {
    expect(
      configErrorFor({ NODE_ENV: 'development', JWT_SECRET: SECRET, SEED_DEMO_USERS: 'true' }).message,
    ).toContain('SEED_DEMO_USERS');
  });
});

describe('loadConfig in production', () => {
  it.each([
    ['neither OIDC nor JWT_SECRET', {}],
    ['only OIDC_ISSUER', { OIDC_ISSUER: 'https://idp.example.test/realms/nsatu' }],
    ['only OIDC_AUDIENCE', { OIDC_AUDIENCE: 'nsatu-api' }],
  ])('when production has %s, then it refuses and names JWT_SECRET', (_label, env) => {
    const error = configErrorFor({ NODE_ENV: 'production', ...env });

    expect(error.message).toContain('JWT_SECRET');
  });

  it.each([
    ['a JWT_SECRET', { JWT_SECRET: SECRET }],
    [
      'OIDC_ISSUER and OIDC_AUDIENCE',
      { OIDC_ISSUER: 'https://idp.example.test/realms/nsatu', OIDC_AUDIENCE: 'nsatu-api' },
    ],
  ])('when production has %s, then it starts without demo users', (_label, env) => {
    const config = loadConfig({ NODE_ENV: 'production', ...env });

    expect(config.NODE_ENV).toBe('production');
    expect(config.SEED_DEMO_USERS).toBe(false);
  });

  it.each(['true', '1', 'yes'])(
    'when production sets SEED_DEMO_USERS=%s, then it refuses and names SEED_DEMO_USERS',
    (value) => {
      const error = configErrorFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_USERS: value });

      expect(error.message).toContain('SEED_DEMO_USERS');
    },
  );

  it('when production sets SEED_DEMO_USERS=false, then it is accepted', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_USERS: 'false' }).SEED_DEMO_USERS,
    ).toBe(false);
  });
});

describe('loadConfig SEED_DEMO_USERS', () => {
  it.each([
    ['development', undefined, true],
    ['test', undefined, true],
    ['development', 'false', false],
    ['development', '0', false],
    ['development', 'no', false],
    ['test', 'false', false],
    ['development', 'true', true],
  ] as const)(
    'when demo mode runs with NODE_ENV %s and SEED_DEMO_USERS %s, then demo users seeding is %s',
    (nodeEnv, flag, expected) => {
      const env: NodeJS.ProcessEnv = { NODE_ENV: nodeEnv, AUTH_MODE: 'demo' };
      if (flag !== undefined) env.SEED_DEMO_USERS = flag;

      expect(loadConfig(env).SEED_DEMO_USERS).toBe(expected);
    },
  );

  it('when SEED_DEMO_USERS is not a boolean word, then a ConfigError names it', () => {
    expect(configErrorFor({ SEED_DEMO_USERS: 'maybe' }).message).toContain('SEED_DEMO_USERS');
  });
});

describe('loadConfig empty strings', () => {
  it('when variables are empty strings, then they count as unset and the defaults apply', () => {
    const config = loadConfig({
      NODE_ENV: '',
      AUTH_MODE: 'demo',
      PORT: '',
      MONGODB_URI: '',
      REDIS_URL: '',
      JWT_SECRET: '',
      SEED_DEMO_USERS: '',
      OIDC_ISSUER: '',
    });

    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8080,
      MONGODB_URI: 'mongodb://127.0.0.1:27017/nsatu',
      REDIS_URL: 'redis://127.0.0.1:6390',
      SEED_DEMO_USERS: true,
    });
    expect(config.OIDC_ISSUER).toBeUndefined();
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('when production has an empty JWT_SECRET and empty OIDC variables, then it refuses as if they were unset', () => {
    const error = configErrorFor({
      NODE_ENV: 'production',
      JWT_SECRET: '',
      OIDC_ISSUER: '',
      OIDC_AUDIENCE: '',
    });

    expect(error.message).toContain('JWT_SECRET');
    expect(error.message).not.toContain('must be at least 32 bytes');
  });

  it('when production has an empty SEED_DEMO_USERS, then it defaults to false', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_USERS: '' }).SEED_DEMO_USERS,
    ).toBe(false);
  });
});
