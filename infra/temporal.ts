import { readFileSync } from 'node:fs';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
} from '@temporalio/client';
import type { Config } from './config';
import { shutdownableCalls } from './grpc-calls';

type TlsSettings = Pick<
  Config,
  'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE' | 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_SERVER_NAME'
>;

/**
 * TLS to the Temporal frontend, mutual when a client certificate is given (the API and the worker connect alike):
 * in production only holders of the engine's certificate may start workflows or send them decisions.
 */
export function temporalTls(config: TlsSettings): TLSConfig | undefined {
  const { TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_CA_FILE: ca } = config;
  if (!cert && !key && !ca && !config.TEMPORAL_TLS_SERVER_NAME) return undefined;
  if (!!cert !== !!key) throw new Error('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together');
  return {
    ...(cert && key ? { clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) } } : {}),
    ...(ca ? { serverRootCACertificate: readFileSync(ca) } : {}),
    ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

export interface Temporal {
  client: Client;
  connection: Connection;
  /** Cancels the calls still waiting (an Update's result, a retry's backoff), then closes the connection. */
  close(): Promise<void>;
}

/** Connects a Temporal client to the configured namespace. */
export async function connectTemporal(config: Config): Promise<Temporal> {
  const calls = shutdownableCalls();
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    tls: temporalTls(config),
    connectTimeout: '5s',
    // The client's own retries first, then ours innermost: it sees each attempt, retried ones included.
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), calls.interceptor],
  });
  return {
    connection,
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    async close() {
      calls.shutDown('the Temporal connection is closing');
      await connection.close();
    },
  };
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
