import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
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
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
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
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
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
    DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(1000),
    PUBLIC_URL: z.string().optional(),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Workflows a Temporal worker keeps in memory; the rest are replayed from history when they wake up. */
    TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
    /** Database commands slower than this are logged as warnings (0 turns the log off). */
    MONGO_SLOW_MS: z.coerce.number().int().min(0).default(0),
    /** History events after which a pledge going round again continues as a new workflow run. */
    LIFECYCLE_HISTORY_LIMIT: z.coerce.number().int().min(200).max(40_000).default(5_000),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    const oidc = c.OIDC_ISSUER && c.OIDC_AUDIENCE;
    if (!oidc && !c.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production needs OIDC_ISSUER and OIDC_AUDIENCE, or a JWT_SECRET',
      });
    }
    if (c.SEED_DEMO_USERS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO_USERS'],
        message: 'demo users are never seeded in production',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & { JWT_SECRET: string; SEED_DEMO_USERS: boolean };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
    Object.setPrototypeOf(this, ConfigError.prototype);
  }
}

// Only used outside production, where a well-known secret is acceptable for demo tokens.
const DEVELOPMENT_JWT_SECRET = 'nsatu-engine-development-secret-not-for-production';

/** Validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    JWT_SECRET: c.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    SEED_DEMO_USERS: c.SEED_DEMO_USERS ?? c.NODE_ENV !== 'production',
  };
}
