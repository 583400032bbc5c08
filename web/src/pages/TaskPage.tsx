import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { engine, messageOf, ok } from '../api/client';
import { useSystems } from '../api/reference';
import type { Pledge, Task, TaskActionResult } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { BriefButton } from '../components/BriefButton';
import { DecisionForm } from '../components/DecisionForm';
import { TaskActions } from '../components/TaskActions';
import { ErrorBox, Field, Loading, PageTitle, Section, StatusBadge, When } from '../components/common';
import { ApprovalImpact } from '../components/pledge/ApprovalImpact';
import { DecisionPackage, usePackageCheck } from '../components/pledge/DecisionPackage';
import { EarlierDecisions } from '../components/pledge/EarlierDecisions';
import { Findings, ReviewDecision, ReviewSummary } from '../components/pledge/Findings';
import { ApprovalChain } from '../components/pledge/History';
import { ItemsTable, PledgeFacts } from '../components/pledge/PledgeOverview';
import { TrainingGantt } from '../components/pledge/TrainingGantt';
import { formatEur } from '../lib/format';
import { whatIsAsked } from '../lib/governance';
import { decisionText, kindLabel, statusLabel } from '../lib/labels';

/**
 * One task, decision first: what is asked, the engine's recommendation and the findings counted, what was decided
 * before in the round, the due date and the form at the top; the details (package, findings, plan) below.
 */
