/**
 * The operator's repair kit: finds pledges whose record and workflow disagree, and re-drives them.
 *
 *   npm run doctor                    # report
 *   npm run doctor -- --repair ID     # re-drive one pledge (reset its workflow to its last good step)
 *   npm run doctor -- --repair-all    # re-drive every pledge the report names
 *
 * Findings: a pledge whose status is not final but whose lifecycle workflow is not running (failed, terminated,
 * timed out, gone); a running lifecycle whose pledge is final or has no record; an open task whose workflow is
 * not running.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { isFinal } from '../domain/pledge-lifecycle';
import type { PledgeStatus } from '../domain/schemas/pledge';
import { loadConfig, type Config } from '../infra/config';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { wireProjector } from '../store/projector-wiring';
import { connectRedis, redisReady } from '../infra/redis';
import { connectTemporal } from '../infra/temporal';
import { notificationPublisher } from '../jobs/notification-publisher';
import { createQueues } from '../jobs/queues';
import { createStore, type Store } from '../store';
import { appendAudit } from '../store/audit-log';
import { pledgeRepository } from '../store/pledges';
import type { Projector } from '../store/projector';
import { taskRepository } from '../store/tasks';

export type Finding =
  | {
      kind: 'workflow_not_running';
      pledgeId: string;
      status: PledgeStatus;
      workflowId: string;
      workflowStatus: string;
    }
  | {
      kind: 'workflow_without_open_pledge';
      pledgeId: string;
      status: PledgeStatus | null;
      workflowId: string;
    }
  | { kind: 'task_without_workflow'; pledgeId: string; taskId: string; workflowId: string };

export interface DoctorDeps {
  store: Store;
  client: Client;
  projector: Projector;
}

const EventType = proto.api.enums.v1.EventType;

async function runningWorkflows(client: Client, query: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const wf of client.workflow.list({ query })) ids.add(wf.workflowId);
  return ids;
}

/** The lifecycle's status as Temporal knows it ("NOT_FOUND" when it never existed or was deleted). */
async function workflowStatus(client: Client, workflowId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch {
    return 'NOT_FOUND';
  }
}

/**
 * Everything that disagrees between the record and Temporal. Which workflows run comes from Temporal's visibility
 * store, which follows a termination a moment later: a workflow stopped within the last second may not show yet.
 */
export async function diagnose({ store, client }: Pick<DoctorDeps, 'store' | 'client'>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const runningLifecycles = await runningWorkflows(
    client,
    `WorkflowType = "pledgeLifecycle" AND ExecutionStatus = "Running"`,
  );
  const running = await runningWorkflows(client, `ExecutionStatus = "Running"`);
  const records = await pledgeRepository(store.Pledge).lifecycles();
  const byWorkflow = new Map(records.map((r) => [r.workflowId, r]));
  for (const r of records) {
    if (isFinal(r.status) || runningLifecycles.has(r.workflowId)) continue;
    findings.push({
      kind: 'workflow_not_running',
      pledgeId: r._id,
      status: r.status,
      workflowId: r.workflowId,
      workflowStatus: await workflowStatus(client, r.workflowId),
    });
  }
  for (const workflowId of runningLifecycles) {
    const r = byWorkflow.get(workflowId);
    if (!r || isFinal(r.status))
      findings.push({
        kind: 'workflow_without_open_pledge',
        pledgeId: workflowId.replace(/^pledge-/, ''),
        status: r?.status ?? null,
        workflowId,
      });
  }
  const open = await taskRepository(store.Task).openTaskOwners();
  for (const t of open) {
    if (!running.has(t.workflowId))
      findings.push({
        kind: 'task_without_workflow',
        pledgeId: t.pledgeId,
        taskId: t._id,
        workflowId: t.workflowId,
      });
  }
  return findings;
}

/**
 * Re-drives one pledge: its lifecycle workflow is reset to its last completed workflow task (Temporal replays it
 * from there and carries on: stages that were cut short run again, tasks open again), and tasks left open by a
 * workflow that cannot come back are closed. Each action is audited. Returns what was done.
 */
