import type { Redis } from 'ioredis';
import type { System } from '../../domain/schemas/reference';
import type { PledgeRecord } from '../../domain/pledge-record';
import type { Logger } from '../../infra/logger';
import type { Store } from '../../store';
import { startAuditChainer } from '../../store/audit-log';
import { rebuildOnDemand } from '../../store/projection-rebuild';
import { projectionWriter } from '../../store/projections';
import { createProjector } from '../../store/projector';
import { BENCH_DONORS } from './engine';
import { finishedPledge, type BenchSigner } from './finished-pledges';
import { mapLimit } from './map-limit';
import { sleep } from './stats';

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

/** Finished pledges written between two waits for the audit chain, and the unlinked entries a wait allows. */
const HISTORY_CHUNK = 250;
const UNLINKED_BOUND = 2_000;

/**
 * Writes finished pledges `PLBENCH<n>`, one for each number, as clones of `template` spread over the bench's donors,
 * 8 at a time; `alongside` writes whatever else a bench keeps for each. History is written far faster than the
 * engine ever writes (about 500 audit entries a second), so the audit chain is let to catch up every few hundred
 * pledges: each batch the chainer links pays for sorting everything still unlinked on FerretDB, and a queue left to
 * grow to tens of thousands of entries drains slower than it grows.
 */
export async function writeFinishedPledges(
  store: Store,
  history: ReturnType<typeof historyProjector>,
  {
    numbers,
    template,
    systems,
    signers,
    alongside,
    log,
  }: {
    numbers: number[];
    template: PledgeRecord;
    systems: System[];
    signers: Record<string, BenchSigner>;
    alongside?: (id: string) => Promise<void>;
    log: (line: string) => void;
  },
) {
  for (let from = 0; from < numbers.length; from += HISTORY_CHUNK) {
    await mapLimit(numbers.slice(from, from + HISTORY_CHUNK), 8, async (n) => {
      const id = `PLBENCH${String(n).padStart(8, '0')}`;
      const pledge = finishedPledge(template, {
        id,
        donor: BENCH_DONORS[n % BENCH_DONORS.length],
        minutesAgo: 60 * 24 * 30 + n,
        systems,
        signers,
      });
      await history.projector.projectPledge(pledge.events);
      for (const [rev, task] of pledge.tasks.entries()) await history.projector.projectTask(task, rev + 1);
      await alongside?.(id);
      if ((n + 1) % 1000 === 0) log(`${n + 1} finished pledges written`);
    });
    while ((await store.PendingAudit.estimatedDocumentCount()) > UNLINKED_BOUND) {
      history.chainer.kick();
      await sleep(500);
    }
  }
}
