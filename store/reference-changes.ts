import { appendAudit } from './audit-log';
import type { Store } from './index';
import type { ProjectionWriter } from './projections';

/**
 * Records an administrator's change in the audit log, then announces it: every process drops the reference data
 * it holds in memory and reads it again. A change that concerns one pledge names it, so that its history shows it.
 */
export const referenceChangeLog = (store: Store, projections: Pick<ProjectionWriter, 'notice'>) => ({
  async record(
    actor: string,
    action: string,
    detail: Record<string, unknown>,
    pledgeId?: string,
  ): Promise<void> {
    await appendAudit(store, { actor, action, detail, pledgeId });
    await projections.notice('reference', action);
  },
});
