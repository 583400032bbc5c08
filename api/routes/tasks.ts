import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { canSeeDonor, type Principal } from '../../domain/permissions';
import {
  Actor,
  DecisionInput,
  isCandidate,
  TaskKind,
  TaskState,
  type TaskSnapshot,
} from '../../domain/tasks';
import { appendAudit } from '../../store/audit-log';
import type { StoredComment, TaskEntry } from '../views/read-views';
import {
  claimTaskUpdate,
  completeTaskUpdate,
  delegateTaskUpdate,
  releaseTaskUpdate,
  type TaskActionResult,
} from '../../workflows/human-tasks';
import { actorOf } from '../actor';
import type { ApiDeps } from '../deps';
import { ApiError, conflict, forbidden, notFound } from '../http/errors';
import { route } from '../http/route';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { fromTemporal } from '../http/temporal-errors';
import { verifyDecisionSignature } from '../signatures';

const IdParams = z.object({ id: z.string().min(1).max(120) });

export const TaskView = z.object({
  id: z.string(),
  kind: TaskKind,
  pledgeId: z.string(),
  pledgeTitle: z.string(),
  candidateRoles: z.array(z.string()),
  nation: z.string().nullable(),
  assignee: z.string().nullable(),
  delegatedBy: z.string().nullable(),
  priority: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  state: TaskState,
  title: z.string(),
  escalated: z.boolean(),
  overdue: z.boolean(),
  delegateRoles: z.array(z.string()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  decision: z.unknown().nullable(),
  comments: z.array(z.object({ by: z.string(), at: z.string(), text: z.string() })),
});

const toTaskView = ({ workflowId: _w, ...t }: TaskSnapshot, comments: StoredComment[]) => ({
  ...t,
  comments: comments.map(({ by, at, text }) => ({ by, at, text })),
  overdue: t.state === 'open' && t.dueAt < new Date().toISOString(),
});

/** Most urgent first, as the inbox is kept: ≤ 0 while a task sorts at or before the cursor. */
const afterCursor = (cursor: { at: string; id: string }) => (t: TaskEntry) =>
  t.dueAt < cursor.at ? -1 : t.dueAt > cursor.at ? 1 : t.id <= cursor.id ? -1 : 1;

const TaskListQuery = z.object({
  state: TaskState.optional(),
  mine: z.enum(['true', 'false']).optional(),
  kind: TaskKind.optional(),
  pledgeId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const ActionResult = z.object({ task: TaskView, pledge: z.object({ id: z.string(), status: z.string() }) });

/** Who may see a task: its candidates, its assignee, whoever delegated it, auditors and admins. */
export function maySee(
  task: Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'assignee' | 'delegatedBy'>,
  principal: Principal,
): boolean {
  if (principal.roles.some((r) => r === 'auditor' || r === 'admin')) return true;
  const actor = actorOf(principal);
  return isCandidate(task, actor) || task.assignee === actor.username || task.delegatedBy === actor.username;
}

export function taskRoutes({ store, temporal, views, projections }: ApiDeps) {
  /** A task the caller may see, after catching up with every write (one it may not see is a 404). */
  async function loadTask(principal: Principal, id: string): Promise<TaskEntry> {
    await views.sync();
    const task = views.task(id);
    if (!task || !maySee(task, principal)) throw notFound(`task ${id}`);
    return task;
  }

  /** For actions: a task the caller may see but not decide is a 403; one of another nation's pledge a 404. */
  async function loadTaskToAct(principal: Principal, id: string): Promise<TaskEntry> {
    await views.sync();
    const task = views.task(id);
    if (!task) throw notFound(`task ${id}`);
    if (maySee(task, principal)) return task;
    const pledge = views.pledges.get(task.pledgeId);
    if (!pledge || !canSeeDonor(principal, pledge.donor)) throw notFound(`task ${id}`);
    throw forbidden(`only ${task.candidateRoles.join(' or ')} may act on this task`);
  }

  async function sendToWorkflow(
    task: TaskEntry,
    run: (handle: ReturnType<typeof temporal.client.workflow.getHandle>) => Promise<TaskActionResult>,
  ) {
    if (task.state !== 'open') throw conflict(`task ${task.id} is ${task.state}`);
    const handle = temporal.client.workflow.getHandle(task.workflowId);
    const result = await run(handle).catch((err) => fromTemporal(err, `task ${task.id}`));
    await views.sync();
    return {
      status: 200,
      body: {
        task: toTaskView({ ...(views.task(task.id) ?? task), ...result.task }, views.comments(task.id)),
        pledge: result.pledge,
      },
    };
  }

  return [
    route({
      method: 'get',
      path: '/tasks',
      summary: 'Tasks the caller may act on (the inbox), most urgent first',
      tag: 'tasks',
      access: 'task:read',
      query: TaskListQuery,
      responses: {
        200: {
          description: 'Tasks',
          schema: z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() }),
        },
      },
      handler: async ({ principal, query }) => {
        await views.sync();
        const everyone = principal.roles.some((r) => r === 'auditor' || r === 'admin');
        const matches = (t: TaskEntry) =>
          (!query.kind || t.kind === query.kind) &&
          (!query.pledgeId || t.pledgeId === query.pledgeId) &&
          (query.mine === 'true' ? t.assignee === principal.username : everyone || maySee(t, principal));
        const page: TaskEntry[] = [];
        let nextCursor: string | null = null;
        const inState = views.tasksIn(query.state ?? 'open');
        for (const task of inState?.from(
          query.cursor ? afterCursor(decodeCursor(query.cursor)) : undefined,
        ) ?? []) {
          if (!matches(task)) continue;
          if (page.length === query.limit) {
            const last = page[page.length - 1];
            nextCursor = encodeCursor({ at: last.dueAt, id: last.id });
            break;
          }
          page.push(task);
        }
        return {
          status: 200,
          body: { items: page.map((t) => toTaskView(t, views.comments(t.id))), nextCursor },
        };
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id',
      summary: 'One task',
      tag: 'tasks',
      access: 'task:read',
      params: IdParams,
      responses: { 200: { description: 'The task', schema: TaskView } },
      handler: async ({ principal, params }) => {
        const task = await loadTask(principal, params.id);
        return { status: 200, body: toTaskView(task, views.comments(task.id)) };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/claim',
      summary: 'Claim an open task: only you can then complete it',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      responses: { 200: { description: 'Claimed', schema: ActionResult } },
      handler: async ({ principal, params }) => {
        const task = await loadTaskToAct(principal, params.id);
        return sendToWorkflow(task, (h) =>
          h.executeUpdate(claimTaskUpdate, { args: [{ taskId: task.id, actor: actorOf(principal) }] }),
        );
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/release',
      summary: 'Release a task you claimed',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      responses: { 200: { description: 'Released', schema: ActionResult } },
      handler: async ({ principal, params }) => {
        const task = await loadTaskToAct(principal, params.id);
        return sendToWorkflow(task, (h) =>
          h.executeUpdate(releaseTaskUpdate, { args: [{ taskId: task.id, actor: actorOf(principal) }] }),
        );
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/delegate',
      summary: 'Hand a task to another user who may decide it',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      body: z.object({ to: z.string().min(1).max(100) }),
      responses: { 200: { description: 'Delegated', schema: ActionResult } },
      handler: async ({ principal, params, body }) => {
        const task = await loadTaskToAct(principal, params.id);
        const target = await store.User.findOne({ username: body.to, active: true }).lean<{
          username: string;
          roles: Actor['roles'];
          nation: string | null;
        }>();
        if (!target) {
          throw new ApiError(422, 'UNPROCESSABLE', `no active user ${body.to}`, [
            { path: 'to', message: 'unknown user' },
          ]);
        }
        const to = { username: target.username, roles: target.roles, nation: target.nation ?? null };
        return sendToWorkflow(task, (h) =>
          h.executeUpdate(delegateTaskUpdate, {
            args: [{ taskId: task.id, actor: actorOf(principal), to }],
          }),
        );
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/comments',
      summary: 'Comment on a task',
      tag: 'tasks',
      access: 'task:read',
      params: IdParams,
      body: z.object({ text: z.string().trim().min(1, 'must not be empty').max(4000) }),
      responses: { 201: { description: 'Comment added', schema: TaskView } },
      handler: async ({ principal, params, body }) => {
        const task = await loadTask(principal, params.id);
        if (principal.roles.every((r) => r === 'auditor'))
          throw forbidden('auditors read; they do not comment');
        const comment = {
          id: randomUUID(),
          by: principal.username,
          at: new Date().toISOString(),
          text: body.text,
        };
        await store.TaskComment.create({
          _id: comment.id,
          taskId: task.id,
          by: comment.by,
          at: comment.at,
          text: comment.text,
        });
        await projections.appendComment(task.id, comment);
        await appendAudit(store, {
          eventId: `comment:${comment.id}`,
          actor: principal.username,
          action: 'task.commented',
          pledgeId: task.pledgeId,
          detail: { taskId: task.id, text: body.text },
        });
        await views.sync();
        return { status: 201, body: toTaskView(task, views.comments(task.id)) };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/complete',
      summary: 'Decide a task; answered once the workflow has applied the decision',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      body: DecisionInput,
      responses: { 200: { description: 'Decided; the pledge shows its new status', schema: ActionResult } },
      handler: async ({ principal, params, body }) => {
        const task = await loadTaskToAct(principal, params.id);
        // Signed decisions are verified here, before anything reaches the workflow.
        const signed =
          task.kind === 'command_approval' && task.state === 'open'
            ? await verifyDecisionSignature(store, principal.username, task, body)
            : undefined;
        return sendToWorkflow(task, (h) =>
          h.executeUpdate(completeTaskUpdate, {
            args: [
              { taskId: task.id, actor: actorOf(principal), input: body, ...(signed ? { signed } : {}) },
            ],
          }),
        );
      },
    }),
  ];
}
