import type { Connection } from 'mongoose';
import { auditEntryModel } from './audit-entries';
import { idempotencyModel } from './idempotency';
import { notificationModels } from './notifications';
import { pledgeModel } from './pledges';
import { policyModel } from './policies';
import { referenceModels } from './reference';
import { taskModel } from './tasks';
import { userModel } from './users';

/** Every mongoose model of the engine, bound to one connection. */
export function createStore(connection: Connection) {
  return {
    connection,
    User: userModel(connection),
    Idempotency: idempotencyModel(connection),
    Audit: auditEntryModel(connection),
    Policy: policyModel(connection),
    Pledge: pledgeModel(connection),
    Task: taskModel(connection),
    ...referenceModels(connection),
    ...notificationModels(connection),
  };
}

export type Store = ReturnType<typeof createStore>;

/** Builds every index (unique ones carry correctness guarantees, so we wait for them). */
export async function ensureIndexes(store: Store): Promise<void> {
  for (const model of Object.values(store)) {
    if (typeof model === 'function' && 'syncIndexes' in model) await model.createIndexes();
  }
}