export function TaskPage() {
  const { id = '' } = useParams();
  const task = useApi(
    (signal) => ok(engine.GET('/api/v1/tasks/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  const [current, setCurrent] = useState<Task>();
  const [result, setResult] = useState<TaskActionResult>();
  const t = current ?? task.data;
  const pledgeId = t?.pledgeId;
  const pledge = useApi(
    pledgeId
      ? (signal) => ok(engine.GET('/api/v1/pledges/{id}', { params: { path: { id: pledgeId } }, signal }))
      : null,
    [pledgeId],
  );
  const systems = useSystems();

  if (task.error) {
    return (
      <>
        <PageTitle>Task</PageTitle>
        <ErrorBox error={task.error} />
        <Link to="/inbox">Back to the inbox</Link>
      </>
    );
  }
  if (!t) return <Loading what="Loading the task" />;
  return (
    <TaskView
      t={t}
      p={pledge.data}
      pledgeError={pledge.error}
      systems={systems}
      result={result}
      onTask={setCurrent}
      onDone={(res) => {
        setResult(res);
        setCurrent(res.task);
        pledge.reload();
      }}
    />
  );
}

function TaskView({
  t,
  p,
  pledgeError,
  systems,
  result,
  onTask,
  onDone,
}: {
  t: Task;
  p: Pledge | undefined;
  pledgeError: Error | undefined;
  systems: ReturnType<typeof useSystems>;
  result: TaskActionResult | undefined;
  onTask: (t: Task) => void;
  onDone: (res: TaskActionResult) => void;
}) {
  const check = usePackageCheck(p, t);
  const round = t.context.round && t.context.round > 1 ? ` · round ${t.context.round}` : '';
  const step = t.context.step ? ` · step ${t.context.step} of ${t.context.of ?? t.context.step}` : '';
  return (
    <div data-testid="task-page" data-task-id={t.id} data-kind={t.kind}>
      <PageTitle
        actions={
          t.kind === 'command_approval' && p?.approval ? (
            <BriefButton pledgeId={t.pledgeId} round={p.approval.round} />
          ) : undefined
        }
      >
        {t.pledgeTitle || t.title}
      </PageTitle>
      <p className="subtitle">
        <strong>{kindLabel[t.kind]}</strong>
        {step}
        {round} · pledge <span className="mono">{t.pledgeId}</span>
      </p>
      <div className="decision-grid">
        <Section id="summary" title="At a glance">
          <p data-testid="what-is-asked">{whatIsAsked(t)}</p>
          <dl className="facts">
            <div>
              <dt>Due</dt>
              <dd data-testid="task-due">
                <When iso={t.dueAt} prefix={t.state === 'open' ? 'due ' : ''} />
                {t.overdue && <span className="badge tone-bad badge-small">Overdue</span>}
              </dd>
            </div>
            <div>
              <dt>Pledge</dt>
              <dd>
                {p ? <StatusBadge status={p.status} /> : '…'} {p && formatEur(p.valueEur)}
              </dd>
            </div>
          </dl>
          {pledgeError && <ErrorBox error={pledgeError} />}
          {p && <ReviewSummary review={p.review} />}
          {p && t.kind !== 'compatibility_review' && (
            <>
              <h3>Decided before you</h3>
              <EarlierDecisions pledge={p} taskId={t.id} />
            </>
          )}
        </Section>
        <div className="decision-side">
          <Section id="task" title="Task">
            <dl className="facts one-col">
              <div>
                <dt>State</dt>
                <dd data-testid="task-state">{t.state}</dd>
              </div>
              <div>
                <dt>Assignee</dt>
                <dd data-testid="task-assignee">
                  {t.assignee ?? 'unclaimed'}
                  {t.delegatedBy && <> (delegated by {t.delegatedBy})</>}
                </dd>
              </div>
            </dl>
            <TaskActions task={t} onChanged={onTask} />
          </Section>
          {t.state === 'open' ? (
            t.kind === 'revision' ? (
              <Section id="decide" title="Revise the pledge">
                <p>The reviewers asked for changes. Amend the pledge and the review runs again.</p>
                <Link className="btn btn-primary" to={`/pledges/${encodeURIComponent(t.pledgeId)}/amend`}>
                  Amend pledge
                </Link>
              </Section>
            ) : (
              <DecisionForm task={t} pledge={p} check={check} onDone={onDone} />
            )
          ) : (
            <Decided t={t} p={p} result={result} />
          )}
        </div>
      </div>
      {p && <Details t={t} p={p} systems={systems} check={check} />}
      <Comments task={t} onChanged={onTask} />
    </div>
  );
}

function Decided({ t, p, result }: { t: Task; p: Pledge | undefined; result: TaskActionResult | undefined }) {
  return (
    <Section id="decide" title="Decision">
      {result && (
        <div
          className="alert alert-success"
          role="status"
          data-testid="decision-result"
          data-status={result.pledge.status}
        >
          Your decision <strong>{decisionText(result.task.decision?.decision)}</strong> is recorded. The
          pledge moved on to <strong>{statusLabel[result.pledge.status] ?? result.pledge.status}</strong>.
        </div>
      )}
      <p data-testid="task-closed">
        This task is {t.state}.
        {t.decision && (
          <>
            {' '}
            {decisionText(t.decision.decision)} by {t.decision.by}
            {t.decision.onBehalfOf && <> on behalf of {t.decision.onBehalfOf}</>}.
          </>
        )}
      </p>
      {p && !result && (
        <p>
          The pledge is now <StatusBadge status={p.status} />.
        </p>
      )}
      <p>
        <Link to={`/pledges/${encodeURIComponent(t.pledgeId)}`}>Open the pledge</Link> ·{' '}
        <Link to="/inbox">Back to the inbox</Link>
      </p>
    </Section>
  );
}

/** The details, most useful first for each kind of task; long parts start collapsed. */
function Details({
  t,
  p,
  systems,
  check,
}: {
  t: Task;
  p: Pledge;
  systems: ReturnType<typeof useSystems>;
  check: ReturnType<typeof usePackageCheck>;
}) {
  const findings = (
    <Collapsible
      key="findings"
      id="findings"
      title={`Findings (${p.review?.findings.length ?? 0})`}
      open={t.kind === 'compatibility_review'}
    >
      <Findings review={p.review} systems={systems} summary={false} />
    </Collapsible>
  );
  const plan = (
    <Collapsible
      key="plan"
      id="training"
      title="Training plan"
      open={t.kind === 'training_plan_confirmation'}
    >
      <TrainingGantt plan={p.trainingPlan} items={p.items} systems={systems} />
    </Collapsible>
  );
  const overview = (
    <Collapsible key="overview" id="pledge" title="The pledge" open={t.kind === 'compatibility_review'}>
      <PledgeFacts pledge={p} />
      <ItemsTable pledge={p} systems={systems} />
      <p>
        <Link to={`/pledges/${encodeURIComponent(p.id)}`}>Open the pledge’s page</Link>
      </p>
    </Collapsible>
  );
  const review = (
    <Collapsible key="review" id="review-decision" title="Review decision" open={false}>
      <ReviewDecision review={p.review} />
    </Collapsible>
  );
  const parts =
    t.kind === 'command_approval'
      ? [
          <Collapsible key="package" id="package" title="Decision package (frozen, as signed)" open>
            <DecisionPackage pledge={p} check={check} systems={systems} />
          </Collapsible>,
          <ApprovalImpact key="impact" pledge={p} systems={systems} />,
          <Collapsible key="chain" id="approval" title="Approval chain" open>
            <ApprovalChain approval={p.approval} />
          </Collapsible>,
          findings,
          plan,
          overview,
        ]
      : t.kind === 'training_plan_confirmation'
        ? [plan, findings, review, overview]
        : [findings, overview];
  return <div className="details">{parts}</div>;
}

/** A section whose body can be folded away (a <details> with the section's heading). */
function Collapsible({
  id,
  title,
  open,
  children,
}: {
  id: string;
  title: string;
  open: boolean;
  children: React.ReactNode;
}) {
  return (
    <details className="card collapsible" id={id} open={open} data-testid={`section-${id}`}>
      <summary>
        <h2>{title}</h2>
      </summary>
      {children}
    </details>
  );
}

function Comments({ task, onChanged }: { task: Task; onChanged: (t: Task) => void }) {
  const { hasRole } = useAuth();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      onChanged(
        await ok(
          engine.POST('/api/v1/tasks/{id}/comments', { params: { path: { id: task.id } }, body: { text } }),
        ),
      );
      setText('');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const comments = task.comments ?? [];
  return (
    <Section id="comments" title={`Comments on this task (${comments.length})`}>
      <ul className="comments">
        {comments.map((c, i) => (
          <li key={i}>
            <strong>{c.by}</strong>{' '}
            <span className="muted small">
              <When iso={c.at} />
            </span>
            <p className="wrap">{c.text}</p>
          </li>
        ))}
      </ul>
      {!hasRole('auditor') || hasRole('admin') ? (
        <form onSubmit={(e) => void add(e)}>
          <Field id="new-comment" label="Add a comment">
            <textarea id="new-comment" rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-small" disabled={!text.trim()}>
            Comment
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      ) : null}
    </Section>
  );
}
