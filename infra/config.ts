import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  /** Set it: with neither NODE_ENV nor AUTH_MODE=demo the engine does not start (no accidental demo). */
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  /**
   * `demo` runs with the well-known development secret and the demo users (the quick start, the tests); it is
   * refused in production. `secure` (the default) needs a real secret (≥ 32 bytes) or an OIDC issuer.
   */
  AUTH_MODE: z.enum(['demo', 'secure']).default('secure'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('nsatu-engine'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL')
    .default('mongodb://127.0.0.1:27017/nsatu'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6390'),
  QUEUE_PREFIX: z.string().min(1).max(40).default('nsatu'),
  JWT_SECRET: z
    .string()
    .refine((v) => Buffer.byteLength(v, 'utf8') >= 32, 'must be at least 32 bytes')
    .optional(),
  JWT_ISSUER: z.string().min(1).default('nsatu-engine'),
  JWT_AUDIENCE: z.string().min(1).default('nsatu-api'),
  TOKEN_TTL: z
    .string()
    .regex(/^\d+[smhd]$/, 'must look like 8h, 30m or 3600s')
    .default('8h'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  SEED_DEMO_USERS: booleanFlag.optional(),
  DEMO_PASSWORD: z.string().min(8).default('nsatu-demo'),
  /** Wrong passwords from one client address, over every username, before it waits out the window. */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  LOGIN_ADDRESS_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** Consecutive wrong passwords on one account before each further attempt waits a doubling interval. */
  LOGIN_FREE_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_ACCOUNT_WAIT_SECONDS: z.coerce.number().int().positive().default(900),
  /**
   * Express's `trust proxy`: unset trusts no proxy (the client address is the socket's), so a forged
   * X-Forwarded-For changes nothing. Behind a reverse proxy, name its hop count or addresses (`1`, `10.0.0.5`).
   */
  /** The bearer token Prometheus sends to scrape the API's `/metrics`; unset, `/metrics` is off. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => !/^(true|\*)$/i.test(v.trim()),
      'trusting every proxy makes the client address forgeable; name the hop count or addresses',
    )
    .optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/)
    .default('256kb'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('NSATU engine <nsatu-engine@localhost>'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** Let webhooks go to loopback and private addresses (tests, a receiver on the same machine); never in production. */
  WEBHOOK_ALLOW_INTERNAL_ADDRESSES: booleanFlag.default(false),
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(1000),
  PUBLIC_URL: z.string().optional(),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /**
   * Workflows a Temporal worker keeps in memory; the rest are replayed from history when they wake up. Pledges wait
   * on people for days, so a decision nearly always wakes a workflow the cache no longer holds, whatever its size;
   * each cached one costs about 1 MiB (bench/memory.ts: 295.7 MiB at 50, 266.8 MiB at 20, 2,000 pledges waiting).
   */
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(20),
  /** Database commands slower than this are logged as warnings (0 turns the log off). */
  MONGO_SLOW_MS: z.coerce.number().int().min(0).default(0),
  /** History events after which a pledge going round again continues as a new workflow run. */
  LIFECYCLE_HISTORY_LIMIT: z.coerce.number().int().min(200).max(40_000).default(5_000),
  /** mTLS to the Temporal frontend: the engine's client certificate and key, and the CA that signed the server's. */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** The Ed25519 key (PEM) that signs audit checkpoints; made on first use in demo mode. */
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  /** A checkpoint is signed once the log has grown by this many entries (and on demand). */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(100),
});

/**
 * The rules of authentication, for the processes that issue or verify tokens (the API): a demonstration is never
 * mistaken for a deployment.
 */
const authRules = (c: z.infer<typeof ConfigSchema>, ctx: z.RefinementCtx) => {
  const oidc = c.OIDC_ISSUER && c.OIDC_AUDIENCE;
  if (c.AUTH_MODE === 'demo') {
    if (c.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_MODE'],
        message: 'demo mode (the well-known secret and demo users) is never allowed in production',
      });
    }
    return;
  }
  if (!c.NODE_ENV) {
    ctx.addIssue({
      code: 'custom',
      path: ['NODE_ENV'],
      message: 'set NODE_ENV (production), or choose AUTH_MODE=demo explicitly for a demonstration',
    });
  }
  if (!oidc && !c.JWT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message:
        'needs OIDC_ISSUER and OIDC_AUDIENCE, or a JWT_SECRET of at least 32 bytes (or AUTH_MODE=demo)',
    });
  }
  if (c.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message: 'the development secret is public: use a secret of your own',
    });
  }
  if (c.SEED_DEMO_USERS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SEED_DEMO_USERS'],
      message: 'demo users are seeded only in demo mode (AUTH_MODE=demo)',
    });
  }
};

export type Config = z.infer<typeof ConfigSchema> & {
  NODE_ENV: 'development' | 'test' | 'production';
  JWT_SECRET: string;
  SEED_DEMO_USERS: boolean;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
    Object.setPrototypeOf(this, ConfigError.prototype);
  }
}

// Only in demo mode, where a well-known secret is acceptable for demo tokens; refused anywhere else.
const DEVELOPMENT_JWT_SECRET = 'nsatu-engine-development-secret-not-for-production';

/**
 * Validates the environment; throws a ConfigError naming every bad variable. `auth: false` leaves out the rules of
 * authentication, for processes that neither issue nor verify tokens (the workers, operator commands).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { auth = true }: { auth?: boolean } = {},
): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = (auth ? ConfigSchema.superRefine(authRules) : ConfigSchema).safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  const demo = c.AUTH_MODE === 'demo';
  return {
    ...c,
    NODE_ENV: c.NODE_ENV ?? 'development',
    // Secure mode with OIDC and no secret: local logins get a secret of this process only (valid until it stops).
    JWT_SECRET: c.JWT_SECRET ?? (demo ? DEVELOPMENT_JWT_SECRET : randomBytes(32).toString('base64url')),
    SEED_DEMO_USERS: c.SEED_DEMO_USERS ?? demo,
  };
}
