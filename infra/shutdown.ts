/** How long a process may take to stop on SIGINT/SIGTERM before it exits regardless (the engine's bound is 10 s). */
export const STOP_BOUND_MS = 8_000;

/** Waits for `work`, but no longer than `ms`: a cleanup step must not hang the stop (a service that is down). */
export async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/**
 * On SIGINT or SIGTERM, stops gracefully and exits; exits anyway once `boundMs` has passed, whatever the stop still
 * waits for (in-flight work is safe in Temporal, Redis and the database, and is picked up again).
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log: (message: string) => void,
  boundMs = STOP_BOUND_MS,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log(`still stopping after ${boundMs} ms (${signal}); exiting now`);
      process.exit(1);
    }, boundMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`stopping failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
