import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Queues } from '../jobs/queues';
import type { Store } from '../store';

/** What activities need from the outside world; injected by the worker (and by tests). */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queues: Queues;
}
