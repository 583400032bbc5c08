import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalTls } from '../../infra/temporal';

describe('TLS to the Temporal frontend', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const none = {
    TEMPORAL_TLS_CERT_FILE: undefined,
    TEMPORAL_TLS_KEY_FILE: undefined,
    TEMPORAL_TLS_CA_FILE: undefined,
    TEMPORAL_TLS_SERVER_NAME: undefined,
  };

  it('when nothing is configured, then the connection is plain (the local dev server)', () => {
    expect(temporalTls(none)).toBeUndefined();
  });

  it('when a client certificate, key and CA are configured, then the connection is mutual TLS with them', () => {
    const tls = temporalTls({
      ...none,
      TEMPORAL_TLS_CERT_FILE: file('engine.crt', 'CERT'),
      TEMPORAL_TLS_KEY_FILE: file('engine.key', 'KEY'),
      TEMPORAL_TLS_CA_FILE: file('ca.crt', 'CA'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(tls).toEqual({
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      serverRootCACertificate: Buffer.from('CA'),
      serverNameOverride: 'temporal.internal',
    });
  });

  it('when a certificate comes without its key, then it is refused at start-up', () => {
    expect(() => temporalTls({ ...none, TEMPORAL_TLS_CERT_FILE: file('only.crt', 'CERT') })).toThrow(
      /go together/,
    );
  });
});
