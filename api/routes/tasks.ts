import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import { type Principal } from '../../domain/permissions';
import { Role } from '../../domain/schemas/common';
import { CoalitionId } from '../../domain/schemas/reference';
import { DecisionInput, Priority, TaskKind, TaskState } from '../../domain/schemas/task';
import { maySee, type DecisionInput as DecisionShape, type TaskSnapshot } from '../../domain/tasks';
import { decideTask } from '../../app/decide-task';
import { claimTask, delegateTask, eligibleDelegates, releaseTask } from '../../app/task-actions';
import { commentOnTask, type TaskCommentPorts } from '../../app/comment-on-task';
import { PledgeStatus } from '../../domain/schemas/pledge';
import { DecisionRecord } from '../../domain/schemas/pledge-view';
import { appendAudit } from '../../store/audit-log';
import { keepTaskComment } from '../../store/task-comments';
import { userRepository } from '../../store/users';
import type { PledgeListEntry } from '../../store/projector';
import type { StoredComment, TaskEntry } from '../views/read-views';
import {
  claimTaskUpdate,
  completeTaskUpdate,
  delegateTaskUpdate,
  releaseTaskUpdate,
  type TaskActionResult,
} from '../../workflows/human-tasks';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/errors';
import { route } from '../http/route';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { DomainFailure } from '../../domain/failures';
import { failureFromTemporal } from '../../infra/temporal-failures';
import { verifyDecisionSignature } from '../signatures';

const IdParams = z.object({ id: z.string().min(1).max(120) });

const TaskDecision = DecisionRecord.extend({
  signature: z.string().nullable().describe('The Ed25519 signature of a command approval decision'),
  keyId: z.string().nullable(),
  payload: z.string().nullable().describe('The exact text that was signed'),
}).meta({ id: 'TaskDecision' });

const TaskContext = z
  .object({
    packageHash: z.string().describe('The decision package the approval signs'),
    step: z.number().int().describe('This step of the approval chain, from 1'),
    of: z.number().int().describe('Steps in the chain'),
    role: Role,
    round: z.number().int().describe('The approval round: one more after each return'),
    reason: z.string().describe('Why this role is in the chain'),
  })
  .partial()
  .meta({ id: 'TaskContext', description: 'What the decider needs besides the pledge (command approvals)' });

const TaskComment = z
  .object({ by: z.string(), at: z.string(), text: z.string() })
  .meta({ id: 'TaskComment' });

export const TaskView = z
  .object({
    id: z.string(),
    kind: TaskKind,
    pledgeId: z.string(),
    pledgeTitle: z.string(),
    donor: z
      .string()
      .nullable()
      .describe("The pledge's donor nation (null while the pledge is not readable)"),
    valueEur: z.number().nullable().describe("The pledge's value in euros, if given"),
    pledgeStatus: PledgeStatus.nullable().describe('Where the pledge stands now'),
    candidateRoles: z.array(Role),
    nation: z.string().nullable().describe('For a revision: the owning nation, whose liaison may act'),
    coalitions: z
      .array(z.string())
      .describe(
        "For a review: the pledge's capability coalitions, whose reviewers may decide it (empty: any)",
      ),
    assignee: z.string().nullable(),
    delegatedBy: z.string().nullable(),
    priority: Priority,
    dueAt: z.string(),
    createdAt: z.string(),
    state: TaskState,
    title: z.string(),
    escalated: z.boolean(),
    overdue: z.boolean(),
    delegateRoles: z
      .array(Role)
      .describe('Roles it may be handed to beyond its candidates (commander to deputy)'),
    context: TaskContext,
    decision: TaskDecision.nullable(),
    comments: z.array(TaskComment),
  })
  .meta({ id: 'Task' });
type TaskView = z.infer<typeof TaskView>;

const toTaskView = (
  t: TaskSnapshot,
  comments: StoredComment[],
  pledge: Pick<PledgeListEntry, 'donor' | 'valueEur' | 'status'> | undefined,
): TaskView => ({
  id: t.id,
  kind: t.kind,
  pledgeId: t.pledgeId,
  pledgeTitle: t.pledgeTitle,
  donor: pledge?.donor ?? null,
  valueEur: pledge?.valueEur ?? null,
  pledgeStatus: pledge?.status ?? null,
  candidateRoles: t.candidateRoles,
  nation: t.nation ?? null,
  coalitions: t.coalitions ?? [],
  assignee: t.assignee ?? null,
  delegatedBy: t.delegatedBy ?? null,
  priority: t.priority,
  dueAt: t.dueAt,
  createdAt: t.createdAt,
  state: t.state,
  title: t.title,
  escalated: t.escalated ?? false,
  overdue: t.state === 'open' && t.dueAt < new Date().toISOString(),
  delegateRoles: t.delegateRoles ?? [],
  context: t.context ?? {},
  decision: t.decision
    ? {
        decision: t.decision.decision,
        comment: t.decision.comment ?? null,
        conditions: t.decision.conditions ?? [],
        by: t.decision.by,
        onBehalfOf: t.decision.onBehalfOf ?? null,
        at: t.decision.at,
        signature: t.decision.signature ?? null,
        keyId: t.decision.keyId ?? null,
        payload: t.decision.payload ?? null,
      }
    : null,
  comments: comments.map(({ by, at, text }) => ({ by, at, text })),
});

