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
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      NODE_ENV: 'development',
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

  it('when no JWT_SECRET is set outside production, then a development secret of at least 32 characters is used', () => {
    const config = loadConfig({ NODE_ENV: 'test' });

    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('when PORT and URLs are given, then they are used and PORT becomes a number', () => {
    const config = loadConfig({
      PORT: '9090',
      MONGODB_URI: 'mongodb+srv://db.example.test/nsatu',
      REDIS_URL: 'rediss://cache.example.test:6380',
      JWT_SECRET: SECRET,
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

  it('when JWT_SECRET has exactly 32 characters, then it is accepted', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
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
    'when NODE_ENV is %s and SEED_DEMO_USERS is %s, then demo users seeding is %s',
    (nodeEnv, flag, expected) => {
      const env: NodeJS.ProcessEnv = { NODE_ENV: nodeEnv };
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
    expect(error.message).not.toContain('at least 32');
  });

  it('when production has an empty SEED_DEMO_USERS, then it defaults to false', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_USERS: '' }).SEED_DEMO_USERS,
    ).toBe(false);
  });
});
