import type { Queue } from 'bullmq';
import { eventually } from './stack';

/**
 * Adds a job named `check` under `jobId` and waits for what it returned; a failed job throws its reason. The state
 * is read first and the job after it: a job read before its state may predate its completion and carry no result.
 */
export async function runJob<T>(queue: Queue, jobId: string, data: unknown): Promise<T> {
  await queue.add('check', data, { jobId });
  return eventually(async () => {
    const state = await queue.getJobState(jobId);
    if (state === 'failed')
      throw new Error(`job ${jobId} failed: ${(await queue.getJob(jobId))?.failedReason}`);
    if (state !== 'completed') return undefined;
    return (await queue.getJob(jobId))!.returnvalue as T;
  });
}
