import type { Redis } from 'ioredis';
import { notificationPublisher } from '../jobs/notification-publisher';
import type { Queues } from '../jobs/queues';
import type { Store } from '../store';
import { startAuditChainer } from '../store/audit-log';
import { rebuildOnDemand } from '../store/projection-rebuild';
import { projectionReader, projectionWriter } from '../store/projections';
import { versionedReferenceReader } from '../store/reference-reader';
import { createProjector } from '../store/projector';
import type { Logger } from './logger';

/**
 * The projector of a process (worker, API, jobs worker), wired to its connections, with its audit chainer, and what
 * workers read of the projections (open pledges, reference data cached by version).
 */
export function wireProjector({
  store,
  redis,
  queues,
  prefix,
  logger,
}: {
  store: Store;
  redis: Redis;
  queues: Queues;
  prefix: string;
  logger: Logger;
}) {
  const chainer = startAuditChainer(store, (err) =>
    logger.warn({ err }, 'linking audit entries failed; retried shortly'),
  );
  const views = projectionWriter(redis, prefix);
  const projector = createProjector({
    store,
    views,
    publish: notificationPublisher(queues),
    linkAudit: chainer.kick,
    projectionsAbsent: rebuildOnDemand(store, redis, prefix, logger),
    logger,
  });
  const projections = projectionReader(redis, prefix);
  const reference = versionedReferenceReader(store, projections.referenceVersion);
  return { projector, views, chainer, projections, reference };
}
