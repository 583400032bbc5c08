import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** SHA-256 (hex) over the RFC 8785 canonical JSON encoding of a value. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalize(value), 'utf8').digest('hex');
}
