/**
 * The user's signing key for command approvals: an Ed25519 key pair made with WebCrypto on first use.
 * The private key is non-extractable and lives only in this browser's IndexedDB; the server gets the
 * public key (JWK) and answers with a keyId that goes with every signature.
 */

const DB_NAME = 'nsatu-signing';
const STORE = 'keys';

export interface StoredKey {
  /** `<origin>|<username>`: one key per user per engine. */
  id: string;
  keyPair: CryptoKeyPair;
  keyId: string | null;
  createdAt: string;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

const keyName = (username: string) => `${location.origin}|${username}`;

export const loadKey = (username: string) =>
  withStore<StoredKey | undefined>(
    'readonly',
    (s) => s.get(keyName(username)) as IDBRequest<StoredKey | undefined>,
  );

const saveKey = (key: StoredKey) => withStore('readwrite', (s) => s.put(key));

export const forgetKey = (username: string) => withStore('readwrite', (s) => s.delete(keyName(username)));

async function generate(username: string): Promise<StoredKey> {
  let keyPair: CryptoKeyPair;
  try {
    keyPair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  } catch (err) {
    throw new Error(
      `this browser cannot make Ed25519 signing keys (${err instanceof Error ? err.message : String(err)}); use a current Chrome, Edge, Firefox or Safari`,
      { cause: err },
    );
  }
  const key: StoredKey = { id: keyName(username), keyPair, keyId: null, createdAt: new Date().toISOString() };
  await saveKey(key);
  return key;
}

/** The user's key pair in this browser, made (non-extractable) on first use. */
export async function localKey(
  username: string,
  onStep: (step: string) => void = () => undefined,
): Promise<StoredKey> {
  const key = await loadKey(username);
  if (key) return key;
  onStep('Creating your signing key in this browser…');
  return generate(username);
}

/** Remembers the keyId the engine gave the key. */
export const rememberKeyId = (key: StoredKey, keyId: string) => saveKey({ ...key, keyId });

/** The public half as the engine takes it (public keys are exportable even when the pair is not). */
export async function publicJwkOf(key: StoredKey): Promise<{ kty: 'OKP'; crv: 'Ed25519'; x: string }> {
  const jwk = await crypto.subtle.exportKey('jwk', key.keyPair.publicKey);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x)
    throw new Error('the browser made a key that is not Ed25519');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/** The RFC 7638 thumbprint of the public key: the keyId the engine knows it by. */
export async function thumbprintOf(jwk: { crv: string; kty: string; x: string }): Promise<string> {
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return base64url(new Uint8Array(digest));
}

/** The base64url (no padding) Ed25519 signature over the UTF-8 bytes of `payload`. */
export async function signPayload(privateKey: CryptoKey, payload: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    { name: 'Ed25519' },
    privateKey,
    new TextEncoder().encode(payload),
  );
  return base64url(new Uint8Array(signature));
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
