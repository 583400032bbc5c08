import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint } from 'jose';

/** Where the audit checkpoint key lives unless AUDIT_CHECKPOINT_KEY_FILE says otherwise: beside the data, never in it. */
export const DEFAULT_CHECKPOINT_KEY_FILE = path.resolve(__dirname, '../.data/keys/audit-checkpoint.pem');

export interface CheckpointKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RFC 7638 thumbprint of the public key. */
  keyId: string;
}

/**
 * The Ed25519 key that signs the audit log's checkpoints, from a PEM file outside the database (an attacker who
 * can rewrite the database cannot sign). With `create`, a missing file is made (mode 0600): for demo mode, where
 * the engine sets itself up; in production the operator provides the key and backs it up apart from the data.
 */
export async function loadCheckpointKey(
  file: string = DEFAULT_CHECKPOINT_KEY_FILE,
  { create = false } = {},
): Promise<CheckpointKey> {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !create) {
      throw new Error(
        `the audit checkpoint key ${file} cannot be read (${(err as Error).message}); create one with: openssl genpkey -algorithm ed25519 -out ${file}`,
        { cause: err },
      );
    }
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const generated = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    try {
      writeFileSync(file, generated, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      // Another process of the engine made it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    pem = readFileSync(file, 'utf8');
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const keyId = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }));
  return { privateKey, publicKey, keyId };
}

/** A public key from a PEM file (an auditor verifying an export needs only this). */
export const readPublicKey = (file: string): KeyObject => createPublicKey(readFileSync(file, 'utf8'));
