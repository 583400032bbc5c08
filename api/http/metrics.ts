import type { RequestHandler } from 'express';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApiDeps } from '../deps';

/** Workflow counts are asked of Temporal's visibility at most this often (a scrape every few seconds is cheap). */
const WORKFLOW_COUNT_TTL_MS = 15_000;

/**
 * Prometheus metrics of the API process: HTTP latency by route template, process figures, BullMQ queue depths,
 * and the engine's health in application terms (workflows that failed, tasks overdue, deliveries that failed).
 */
export function createApiMetrics({
  queues,
  views,
  temporal,
}: Pick<ApiDeps, 'queues' | 'views' | 'temporal'>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nsatu_api_' });
  const httpDuration = new Histogram({
    name: 'nsatu_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
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
  new Gauge({
    name: 'nsatu_deliveries_failed',
    help: 'E-mail and webhook deliveries that failed every attempt (retryable by an admin)',
    registers: [registry],
    async collect() {
      try {
        this.set((await queues.deliveries.getJobCounts('failed')).failed ?? 0);
      } catch {
        // Redis down: keep the last value.
      }
    },
  });
  new Gauge({
    name: 'nsatu_tasks',
    help: 'Open human tasks by kind, and how many of them are overdue',
    labelNames: ['kind', 'overdue'] as const,
    registers: [registry],
    collect() {
      if (!views.ready) return;
      this.reset();
      const now = new Date().toISOString();
      for (const task of views.tasksIn('open')?.values() ?? []) {
        this.inc({ kind: task.kind, overdue: task.dueAt < now ? 'true' : 'false' });
      }
    },
  });
  let counted = 0;
  const workflowCounts = new Map<string, number>();
  new Gauge({
    name: 'nsatu_workflows',
    help: 'Workflow executions by status, from Temporal visibility (a failed or terminated one needs an operator: npm run doctor)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      if (Date.now() - counted > WORKFLOW_COUNT_TTL_MS) {
        counted = Date.now();
        for (const status of ['Running', 'Failed', 'Terminated', 'TimedOut']) {
          try {
            workflowCounts.set(
              status,
              (await temporal.client.workflow.count(`ExecutionStatus = "${status}"`)).count,
            );
          } catch {
            // Temporal unreachable: readiness reports it.
          }
        }
      }
      for (const [status, n] of workflowCounts) this.set({ status }, n);
    },
  });

  const observe: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route's template; an error leaves the API router before the answer, taking its base path.
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = !routePath
        ? 'unmatched'
        : req.originalUrl.startsWith('/api/v1/') && !routePath.startsWith('/api/')
          ? `/api/v1${routePath}`
          : `${req.baseUrl}${routePath}`;
      end({ method: req.method, route, status: res.statusCode });
    });
    next();
  };
  return { registry, observe };
}
