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

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
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
  withStore<StoredKey | undefined>('readonly', (s) => s.get(keyName(username)) as IDBRequest<StoredKey | undefined>);

const saveKey = (key: StoredKey) => withStore('readwrite', (s) => s.put(key));

export const forgetKey = (username: string) => withStore('readwrite', (s) => s.delete(keyName(username)));

async function generate(username: string): Promise<StoredKey> {
  let keyPair: CryptoKeyPair;
  try {
    keyPair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  } catch (err) {
    throw new Error(`this browser cannot make Ed25519 signing keys (${err instanceof Error ? err.message : String(err)}); use a current Chrome, Edge, Firefox or Safari`);
  }
  const key: StoredKey = { id: keyName(username), keyPair, keyId: null, createdAt: new Date().toISOString() };
  await saveKey(key);
  return key;
}

/**
 * The user's key, registered with the engine: made on first use, then (re-)registered through `register`
 * (POST /api/v1/me/keys) before each signature. Registering is idempotent, and doing it each time means the
 * engine always knows the key this browser signs with, even after its database was reset. A key the engine
 * reports as revoked (`register` throws a RevokedKeyError) is replaced by a new one.
 */
export async function registeredKey(
  username: string,
  register: (publicKey: JsonWebKey) => Promise<string>,
  onStep: (step: string) => void = () => undefined,
): Promise<{ privateKey: CryptoKey; keyId: string }> {
  for (let attempt = 0; ; attempt++) {
    let key = await loadKey(username);
    if (!key) {
      onStep('Creating your signing key in this browser…');
      key = await generate(username);
    }
    onStep(key.keyId ? 'Checking your signing key with the engine…' : 'Registering your public key with the engine…');
    // Public keys are always exportable, even when the pair was made non-extractable.
    const jwk = await crypto.subtle.exportKey('jwk', key.keyPair.publicKey);
    try {
      const keyId = await register({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
      if (keyId !== key.keyId) await saveKey({ ...key, keyId });
      return { privateKey: key.keyPair.privateKey, keyId };
    } catch (err) {
      if (!(err instanceof RevokedKeyError) || attempt > 0) throw err;
      onStep('Your previous key was revoked; making a new one…');
      await forgetKey(username);
    }
  }
}

/** Thrown by a `register` callback when the engine refuses the key because it was revoked. */
export class RevokedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevokedKeyError';
    Object.setPrototypeOf(this, RevokedKeyError.prototype);
  }
}

/** The base64url (no padding) Ed25519 signature over the UTF-8 bytes of `payload`. */
export async function signPayload(privateKey: CryptoKey, payload: string): Promise<string> {
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new TextEncoder().encode(payload));
  return base64url(new Uint8Array(signature));
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
