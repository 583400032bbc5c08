/**
 * The throughput baseline: a minimal workflow with the same number of activities and Updates as one pledge
 * (measured from a real pledge's workflow histories), with no-op activities and nothing else. Bundled on its own by
 * bench/baseline-worker.ts; deterministic like any workflow code.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BaselineActivities {
  noop(): Promise<void>;
}

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/** Decision k (0-based), as a task completion is on a pledge. */
export const decideUpdate = defineUpdate<number, [number]>('decide');
/** The decision the workflow waits for (-1 before the first, the batch count when done), as the inbox shows. */
export const waitingForQuery = defineQuery<number>('waitingFor');

export interface BaselineInput {
  /** Activities before the first decision, between decisions and after the last. */
  activityBatches: number[];
}

export async function baselinePledge({ activityBatches }: BaselineInput): Promise<number> {
  let waitingFor = -1;
  let decided = 0;
  setHandler(waitingForQuery, () => waitingFor);
  setHandler(
    decideUpdate,
    (k) => {
      decided = k + 1;
      return Promise.resolve(decided);
    },
    {
      validator: (k) => {
        if (k !== waitingFor || decided > k) throw new Error(`not waiting for decision ${k}`);
      },
    },
  );
  for (let k = 0; k < activityBatches.length; k++) {
    for (let a = 0; a < activityBatches[k]; a++) await noop();
    if (k === activityBatches.length - 1) break;
    waitingFor = k;
    await condition(() => decided > k);
  }
  waitingFor = activityBatches.length;
  return decided;
}