/** Most urgent first, as the inbox is kept: ≤ 0 while a task sorts at or before the cursor. */
const afterCursor = (cursor: { at: string; id: string }) => (t: TaskEntry) =>
  t.dueAt < cursor.at ? -1 : t.dueAt > cursor.at ? 1 : t.id <= cursor.id ? -1 : 1;

const TaskListQuery = z.object({
  state: TaskState.optional().describe('Tasks in this state (default open)'),
  mine: z.enum(['true', 'false']).optional().describe('Only tasks assigned to the caller'),
  kind: TaskKind.optional(),
  coalition: CoalitionId.optional().describe("Only tasks bound to this capability coalition (a review's)"),
  pledgeId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('The `nextCursor` of the previous page'),
});

const TaskPage = z
  .object({ items: z.array(TaskView), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });

const ActionResult = z
  .object({
    task: TaskView,
    pledge: z
      .object({ id: z.string(), status: PledgeStatus })
      .describe('The pledge after the workflow applied it'),
  })
  .meta({ id: 'TaskActionResult' });

const DelegateInput = z
  .object({ to: z.string().min(1).max(100).describe('A username') })
  .meta({ id: 'DelegateInput' });
const EligibleDelegate = z
  .object({
    username: z.string(),
    displayName: z.string().nullable(),
    roles: z.array(Role),
  })
  .meta({ id: 'EligibleDelegate' });
const EligibleDelegates = z.object({ items: z.array(EligibleDelegate) }).meta({
  id: 'EligibleDelegateList',
  description: 'Active users who may decide the task, the caller left out',
});

const CommentInput = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(4000) })
  .meta({ id: 'CommentInput' });
const Decision = DecisionInput.meta({ id: 'DecisionInput' });

const notFoundTask = 'No such task, or one you may not see';
const actionErrors = {
  403: 'You hold none of its candidate roles, or someone else claimed it',
  404: notFoundTask,
  409: 'The task is no longer open (or already claimed)',
  422: 'Not acceptable for this task as it stands',
};

