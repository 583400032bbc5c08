import type { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import type { Store } from '../../store';
import { startAuditChainer } from '../../store/audit-log';
import { rebuildOnDemand } from '../../store/projection-rebuild';
import { projectionWriter } from '../../store/projections';
import { createProjector } from '../../store/projector';

/**
 * The projector as the workflows use it, minus notifications: benches that write recorded history through it tell
 * nobody of events that happened long ago. Stop the chainer when done.
 */
export function historyProjector(store: Store, redis: Redis, queuePrefix: string, logger: Logger) {
  const chainer = startAuditChainer(store, () => undefined, 200);
  const projector = createProjector({
    store,
    views: projectionWriter(redis, queuePrefix),
    publish: async () => undefined,
    linkAudit: chainer.kick,
    projectionsAbsent: rebuildOnDemand(store, redis, queuePrefix, logger),
    logger,
  });
  return { projector, chainer };
}
