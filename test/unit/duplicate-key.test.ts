import { describe, expect, it } from 'vitest';
import { isDuplicateKey } from '../../store/duplicate-key';

describe('a duplicate key answer', () => {
  it('when one insert hits a unique index, then it is a duplicate', () => {
    expect(isDuplicateKey({ code: 11000, errmsg: 'E11000 duplicate key error' })).toBe(true);
  });

  it('when a bulk insert fails, then it is a duplicate only if every refused write was one', () => {
    expect(isDuplicateKey({ writeErrors: [{ code: 11000 }, { code: 11000 }] })).toBe(true);
    expect(isDuplicateKey({ writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(false);
    expect(isDuplicateKey({ writeErrors: [] })).toBe(false);
  });

  it('when the error is anything else, then it is not', () => {
    for (const err of [new Error('network'), { code: 50 }, null, undefined, 'E11000'])
      expect(isDuplicateKey(err)).toBe(false);
  });
});
