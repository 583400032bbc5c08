import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';

export interface Temporal {
  client: Client;
  connection: Connection;
}

/** Connects a Temporal client to the configured namespace. */
export async function connectTemporal(config: Config): Promise<Temporal> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  return { connection, client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }) };
}

/** True when the Temporal frontend answers a health check. */
export async function pingTemporal(connection: Connection): Promise<boolean> {
  try {
    const res = await Promise.race([
      connection.healthService.check({}),
      new Promise<null>((r) => setTimeout(() => r(null), 1500)),
    ]);
    // 1 = SERVING in grpc.health.v1.
    return res !== null && Number(res.status) === 1;
  } catch {
    return false;
  }
}