export function taskRoutes({ store, temporal, views, projections }: ApiDeps) {
  /** A task the caller may see, after catching up with every write (one it may not see is a 404). */
  async function loadTask(principal: Principal, id: string): Promise<TaskEntry> {
    await views.sync();
    const task = views.task(id);
    if (!task || !maySee(task, principal)) throw notFound(`task ${id}`);
    return task;
  }

  const taskFinder = {
    task: async (id: string) => {
      await views.sync();
      return views.task(id);
    },
    pledge: async (id: string) => views.pledges.get(id),
  };
  /**
   * Sends an action to the task's workflow; its refusals come back as `DomainFailure`s. A lost race (a 409) also
   * says where the pledge stands now, so the caller knows what happened instead.
   */
  const update =
    <A>(definition: UpdateDefinition<TaskActionResult, [A]>) =>
    (task: TaskEntry, args: A) =>
      temporal.client.workflow
        .getHandle(task.workflowId)
        .executeUpdate(definition, { args: [args] })
        .catch(async (err) => {
          const failure = failureFromTemporal(err, `task ${task.id}`);
          if (failure?.kind !== 'conflict') throw failure ?? err;
          // Where the pledge stands is a courtesy: a read side that cannot catch up leaves the 409 as it is.
          const caughtUp = await views.sync().then(
            () => true,
            () => false,
          );
          const status = caughtUp ? views.pledges.get(task.pledgeId)?.status : undefined;
          throw new DomainFailure(
            'conflict',
            status ? `${failure.message}; the pledge is ${status}` : failure.message,
          );
        });
  const decisions = {
    ...taskFinder,
    verifySignature: (principal: Principal, task: TaskEntry, input: DecisionShape) =>
      verifyDecisionSignature(store, principal.username, task, input),
    complete: update(completeTaskUpdate),
  };
  const actions = {
    ...taskFinder,
    users: userRepository(store.User),
    claim: update(claimTaskUpdate),
    release: update(releaseTaskUpdate),
    delegate: update(delegateTaskUpdate),
  };
  const commentPorts: TaskCommentPorts = {
    keep: (taskId, comment) => keepTaskComment(store, taskId, comment),
    show: async (taskId, comment) => {
      await projections.appendComment(taskId, comment);
    },
    audit: async (entry) => {
      await appendAudit(store, entry);
    },
  };

  /** The task as it stands after the action (the read side caught up), and the pledge's status. */
  async function answer(task: TaskEntry, result: TaskActionResult) {
    await views.sync();
    return {
      status: 200,
      body: {
        task: toTaskView(
          { ...(views.task(task.id) ?? task), ...result.task },
          views.comments(task.id),
          views.pledges.get(task.pledgeId),
        ),
        pledge: result.pledge,
      },
    };
  }

  return [
    route({
      method: 'get',
      path: '/tasks',
      operationId: 'listTasks',
      summary: 'Tasks the caller may act on (the inbox), most urgent first',
      tag: 'tasks',
      access: 'task:read',
      query: TaskListQuery,
      responses: { 200: { description: 'Tasks', schema: TaskPage } },
      handler: async ({ principal, query }) => {
        await views.sync();
        const everyone = principal.roles.some((r) => r === 'auditor' || r === 'admin');
        const matches = (t: TaskEntry) =>
          (!query.kind || t.kind === query.kind) &&
          (!query.coalition || (t.coalitions ?? []).includes(query.coalition)) &&
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
          body: {
            items: page.map((t) => toTaskView(t, views.comments(t.id), views.pledges.get(t.pledgeId))),
            nextCursor,
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id',
      operationId: 'getTask',
      summary: 'One task',
      tag: 'tasks',
      access: 'task:read',
      params: IdParams,
      responses: { 200: { description: 'The task', schema: TaskView } },
      errors: { 404: notFoundTask },
      handler: async ({ principal, params }) => {
        const task = await loadTask(principal, params.id);
        return {
          status: 200,
          body: toTaskView(task, views.comments(task.id), views.pledges.get(task.pledgeId)),
        };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/claim',
      operationId: 'claimTask',
      summary: 'Claim an open task: only you can then complete it',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      responses: { 200: { description: 'Claimed', schema: ActionResult } },
      errors: actionErrors,
      handler: async ({ principal, params }) => {
        const { task, result } = await claimTask(actions, principal, params.id);
        return answer(task, result);
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/release',
      operationId: 'releaseTask',
      summary: 'Release a task you claimed',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      responses: { 200: { description: 'Released', schema: ActionResult } },
      errors: actionErrors,
      handler: async ({ principal, params }) => {
        const { task, result } = await releaseTask(actions, principal, params.id);
        return answer(task, result);
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/delegate',
      operationId: 'delegateTask',
      summary: 'Hand a task to another user who may decide it',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      body: DelegateInput,
      responses: { 200: { description: 'Delegated', schema: ActionResult } },
      errors: { ...actionErrors, 422: 'No such active user, or one who may not decide this task' },
      handler: async ({ principal, params, body }) => {
        const { task, result } = await delegateTask(actions, principal, params.id, body.to);
        return answer(task, result);
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id/delegates',
      operationId: 'listTaskDelegates',
      summary: 'The users a task may be delegated to: active holders of a role that may decide it',
      description:
        'Only whoever may act on the task (its assignee, or a candidate while it is unclaimed) gets the list. ' +
        'People separation of duties keeps off the task are left out.',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      responses: { 200: { description: 'Eligible users, by username', schema: EligibleDelegates } },
      errors: {
        403: 'You may not act on this task (not a candidate, or someone else claimed it)',
        404: notFoundTask,
        409: 'The task is no longer open',
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: { items: await eligibleDelegates(actions, principal, params.id) },
      }),
    }),
    route({
      method: 'post',
      path: '/tasks/:id/comments',
      operationId: 'commentOnTask',
      summary: 'Comment on a task',
      tag: 'tasks',
      access: 'task:read',
      params: IdParams,
      body: CommentInput,
      responses: { 201: { description: 'Comment added; the task with every comment', schema: TaskView } },
      errors: { 403: 'Auditors read; they do not comment', 404: notFoundTask },
      handler: async ({ principal, params, body }) => {
        const task = await loadTask(principal, params.id);
        await commentOnTask(commentPorts, principal, task, body.text);
        await views.sync();
        return {
          status: 201,
          body: toTaskView(task, views.comments(task.id), views.pledges.get(task.pledgeId)),
        };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/complete',
      operationId: 'completeTask',
      summary: 'Decide a task; answered once the workflow has applied the decision',
      description:
        'Decisions by kind: `compatibility_review`: accept, accept_with_conditions, reject, request_changes; ' +
        '`training_plan_confirmation`: confirm, replan; `command_approval`: approve, approve_with_conditions, ' +
        'reject, return (signed: see `getSigningPayload`).',
      tag: 'tasks',
      access: 'task:act',
      params: IdParams,
      body: Decision,
      responses: { 200: { description: 'Decided; the pledge shows its new status', schema: ActionResult } },
      errors: {
        ...actionErrors,
        422: 'The decision is not valid for this kind of task, or a required comment, condition or signature is missing or wrong',
      },
      handler: async ({ principal, params, body }) => {
        const { task, result } = await decideTask(decisions, principal, params.id, body);
        return answer(task, result);
      },
    }),
  ];
}
