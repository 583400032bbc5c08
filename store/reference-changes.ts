import { appendAudit } from './audit-log';
import type { Store } from './index';
import type { NoticeKind, ProjectionWriter } from './projections';

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

/**
 * Records a change to one document (an agreement, a signing key) in the audit log, then tells every process to drop
 * what it holds of that kind; `idField` names the detail's field that holds the document's id.
 */
export const documentChangeLog = <K extends string>(
  store: Store,
  projections: Pick<ProjectionWriter, 'notice'>,
  kind: Exclude<NoticeKind, 'reset'>,
  idField: K,
) => ({
  async record(
    actor: string,
    action: string,
    detail: Record<K, string> & Record<string, unknown>,
  ): Promise<void> {
    await appendAudit(store, { actor, action, detail });
    await projections.notice(kind, detail[idField]);
  },
});
