import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Activities with the engine's standard timeout and retry policy; permanent failures are typed. */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['InvalidInput', 'NotFound'],
  },
});
