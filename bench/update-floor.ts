/**
 * The floor under the task-completion round trip: bare Temporal Updates (the handler answers at once, no activity,
 * no projection) on minimal workflows that wait for them, as many and as concurrent as the deciders' completions,
 * on this machine's Temporal server. A completion also waits for the decision's projection and the next status.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { baselinePledge, decideUpdate, waitingForQuery } from './baseline-workflows';
import { startBaselineWorker } from './lib/baseline-worker-process';
import { mapLimit } from './lib/map-limit';
import { percentile, round, sleep } from './lib/stats';

export async function measureUpdateFloor(client: Client, opts: { updates: number; callers: number }) {
  const taskQueue = `bench-floor-${randomUUID().slice(0, 8)}`;
  const worker = await startBaselineWorker(taskQueue);
  try {
    const handles = await Promise.all(
      Array.from({ length: opts.updates }, (_, i) =>
        client.workflow.start(baselinePledge, {
          taskQueue,
          workflowId: `${taskQueue}-${i}`,
          // No activity before the decision, none after: the workflow only waits for its Update.
          args: [{ activityBatches: [0, 0] }],
        }),
      ),
    );
    for (const handle of handles) while ((await handle.query(waitingForQuery)) < 0) await sleep(50);
    const latencies: number[] = [];
    const started = performance.now();
    await mapLimit(handles, opts.callers, async (handle) => {
      const t0 = performance.now();
      await handle.executeUpdate(decideUpdate, { args: [0] });
      latencies.push(performance.now() - t0);
    });
    latencies.sort((a, b) => a - b);
    return {
      callers: opts.callers,
      updates: latencies.length,
      perSecond: round(latencies.length / ((performance.now() - started) / 1000), 1),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    };
  } finally {
    worker.kill('SIGTERM');
  }
}
