import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from '../../api/http/errors';

const serverError = (message: string, code = 1) => Object.assign(new Error(message), { name: 'MongoServerError', code });

describe('a database that is restarting or busy is a retryable 503, anything else is ours (500)', () => {
  it('counts unreachable, busy and shutting-down databases as transient', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' }))).toBe(true);
    expect(isTransientDatabaseError(serverError('[collection.go:191] database is locked (5) (SQLITE_BUSY)'))).toBe(true);
    expect(isTransientDatabaseError(serverError('[msg_find.go:344 handler.handleMaxTimeMSError] context canceled'))).toBe(true);
    expect(isTransientDatabaseError(serverError('interrupted at shutdown', 11600))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('Operation `tasks.find()` buffering timed out after 10000ms'), { name: 'MongooseError' }))).toBe(true);
  });

  it('does not hide real faults behind a 503', () => {
    expect(isTransientDatabaseError(serverError('E11000 duplicate key error', 11000))).toBe(false);
    expect(isTransientDatabaseError(serverError('unknown operator: $foo', 2))).toBe(false);
    expect(isTransientDatabaseError(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
  });
});
