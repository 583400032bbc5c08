import {
  CancellationScope,
  allHandlersFinished,
  condition,
  defineUpdate,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { DomainFailure, type FailureKind } from '../domain/failures';
import type { NotificationEvent, Recipients } from '../domain/notifications';
import type { PledgeStatus } from '../domain/schemas/pledge';
import type { Role } from '../domain/schemas/common';
import type { StepTiming } from '../domain/schemas/task-policy';
import {
  checkClaim,
  checkDecision,
  checkDelegate,
  checkMayAct,
  checkRelease,
  type Actor,
  type DecisionInput,
  type Exclusion,
  type Priority,
  type TaskKind,
  type TaskSnapshot,
} from '../domain/tasks';
import { addSeconds, nowIso } from './clock';
import { asWorkflowFailure, failureOf } from './failures';
import { emitTask, notify } from './emit';

/** Patch: reminders are counted from the task's opening, not from when the workflow first waits on it. */
const REMINDERS_SINCE_OPENING = 'reminders-since-opening';

export interface TaskActionResult {
  task: TaskSnapshot;
  pledge: { id: string; status: string };
}

export interface CompleteTaskArgs {
  taskId: string;
  actor: Actor;
  input: DecisionInput;
  /** Set by the API once it verified a command approval's signature. */
  signed?: { signature: string; keyId: string; payload: string };
}

export const completeTaskUpdate = defineUpdate<TaskActionResult, [CompleteTaskArgs]>('completeTask');
export const claimTaskUpdate = defineUpdate<TaskActionResult, [{ taskId: string; actor: Actor }]>(
  'claimTask',
);
export const releaseTaskUpdate = defineUpdate<TaskActionResult, [{ taskId: string; actor: Actor }]>(
  'releaseTask',
);
export const delegateTaskUpdate = defineUpdate<
  TaskActionResult,
  [{ taskId: string; actor: Actor; to: Actor }]
>('delegateTask');

export interface OpenTaskSpec {
  id: string;
  kind: TaskKind;
  title: string;
  candidateRoles: Role[];
  nation?: string | null;
  /** Capability coalitions whose reviewers are the candidates (review tasks). */
  coalitions?: string[];
  priority?: Priority;
  timing: StepTiming;
  delegateRoles?: Role[];
  context?: Record<string, unknown>;
  /** Who may not decide it (separation of duties), and why. */
  excluded?: Exclusion[];
  /** Extra check of a decision, beyond the kind's rules (e.g. a signature is required). */
  validate?: (args: CompleteTaskArgs, task: TaskSnapshot) => void;
}

/** The pledge a workflow's tasks belong to, and how people know it. */
export interface TaskPledge {
  id: string;
  title: string;
  workflowId: string;
  /** Where the pledge stands now (the status an Update's answer reports). */
  status(): PledgeStatus;
}

/**
 * The human-task engine inside a workflow: it owns the tasks' state, answers the task Updates (validators refuse
 * what the caller may not do before anything enters history), records every change in order, and runs the
 * reminder and escalation timers.
 */
export class HumanTasks {
  private readonly tasks = new Map<string, TaskSnapshot>();
  /** Per task, how many of its reminders were sent. */
  private readonly remindersSent = new Map<string, number>();
  private readonly validators = new Map<string, OpenTaskSpec['validate']>();
  private readonly decisionInputs = new Map<string, CompleteTaskArgs>();
  /**
   * The outcome of the latest decision sent for each task, numbered: applied (the status after it) or refused
   * (why, and as which kind of failure). Each Update waits for the outcome of its own decision.
   */
  private readonly settled = new Map<
    string,
    { n: number; outcome: { status: string } | { refusal: string; kind: FailureKind } }
  >();
  private readonly decisionCount = new Map<string, number>();
  private rev = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly pledge: TaskPledge) {}

  /** Registers the task Updates on the running workflow. */
  install(): this {
    setHandler(
      completeTaskUpdate,
      async (args) => {
        const task = this.get(args.taskId);
        task.state = 'completed';
        task.decision = {
          decision: args.input.decision,
          comment: args.input.comment ?? null,
          conditions: args.input.conditions ?? [],
          by: args.actor.username,
          onBehalfOf: task.delegatedBy,
          at: nowIso(),
          signature: args.signed?.signature ?? null,
          keyId: args.signed?.keyId ?? null,
          payload: args.signed?.payload ?? null,
        };
        this.decisionInputs.set(task.id, args);
        const n = (this.decisionCount.get(task.id) ?? 0) + 1;
        this.decisionCount.set(task.id, n);
        await this.persist(task);
        await condition(() => this.settled.get(task.id)?.n === n);
        const { outcome } = this.settled.get(task.id)!;
        if ('refusal' in outcome) throw failureOf(outcome.kind, outcome.refusal);
        return this.result(task, outcome.status);
      },
      {
        validator: (args) =>
          asWorkflowFailure(() => {
            const task = this.get(args.taskId);
            checkMayAct(task, args.actor);
            checkDecision(task, args.input);
            this.validators.get(task.id)?.(args, task);
          }),
      },
    );
    setHandler(
      claimTaskUpdate,
      async ({ taskId, actor }) => {
        const task = this.get(taskId);
        task.assignee = actor.username;
        await this.persist(task);
        return this.result(task);
      },
      { validator: ({ taskId, actor }) => asWorkflowFailure(() => checkClaim(this.get(taskId), actor)) },
    );
    setHandler(
      releaseTaskUpdate,
      async ({ taskId }) => {
        const task = this.get(taskId);
        task.assignee = null;
        task.delegatedBy = null;
        await this.persist(task);
        return this.result(task);
      },
      { validator: ({ taskId, actor }) => asWorkflowFailure(() => checkRelease(this.get(taskId), actor)) },
    );
    setHandler(
      delegateTaskUpdate,
      async ({ taskId, actor, to }) => {
        const task = this.get(taskId);
        task.delegatedBy = actor.username;
        task.assignee = to.username;
        await this.persist(task, [
          this.notice(
            task,
            'task.delegated',
            `${actor.username} delegated a task to you: ${task.title}`,
            { usernames: [to.username] },
            to.username,
          ),
        ]);
        return this.result(task);
      },
      {
        validator: ({ taskId, actor, to }) =>
          asWorkflowFailure(() => checkDelegate(this.get(taskId), actor, to)),
      },
    );
    return this;
  }

  /** Opens a task: recorded in the inbox, candidates notified, timers started by `awaitDecision`. */
  async open(spec: OpenTaskSpec): Promise<TaskSnapshot> {
    const createdAt = nowIso();
    const task: TaskSnapshot = {
      id: spec.id,
      kind: spec.kind,
      pledgeId: this.pledge.id,
      pledgeTitle: this.pledge.title,
      workflowId: this.pledge.workflowId,
      candidateRoles: spec.candidateRoles,
      nation: spec.nation ?? null,
      ...(spec.coalitions?.length ? { coalitions: spec.coalitions } : {}),
      assignee: null,
      delegatedBy: null,
      priority: spec.priority ?? 'normal',
      dueAt: addSeconds(createdAt, spec.timing.slaSeconds),
      createdAt,
      state: 'open',
      title: spec.title,
      escalated: false,
      delegateRoles: spec.delegateRoles ?? [],
      context: spec.context ?? {},
      excluded: spec.excluded ?? [],
      decision: null,
    };
    this.tasks.set(task.id, task);
    this.validators.set(task.id, spec.validate);
    await this.persist(task, [
      this.notice(task, 'task.opened', `New task: ${task.title}`, this.candidates(task)),
    ]);
    return task;
  }

  /**
   * Waits for the task's decision; sends reminders before the due date and escalates when it passes
   * (priority urgent, escalation roles added, everyone concerned told). Timers are durable.
   */
  async awaitDecision(taskId: string, timing: StepTiming): Promise<CompleteTaskArgs> {
    const task = this.get(taskId);
    const dueMs = Date.parse(task.dueAt);
    const reminders = timing.remindBeforeDueSeconds.map((s) => dueMs - s * 1000).sort((a, b) => a - b);
    // A reminder due before the task opened is not sent; one whose moment passed while the workflow was busy (an
    // activity slow to record the task) is sent late rather than lost. Older runs skipped those: they replay so.
    // A decision refused after it was taken (a bad signature) waits again: reminders already sent are not repeated.
    const sinceOpening = patched(REMINDERS_SINCE_OPENING);
    const sent = sinceOpening ? (this.remindersSent.get(taskId) ?? 0) : 0;
    const since = sinceOpening ? Date.parse(task.createdAt) : Date.now();
    const pending = reminders.filter((t, i) => t > since && i >= sent);
    while (task.state === 'open') {
      const nextReminder = pending[0];
      const wakeAt = task.escalated ? undefined : (nextReminder ?? dueMs);
      const isClosed = () => task.state !== 'open';
      const decided =
        wakeAt === undefined
          ? await condition(isClosed).then(() => true)
          : await condition(isClosed, Math.max(wakeAt - Date.now(), 1));
      if (decided) break;
      if (nextReminder !== undefined) {
        pending.shift();
        const n = reminders.indexOf(nextReminder) + 1;
        this.remindersSent.set(taskId, n);
        await notify([
          this.notice(task, 'task.reminder', `Reminder: ${task.title}`, this.responsible(task), `${n}`),
        ]);
      } else {
        await this.escalate(task, timing.escalateToRoles);
      }
    }
    if (task.state === 'cancelled')
      // Not a refusal of anyone's call: the stage that awaited it is ending (its cancellation follows).
      throw failureOf('conflict', `task ${task.id} was cancelled`);
    return this.decisionInputs.get(taskId)!;
  }

  /** Marks the decision as applied: the Update that carried it answers with the pledge's status after it. */
  settle(taskId: string, status: PledgeStatus): void {
    this.settled.set(taskId, { n: this.decisionCount.get(taskId) ?? 0, outcome: { status } });
  }

  /**
   * Refuses the decision just taken (it failed a check only an activity can make, such as a signature that does
   * not verify): the task is open again and its Update answers with the refusal.
   */
  async refuseDecision(taskId: string, refusal: string): Promise<void> {
    const task = this.get(taskId);
    task.state = 'open';
    task.decision = null;
    this.decisionInputs.delete(taskId);
    // Recorded as open before the Update answers: whoever was refused reads the task open again.
    await this.persist(task);
    this.settled.set(taskId, {
      n: this.decisionCount.get(taskId) ?? 0,
      outcome: { refusal, kind: 'unprocessable' },
    });
  }

  /** The stage ends without applying decisions taken meanwhile (a withdrawal won the race): their Updates get a 409. */
  abandonDecisions(why: string): void {
    for (const id of this.decisionInputs.keys()) {
      const n = this.decisionCount.get(id) ?? 0;
      if (this.settled.get(id)?.n !== n)
        this.settled.set(id, { n, outcome: { refusal: why, kind: 'conflict' } });
    }
  }

  /** Closes the task without a decision (withdrawal, amendment of a revision, stage ended). */
  async close(taskId: string, state: 'cancelled' | 'completed' = 'cancelled'): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task || task.state !== 'open') return;
    task.state = state;
    await this.persist(task);
  }

  /** Closes every open task and answers every decision still waiting (the stage is being cancelled). */
  async closeAll(why = `pledge ${this.pledge.id} changed before the decision was applied`): Promise<void> {
    this.abandonDecisions(why);
    for (const task of this.tasks.values()) if (task.state === 'open') await this.close(task.id);
  }

  /**
   * The stage is being cancelled (the pledge was withdrawn or amended): every open task closes, and every decision
   * still waiting is answered with a 409 before the stage ends, not left to a caller as a lost workflow.
   */
  async closeForCancellation(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      await this.closeAll();
      await condition(allHandlersFinished);
    });
  }

  snapshot(taskId: string): TaskSnapshot {
    return this.get(taskId);
  }

  private async escalate(task: TaskSnapshot, roles: Role[]) {
    task.escalated = true;
    task.priority = 'urgent';
    task.candidateRoles = [...new Set([...task.candidateRoles, ...roles])];
    // Liaisons are told only for their own nation's task, as for every notice of a nation-bound task.
    const told: Recipients = {
      ...(task.assignee ? { usernames: [task.assignee] } : {}),
      ...this.candidates(task),
    };
    await this.persist(task, [
      this.notice(task, 'task.escalated', `Overdue and escalated: ${task.title}`, told),
    ]);
  }

  private candidates(task: TaskSnapshot): Recipients {
    return {
      roles: task.candidateRoles,
      nation: task.nation,
      ...(task.coalitions?.length ? { coalitions: task.coalitions } : {}),
      except: (task.excluded ?? []).map((e) => e.username),
    };
  }

  private responsible(task: TaskSnapshot): Recipients {
    return task.assignee ? { usernames: [task.assignee] } : this.candidates(task);
  }

  private notice(
    task: TaskSnapshot,
    type: NotificationEvent['type'],
    title: string,
    recipients: Recipients,
    suffix = '',
  ): NotificationEvent {
    return {
      id: `${task.id}:${type}${suffix ? `:${suffix}` : ''}`,
      type,
      title,
      body: `${task.kind.replace(/_/g, ' ')}; due ${task.dueAt}`,
      pledgeId: task.pledgeId,
      taskId: task.id,
      recipients,
      at: nowIso(),
    };
  }

  private get(taskId: string): TaskSnapshot {
    const task = this.tasks.get(taskId);
    // The API adds where the pledge stands, read after the views catch up (a stage may not know of a withdrawal).
    if (!task) throw new DomainFailure('conflict', `task ${taskId} is not open in this workflow`);
    return task;
  }

  private result(task: TaskSnapshot, status: string = this.pledge.status()): TaskActionResult {
    return { task: { ...task }, pledge: { id: this.pledge.id, status } };
  }

  /**
   * Records a task's state. Writes are chained so the record sees task states in the order they happened (`rev`
   * orders them again in the store); a failed write does not stop later ones.
   */
  private persist(task: TaskSnapshot, notices: NotificationEvent[] = []): Promise<void> {
    // Workflow time orders revisions across runs too (a reset or a new run of the workflow writes after the old one).
    const rev = (this.rev = Math.max(this.rev + 1, Date.now() * 1000));
    const copy = {
      ...task,
      candidateRoles: [...task.candidateRoles],
      ...(task.coalitions ? { coalitions: [...task.coalitions] } : {}),
    };
    const write = this.saving.catch(() => undefined).then(() => emitTask(copy, rev, notices));
    this.saving = write;
    return write;
  }
}
