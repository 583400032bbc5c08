import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { startAuditChainer } from './audit-log';
import type { Store } from './index';
import { rebuildOnDemand } from './projection-rebuild';
import { projectionReader, projectionWriter } from './projections';
import { createProjector, type ProjectorDeps } from './projector';
import { versionedReferenceReader } from './reference-reader';

/**
 * The projector of a process (worker, API, jobs worker), wired to its connections, with its audit chainer, and what
 * workers read of the projections (open pledges, reference data cached by version). The caller hands in how
 * notifications are published (the jobs queue), so the store does not depend on the jobs it feeds.
 */
export function wireProjector({
  store,
  redis,
  publish,
  prefix,
  logger,
}: {
  store: Store;
  redis: Redis;
  publish: ProjectorDeps['publish'];
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
    publish,
    linkAudit: chainer.kick,
    projectionsAbsent: rebuildOnDemand(store, redis, prefix, logger),
    logger,
  });
  const projections = projectionReader(redis, prefix);
  const reference = versionedReferenceReader(store, projections.referenceVersion);
  return { projector, views, chainer, projections, reference };
}
