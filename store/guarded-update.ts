import type { Connection, Model, UpdateQuery } from 'mongoose';

const ferretDbByConnection = new WeakMap<Connection, Promise<boolean>>();

/** True when the server is FerretDB (its buildInfo says so); asked once per connection. */
export function servedByFerretDb(connection: Connection): Promise<boolean> {
  const known = ferretDbByConnection.get(connection);
  if (known) return known;
  const asked = connection
    .db!.admin()
    .command({ buildInfo: 1 })
    .then((info) => 'ferretdbVersion' in info);
  ferretDbByConnection.set(connection, asked);
  // Not knowing (the database is restarting) is not remembered.
  return asked.catch(() => {
    ferretDbByConnection.delete(connection);
    return false;
  });
}

export interface Guard<D> {
  /** The condition as a MongoDB filter beside `_id`. */
  filter: Record<string, unknown>;
  /** The same condition on the document as read. */
  holds(doc: D): boolean;
  /** What `holds` needs of the document. */
  projection: Record<string, 1>;
}

/**
 * `updateOne({_id, ...guard.filter}, update)`: true when a document matched. On MongoDB that is one atomic
 * update. FerretDB answers a filter without scanning the whole collection only when it is `{_id}` alone, and
 * its updates read and then write anyway, so there the guard is checked on the document read by `_id` and the
 * update is addressed by `_id`: as atomic as FerretDB's own, without the scan.
 */
export async function updateByIdIf<D>(
  // Any model: the guard, not the schema, says what is read of the document.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>,
  id: string,
  guard: Guard<D>,
  update: UpdateQuery<unknown>,
): Promise<boolean> {
  if (!(await servedByFerretDb(model.db))) {
    const res = await model.updateOne({ _id: id, ...guard.filter }, update);
    return res.matchedCount > 0;
  }
  const doc = await model.findById(id, guard.projection).lean<D>();
  if (!doc || !guard.holds(doc)) return false;
  const res = await model.updateOne({ _id: id }, update);
  return res.matchedCount > 0;
}
