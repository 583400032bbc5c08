import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Temporal } from '../infra/temporal';
import type { Queues } from '../jobs/queues';
import type { Store } from '../store';
import type { TokenService } from './auth/tokens';

/** Everything the API's routes depend on; injected so tests run the real thing on their own databases. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  temporal: Temporal;
  redis: Redis;
  queues: Queues;
  tokens: TokenService;
}
