import type { RequestHandler } from 'express';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '../../jobs/queues';

/** Prometheus metrics of the API process: HTTP latency, process figures and BullMQ queue depths. */
export function createApiMetrics(queues: Queues) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nsatu_api_' });
  const httpDuration = new Histogram({
    name: 'nsatu_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'nsatu_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const queue of [queues.notifications, queues.deliveries, queues.imports]) {
        try {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
        } catch {
          // Redis down: readiness reports it; metrics keep their last values.
        }
      }
    },
  });

  const observe: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      end({ method: req.method, route: routePath ? `${req.baseUrl}${routePath}` : 'unmatched', status: res.statusCode });
    });
    next();
  };
  return { registry, observe };
}
