/**
 * A Temporal worker for the baseline workflows only, as its own process (like the engine's worker): bundles
 * bench/baseline-workflows.ts and serves BASELINE_TASK_QUEUE with a no-op activity.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';

async function main() {
  const taskQueue = process.env.BASELINE_TASK_QUEUE;
  if (!taskQueue) throw new Error('BASELINE_TASK_QUEUE is required');
  Runtime.install({ logger: new DefaultLogger('WARN'), workerHeartbeatInterval: 0 });
  const silent = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./baseline-workflows'),
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: console.error },
  });
  const connection = await NativeConnection.connect({
    address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowBundle: { code },
    activities: { noop: async () => undefined },
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write('baseline worker ready\n');
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
