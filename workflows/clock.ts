/** Workflow time as ISO 8601 (Date is deterministic inside workflows). */
export const nowIso = () => new Date().toISOString();

export const addSeconds = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();
