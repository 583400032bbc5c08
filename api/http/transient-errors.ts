/**
 * Which failures mean "a service is restarting or briefly unreachable" (a retryable 503 with Retry-After) rather
 * than a fault of ours (a 500). Every class a database or Redis restart was seen to produce is listed, with a unit
 * test each (test/unit/transient-errors.test.ts).
 */

type ErrorLike = {
  name?: string;
  message?: string;
  code?: unknown;
  errorLabels?: unknown;
  errorLabelSet?: unknown;
  cause?: unknown;
};

/** The MongoDB driver's errors for a server it cannot reach, lost, or stopped talking to. */
const UNREACHABLE_DATABASE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
]);

/**
 * Server codes of a server shutting down, stepping down or not reachable from where it stands: InterruptedAtShutdown,
 * ShutdownInProgress, PrimarySteppedDown, NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary,
 * InterruptedDueToReplStateChange, HostUnreachable, HostNotFound, NetworkTimeout, SocketException.
 */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Labels the driver puts on errors that a retry (on this or another server) resolves. */
const RETRYABLE_LABELS = [
  'RetryableWriteError',
  'ResetPool',
  'TransientTransactionError',
  'SystemOverloadedError',
];

/**
 * FerretDB answers with an InternalError (code 1) while it stops (a cancelled command), while its SQLite backend
 * is locked by another writer, or while its PostgreSQL backend is unreachable.
 */
const FERRETDB_UNAVAILABLE =
  /SQLITE_BUSY|database is locked|context canceled|database is closed|sql: connection is already closed|connection refused|broken pipe|the database system is (shutting down|starting up)|failed to connect to/;

/** Node's socket errors, as ioredis and the MongoDB driver pass them on. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'NR_CLOSED',
]);

const labelsOf = (e: ErrorLike): string[] => {
  if (Array.isArray(e.errorLabels)) return e.errorLabels as string[];
  if (e.errorLabelSet instanceof Set) return [...(e.errorLabelSet as Set<string>)];
  return [];
};

function databaseUnavailable(e: ErrorLike): boolean {
  const name = e.name ?? '';
  if (UNREACHABLE_DATABASE.has(name)) return true;
  if (labelsOf(e).some((l) => RETRYABLE_LABELS.includes(l))) return true;
  if (/^Mongo/.test(name) && typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (name === 'MongoServerError' && FERRETDB_UNAVAILABLE.test(e.message ?? '')) return true;
  // Mongoose queues operations while disconnected and gives up after a while; the driver refuses one on a closed client.
  if (name === 'MongooseError' && /buffering timed out/.test(e.message ?? '')) return true;
  return (
    /^Mongo/.test(name) &&
    /client was closed|Topology is closed|connection pool .*closed|Connection pool closed/i.test(
      e.message ?? '',
    )
  );
}

function redisUnavailable(e: ErrorLike): boolean {
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (
    typeof e.message === 'string' &&
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|LOADING Redis is loading|READONLY You can't write against a read only replica/.test(
      e.message,
    )
  )
    return true;
  return false;
}

/**
 * Temporal's frontend unreachable, overloaded or out of time (gRPC UNAVAILABLE 14, DEADLINE_EXCEEDED 4,
 * RESOURCE_EXHAUSTED 8), and an Update whose result did not come back in time: the decision may yet take effect,
 * and a retry finds out which (it is then refused with a 409 that names the state).
 */
const TEMPORAL_BUSY_CODES = new Set([4, 8, 14]);
function temporalUnavailable(e: ErrorLike & { metadata?: unknown }): boolean {
  if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  // gRPC's errors carry metadata; a MongoDB error with the same number (TypeMismatch, say) does not.
  return e.metadata !== undefined && typeof e.code === 'number' && TEMPORAL_BUSY_CODES.has(e.code);
}

/** True when the error (or what caused it) says a service is briefly unavailable, not that something is wrong. */
export function isTransientServiceError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as ErrorLike;
  if (e.name === 'ViewsUnavailable') return true;
  if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return true;
  if (databaseUnavailable(e) || redisUnavailable(e) || temporalUnavailable(e)) return true;
  return isTransientServiceError(e.cause, depth + 1);
}
