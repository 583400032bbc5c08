import mongoose from 'mongoose';
import type { Logger } from './logger';

export interface SlowCommandLog {
  /** Commands that take at least this long are logged (0: none). */
  slowMs: number;
  logger: Logger;
}

/** A command as the slow-command log shows it: its name, collection and filter, without documents. */
function describeCommand(command: Record<string, unknown>) {
  const name = Object.keys(command)[0];
  const pick = ['filter', 'sort', 'q', 'pipeline', 'limit'] as const;
  return {
    command: name,
    collection: command[name],
    ...Object.fromEntries(
      pick.filter((k) => command[k] !== undefined).map((k) => [k, JSON.stringify(command[k]).slice(0, 300)]),
    ),
  };
}

/** Opens a dedicated mongoose connection (not the global one, so tests can run several stacks). */
export async function connectMongo(uri: string, slow?: SlowCommandLog): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // FerretDB and a standalone MongoDB have no retryable writes.
    retryWrites: false,
    // Indexes are built by ensureIndexes (store/index.ts), which knows what FerretDB can use.
    autoIndex: false,
    monitorCommands: Boolean(slow?.slowMs),
  });
  await connection.asPromise();
  if (slow?.slowMs) {
    const started = new Map<number, { at: number; described: ReturnType<typeof describeCommand> }>();
    const client = connection.getClient();
    client.on('commandStarted', (e) =>
      started.set(e.requestId, { at: Date.now(), described: describeCommand(e.command) }),
    );
    const finished = (e: { requestId: number }, failed: boolean) => {
      const entry = started.get(e.requestId);
      started.delete(e.requestId);
      const ms = entry ? Date.now() - entry.at : 0;
      if (entry && ms >= slow.slowMs)
        slow.logger.warn({ ms, failed, ...entry.described }, 'slow database command');
    };
    client.on('commandSucceeded', (e) => finished(e, false));
    client.on('commandFailed', (e) => finished(e, true));
  }
  return connection;
}

/** True when the database answers a ping. */
export async function pingMongo(connection: mongoose.Connection): Promise<boolean> {
  try {
    if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) return false;
    await connection.db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
