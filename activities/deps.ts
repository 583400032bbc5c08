import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { ProjectionReader } from '../store/projections';
import type { Projector } from '../store/projector';
import type { ReferenceReader } from '../store/reference-reader';

/** What activities need from the outside world; injected by the worker (and by tests). */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  store: Store;
  projector: Projector;
  /** Open pledges for the duplicate check, from the projections. */
  projections: Pick<ProjectionReader, 'openPledgesOf'>;
  /** Reference data, cached while its version does not move. */
  reference: ReferenceReader;
}
