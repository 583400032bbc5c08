/**
 * Runs one autocannon load in its own process (so that the load generator does not share the event loop of the
 * server it measures) and prints the figures as one JSON line. Argument: a JSON LoadSpec.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** Claim then release a task, each connection on its own task (a write through a workflow Update). */
  claimRelease?: { taskIds: string[] };
  /** GET these paths in turn instead of `path` (pages of different pledges). */
  paths?: string[];
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

async function main() {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  let nextClient = 0;
  let nextPath = 0;
  const result = await autocannon({
    url: `${spec.url}${spec.path}`,
    method: spec.method,
    headers: { ...(spec.body ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    ...(spec.claimRelease
      ? {
          setupClient: (client: autocannon.Client) => {
            const ids = spec.claimRelease!.taskIds;
            const taskId = ids[nextClient++ % ids.length];
            client.setRequests([
              { method: 'POST', path: `/api/v1/tasks/${taskId}/claim` },
              { method: 'POST', path: `/api/v1/tasks/${taskId}/release` },
            ]);
          },
        }
      : {}),
    ...(spec.paths
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                req.path = spec.paths![nextPath++ % spec.paths!.length];
                return req;
              },
            },
          ],
        }
      : {}),
  });
  const out: LoadResult = {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(
        (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {},
      ).map(([code, s]) => [code, s.count]),
    ),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
