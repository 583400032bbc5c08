/**
 * MongoDB's (and FerretDB's) "duplicate key" answer, E11000: a unique index refused a second document. For a
 * bulk insert it counts only when every refused write was one (an insert that failed otherwise must not pass as
 * "already there").
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  if (e.code === 11000) return true;
  return Boolean(e.writeErrors?.length && e.writeErrors.every((w) => w.code === 11000));
}

/** Inserts a document unless one of its unique keys (its `_id`) is taken; true when this call created it. */
export async function insertIfAbsent(
  model: { create(doc: object): Promise<unknown> },
  doc: object,
): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