export async function repair(deps: DoctorDeps, pledgeId: string, operator: string): Promise<string[]> {
  const { store, client, projector } = deps;
  const done: string[] = [];
  const findings = (await diagnose(deps)).filter((f) => f.pledgeId === pledgeId);
  const stopped = findings.find(
    (f): f is Extract<Finding, { kind: 'workflow_not_running' }> => f.kind === 'workflow_not_running',
  );
  if (stopped && stopped.workflowStatus !== 'NOT_FOUND') {
    const handle = client.workflow.getHandle(stopped.workflowId);
    const { runId } = await handle.describe();
    const events = (await handle.fetchHistory()).events ?? [];
    // A stage cut short (its child workflow was stopped with the lifecycle) must run again: reset to before the
    // first child that never completed, else to the last step the workflow completed.
    const finished = new Set(
      events
        .filter((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)
        .map((e) => String(e.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId)),
    );
    const unfinishedChild = events.find(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED &&
        !finished.has(String(e.eventId)),
    );
    const before = unfinishedChild
      ? events.filter((e) => Number(e.eventId) < Number(unfinishedChild.eventId))
      : events;
    const lastGood = [...before]
      .reverse()
      .find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (!lastGood?.eventId)
      throw new Error(`workflow ${stopped.workflowId} has no completed workflow task to reset to`);
    const reason = `doctor: ${operator} re-drove pledge ${pledgeId} (${stopped.workflowStatus})`;
    const { runId: newRunId } = await client.workflowService.resetWorkflowExecution({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: stopped.workflowId, runId },
      workflowTaskFinishEventId: lastGood.eventId,
      reason,
      requestId: randomUUID(),
    });
    await appendAudit(store, {
      actor: operator,
      action: 'operator.workflow_reset',
      pledgeId,
      detail: {
        workflowId: stopped.workflowId,
        from: stopped.workflowStatus,
        runId,
        newRunId,
        toEvent: Number(lastGood.eventId),
      },
    });
    done.push(
      `reset ${stopped.workflowId} (${stopped.workflowStatus}) to event ${String(lastGood.eventId)}: new run ${newRunId}`,
    );
  }
  // The re-driven lifecycle opens its stage's tasks again; otherwise tasks whose workflow is gone are closed, so that
  // nobody decides what nothing will apply.
  if (done.length) return done;
  const running = await runningWorkflows(client, `ExecutionStatus = "Running"`);
  for (const f of findings) {
    if (f.kind !== 'task_without_workflow' || running.has(f.workflowId)) continue;
    const task = await taskRepository(store.Task).byId(f.taskId);
    if (!task || task.state !== 'open') continue;
    const { _id, ...fields } = task;
    await projector.projectTask({ ...fields, id: _id, state: 'cancelled' }, Date.now() * 1000);
    await appendAudit(store, {
      actor: operator,
      action: 'operator.task_closed',
      pledgeId,
      detail: { taskId: _id, workflowId: f.workflowId },
    });
    done.push(`closed task ${_id} (its workflow ${f.workflowId} is not running)`);
  }
  return done;
}

async function main() {
  const config: Config = loadConfig(process.env, { auth: false });
  const args = process.argv.slice(2);
  const logger = createLogger('doctor', 'warn');
  const connection = await connectMongo(config.MONGODB_URI);
  const redis = connectRedis(config.REDIS_URL, 'producer');
  const temporal = await connectTemporal(config);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  try {
    await redisReady(redis);
    const store = createStore(connection);
    const { projector, chainer } = wireProjector({
      store,
      redis,
      publish: notificationPublisher(queues),
      prefix: config.QUEUE_PREFIX,
      logger,
    });
    const deps = { store, client: temporal.client, projector };
    const operator = process.env.SUDO_USER ?? process.env.USER ?? 'operator';
    const findings = await diagnose(deps);
    if (!findings.length) console.log('every pledge and its workflow agree; no open task without a workflow');
    for (const f of findings) console.log(`${f.kind}: pledge ${f.pledgeId} ${JSON.stringify(f)}`);
    const targets = args.includes('--repair-all')
      ? [...new Set(findings.map((f) => f.pledgeId))]
      : args.includes('--repair')
        ? [args[args.indexOf('--repair') + 1]]
        : [];
    for (const pledgeId of targets) {
      if (!pledgeId) throw new Error('--repair needs a pledge id');
      for (const line of await repair(deps, pledgeId, operator)) console.log(`repaired ${pledgeId}: ${line}`);
    }
    await chainer.stop();
    if (findings.length && !targets.length) process.exitCode = 2;
  } finally {
    await queues.close();
    redis.disconnect();
    await temporal.close();
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
