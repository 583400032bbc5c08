import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Temporal } from '../infra/temporal';
import type { Queues } from '../jobs/queues';
import type { Store } from '../store';
import type { CheckpointKey } from '../store/checkpoint-key';
import type { KeyCache } from '../store/decision-verification';
import type { ProjectionWriter } from '../store/projections';
import type { Projector } from '../store/projector';
import type { ReferenceReader } from '../store/reference-reader';
import type { TokenService } from './auth/tokens';
import type { ReadViews } from './views/read-views';

/** Everything the API's routes depend on; injected so tests run the real thing on their own databases. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  temporal: Temporal;
  redis: Redis;
  queues: Queues;
  tokens: TokenService;
  /** Records submissions (the API's one write to the pledge record). */
  projector: Projector;
  /** Writes comment projections and notices to the change stream. */
  projections: ProjectionWriter;
  /** The read side: every hot read is answered from here. */
  views: ReadViews;
  /** Reference data, cached in memory until a change is announced. */
  reference: ReferenceReader;
  /** Signing keys by id, for the read-time signature checks. */
  keys: KeyCache;
  /** The key that signs audit checkpoints (held outside the database). */
  checkpointKey: CheckpointKey;
}
