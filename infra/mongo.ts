import mongoose from 'mongoose';

/** Opens a dedicated mongoose connection (not the global one, so tests can run several stacks). */
export async function connectMongo(uri: string): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // FerretDB and a standalone MongoDB have no retryable writes.
    retryWrites: false,
    autoIndex: true,
  });
  await connection.asPromise();
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
