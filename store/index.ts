import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';
import type { Connection } from 'mongoose';
import { agreementModel } from './agreements';
import { auditCheckpointModel, auditEntryModel, auditHeadModel, pendingAuditModel } from './audit-entries';
import { lockModel } from './locks';
import { idempotencyModel } from './idempotency';
import { importModels } from './imports';
import { notificationModels } from './notifications';
import { servedByFerretDb } from './guarded-update';
import { pledgeIndexModel } from './pledge-index';
import { pledgeModel } from './pledges';
import { policyModel } from './policies';
import { referenceModels } from './reference';
import { requirementModels } from './requirements';
import { seatModels } from './seat-reservations';
import { signingKeyModel } from './signing-keys';
import { taskCommentModel } from './task-comments';
import { taskModel } from './tasks';
import { planHoldModel } from './training-portfolio';
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
    AuditCheckpoint: auditCheckpointModel(connection),
    Lock: lockModel(connection),
    Policy: policyModel(connection),
    Pledge: pledgeModel(connection),
    PledgeIndex: pledgeIndexModel(connection),
    Task: taskModel(connection),
    SigningKey: signingKeyModel(connection),
    TaskComment: taskCommentModel(connection),
    Agreement: agreementModel(connection),
    PlanHold: planHoldModel(connection),
    ...referenceModels(connection),
    ...requirementModels(connection),
    ...notificationModels(connection),
    ...seatModels(connection),
    ...importModels(connection),
  };
}

export type Store = ReturnType<typeof createStore>;

/**
 * Builds the indexes the models declare (unique ones carry correctness guarantees, so we wait for them).
 * On FerretDB only the unique ones: its SQLite backend reads through no index but `_id`'s, while every
 * index costs a parse of the whole document on each write, under the database's single writer lock.
 * Non-unique indexes a FerretDB database still has from before are dropped.
 */
export async function ensureIndexes(store: Store): Promise<void> {
  const ferretDb = await servedByFerretDb(store.connection);
  for (const model of Object.values(store)) {
    if (typeof model !== 'function' || !('syncIndexes' in model)) continue;
    if (!ferretDb) {
      await model.createIndexes();
      continue;
    }
    for (const [fields, options] of model.schema.indexes()) {
      if (options?.unique)
        await model.collection.createIndex(fields as IndexSpecification, options as CreateIndexesOptions);
    }
    const existing = await model.collection.indexes().catch(() => []);
    for (const index of existing) {
      if (index.name && index.name !== '_id_' && !index.unique) await model.collection.dropIndex(index.name);
    }
  }
}
