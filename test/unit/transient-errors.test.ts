import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { isTransientServiceError } from '../../api/http/transient-errors';

const serverError = (message: string, code = 1, errorLabels: string[] = []) =>
  new MongoServerError({ message, code, errorLabels });
const named = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('a service that is restarting or busy is a retryable 503; anything else is a fault of ours (500)', () => {
  it.each([
    ['a connection reset', new MongoNetworkError('connection 4 to 127.0.0.1:27017 closed')],
    ['a socket timeout', new MongoNetworkTimeoutError('connection timed out')],
    [
      'no server to select',
      new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown' } as never),
    ],
    [
      'a cleared connection pool',
      named(
        'MongoPoolClearedError',
        'Connection pool for 127.0.0.1:27017 was cleared because another operation failed',
      ),
    ],
    ['a closed topology', new MongoTopologyClosedError()],
    [
      'a client that is not connected',
      new MongoNotConnectedError('Client must be connected before running operations'),
    ],
    ['a server closed under the operation', new MongoServerClosedError()],
    [
      "FerretDB stopping mid-command ('context canceled')",
      serverError('[msg_find.go:344 handler.handleMaxTimeMSError] context canceled'),
    ],
    [
      'FerretDB/SQLite busy with another writer',
      serverError('[collection.go:191] database is locked (5) (SQLITE_BUSY)'),
    ],
    ['FerretDB/SQLite closed while stopping', serverError('sql: database is closed')],
    [
      "FerretDB's PostgreSQL backend restarting",
      serverError('FATAL: the database system is shutting down (SQLSTATE 57P03)'),
    ],
    ['InterruptedAtShutdown', serverError('interrupted at shutdown', 11600)],
    ['ShutdownInProgress', serverError('shutdown in progress', 91)],
    ['NotWritablePrimary', serverError('not primary', 10107)],
    ['PrimarySteppedDown', serverError('primary stepped down', 189)],
    ['InterruptedDueToReplStateChange', serverError('operation was interrupted', 11602)],
    ['NotPrimaryNoSecondaryOk', serverError('not primary and secondaryOk=false', 13435)],
    ['a retryable write label', serverError('an error', 999, ['RetryableWriteError'])],
    ['a reset-pool label', serverError('an error', 999, ['ResetPool'])],
    [
      "mongoose's operation buffer timing out",
      named('MongooseError', 'Operation `tasks.find()` buffering timed out after 10000ms'),
    ],
    [
      'a driver client closed during shutdown',
      named('MongoRuntimeError', 'Operation interrupted because client was closed'),
    ],
    [
      'Redis refusing connections',
      named('Error', 'connect ECONNREFUSED 127.0.0.1:6390', { code: 'ECONNREFUSED' }),
    ],
    ['Redis closed', named('Error', 'Connection is closed.')],
    [
      'a Redis command not queued while offline',
      named('Error', "Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    [
      'Redis out of retries',
      named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 1).'),
    ],
    ['Redis loading its data', named('ReplyError', 'LOADING Redis is loading the dataset in memory')],
    ['the read views not loaded yet', named('ViewsUnavailable', 'the read views are not loaded yet')],
    [
      "an Update whose result did not come back in time (Temporal's client)",
      new WorkflowUpdateRPCTimeoutOrCancelledError('Timeout or cancellation waiting for update', {
        cause: new Error('deadline'),
      }),
    ],
    [
      'the Temporal frontend past its deadline (gRPC 4, as the cause of a ServiceError)',
      new ServiceError('Failed to execute update', {
        cause: named('Error', '4 DEADLINE_EXCEEDED: Deadline exceeded', { code: 4, metadata: {} }),
      }),
    ],
    [
      'the Temporal frontend unreachable (gRPC 14)',
      named('Error', '14 UNAVAILABLE: No connection established', { code: 14, metadata: {} }),
    ],
    [
      'a socket error wrapped as the cause',
      Object.assign(new Error('request failed'), {
        cause: named('Error', 'read ECONNRESET', { code: 'ECONNRESET' }),
      }),
    ],
  ])('when the failure is %s, then it is transient', (_what, err) => {
    expect(isTransientServiceError(err)).toBe(true);
  });

  it.each([
    ['a duplicate key', serverError('E11000 duplicate key error', 11000)],
    ['an unknown operator', serverError('unknown operator: $foo', 2)],
    ['a validation failure', serverError('Document failed validation', 121)],
    ['a MongoDB TypeMismatch (code 14, not gRPC)', serverError('type mismatch', 14)],
    [
      'a workflow that refused an Update (gRPC 9, failed precondition)',
      named('Error', '9 FAILED_PRECONDITION: workflow is not running', { code: 9, metadata: {} }),
    ],
    ['a programming error', new TypeError('cannot read properties of undefined')],
    ['a Redis script error', named('ReplyError', 'ERR Error running script')],
    ['nothing', null],
  ])('when the failure is %s, then it is not hidden behind a 503', (_what, err) => {
    expect(isTransientServiceError(err)).toBe(false);
  });
});
