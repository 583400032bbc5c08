import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PERMANENT_FAILURE_KINDS } from '../domain/failures';

/**
 * Activities with the engine's standard timeout and retry policy; permanent failures are typed.
 * They are short database and queue calls, so a short start-to-close timeout is also how quickly
 * an activity lost with a crashed worker is retried elsewhere.
 */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    nonRetryableErrorTypes: PERMANENT_FAILURE_KINDS,
  },
});
