import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { Projector } from '../store/projector';

/** What activities need from the outside world; injected by the worker (and by tests). */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  store: Store;
  projector: Projector;
}
