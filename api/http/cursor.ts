import { z } from 'zod';
import { ApiError } from './errors';

const Cursor = z.object({ at: z.iso.datetime(), id: z.string().min(1).max(100) });
export type Cursor = z.infer<typeof Cursor>;

/** Opaque list cursor: the sort key of the last item returned. */
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError(400, 'VALIDATION_FAILED', 'invalid cursor', [
      { path: 'query.cursor', message: 'use the nextCursor of a previous page' },
    ]);
  }
}
