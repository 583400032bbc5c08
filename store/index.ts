import type { Connection } from 'mongoose';
import { auditEntryModel, auditHeadModel, pendingAuditModel } from './audit-entries';
import { lockModel } from './locks';
import { idempotencyModel } from './idempotency';
import { importModels } from './imports';
import { notificationModels } from './notifications';
import { pledgeIndexModel } from './pledge-index';
import { pledgeModel } from './pledges';
import { policyModel } from './policies';
import { referenceModels } from './reference';
import { seatModels } from './seat-reservations';
import { signingKeyModel } from './signing-keys';
import { taskCommentModel } from './task-comments';
import { taskModel } from './tasks';
import { userModel } from './users';

/** Every mongoose model of the engine, bound to one connection. */
export function createStore(connection: Connection) {
  return {
    connection,
    User: userModel(connection),
    Idempotency: idempotencyModel(connection),
    Audit: auditEntryModel(connection),
    PendingAudit: pendingAuditModel(connection),
    AuditHead: auditHeadModel(connection),
    Lock: lockModel(connection),
    Policy: policyModel(connection),
    Pledge: pledgeModel(connection),
    PledgeIndex: pledgeIndexModel(connection),
    Task: taskModel(connection),
    SigningKey: signingKeyModel(connection),
    TaskComment: taskCommentModel(connection),
    ...referenceModels(connection),
    ...notificationModels(connection),
    ...seatModels(connection),
    ...importModels(connection),
  };
}

export type Store = ReturnType<typeof createStore>;

/** Builds every index (unique ones carry correctness guarantees, so we wait for them). */
export async function ensureIndexes(store: Store): Promise<void> {
  for (const model of Object.values(store)) {
    if (typeof model === 'function' && 'syncIndexes' in model) await model.createIndexes();
  }
}
