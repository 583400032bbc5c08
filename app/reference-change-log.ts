import type { Principal } from '../domain/permissions';

/**
 * Where a change to reference data (and the other administrators' changes) is recorded: the audit log keeps who
 * changed what, and every process is told to drop the reference data it holds in memory.
 */
export interface ReferenceChangeLog {
  record(actor: string, action: string, detail: Record<string, unknown>): Promise<void>;
}

/** Stores a reference document, then records the change with the whole document; answers it as stored. */
export async function storeAndRecord<T extends Record<string, unknown>>(
  changes: ReferenceChangeLog,
  principal: Principal,
  action: string,
  doc: T,
  put: (doc: T) => Promise<void>,
): Promise<T> {
  await put(doc);
  await changes.record(principal.username, action, doc);
  return doc;
}
