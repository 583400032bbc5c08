import { appendAudit } from './audit-log';
import type { Store } from './index';
import type { ProjectionWriter } from './projections';

/**
 * Records an administrator's change in the audit log, then announces it: every process drops the reference data
 * it holds in memory and reads it again.
 */
export const referenceChangeLog = (store: Store, projections: Pick<ProjectionWriter, 'notice'>) => ({
  async record(actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
    await appendAudit(store, { actor, action, detail });
    await projections.notice('reference', action);
  },
});
