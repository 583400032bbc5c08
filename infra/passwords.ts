import { hash, verify } from '@node-rs/argon2';

/** Argon2id hash of a password. */
export const hashPassword = (password: string): Promise<string> => hash(password);

/** Checks a password against its stored hash; a malformed hash is simply a mismatch. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
