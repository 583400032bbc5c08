import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { checkDecision, decisionsByKind, DecisionInput, TaskRuleError, type TaskSnapshot } from '@domain/tasks';
import { api, ApiError, messageOf } from '../api/client';
import { useSites, useSystems } from '../api/reference';
import type { Pledge, Task, TaskActionResult } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { TaskActions } from '../components/TaskActions';
import { controlProps, ErrorBox, Field, Loading, PageTitle, Section, StatusBadge } from '../components/common';
import { Findings, ReviewDecision } from '../components/pledge/Findings';
import { ApprovalChain } from '../components/pledge/History';
import { ItemsTable, PledgeFacts } from '../components/pledge/PledgeOverview';
import { TrainingGantt } from '../components/pledge/TrainingGantt';
import { formatDateTime, relativeTime } from '../lib/format';
import { decisionText, kindLabel, roleText, statusLabel } from '../lib/labels';
import { signDecision } from '../signing/sign-decision';

/** One task: the decision package in full, comments, and the decision form (signed for command approvals). */
export function TaskPage() {
  const { id = '' } = useParams();
  const task = useApi<Task>(`/tasks/${encodeURIComponent(id)}`);
  const [current, setCurrent] = useState<Task>();
  const [result, setResult] = useState<TaskActionResult>();
  const t = current ?? task.data;
  const pledge = useApi<Pledge>(t ? `/pledges/${encodeURIComponent(t.pledgeId)}` : null);
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
  const p = pledge.data;

  return (
    <div data-testid="task-page" data-task-id={t.id} data-kind={t.kind}>
      <PageTitle>{t.title ?? kindLabel[t.kind]}</PageTitle>
      <div className="detail-grid">
        <div className="detail-main">
          <Section id="package" title={t.kind === 'command_approval' ? 'Decision package' : 'The pledge'}>
            {pledge.error && <ErrorBox error={pledge.error} />}
            {!p && !pledge.error && <Loading what="Loading the pledge" />}
            {p && (
              <>
                <p>
                  <Link to={`/pledges/${encodeURIComponent(p.id)}`}>Pledge {p.id}</Link> from {p.donor}
                </p>
                <PledgeFacts pledge={p} />
                <ItemsTable pledge={p} systems={systems} />
                <h3>Findings</h3>
                <Findings review={p.review} systems={systems} />
                {t.kind !== 'compatibility_review' && (
                  <>
                    <h3>Review decision</h3>
                    <ReviewDecision review={p.review} />
                    <h3>Training plan</h3>
                    <TrainingGantt plan={p.trainingPlan} items={p.items} systems={systems} />
                  </>
                )}
                {t.kind === 'command_approval' && (
                  <>
                    <h3>Approval chain so far</h3>
                    <ApprovalChain approval={p.approval} />
                  </>
                )}
              </>
            )}
          </Section>
        </div>
        <aside className="detail-side">
          <Section id="task" title="Task">
            <dl className="facts one-col">
              <div>
                <dt>Kind</dt>
                <dd>{kindLabel[t.kind]}</dd>
              </div>
              <div>
                <dt>State</dt>
                <dd data-testid="task-state">{t.state}</dd>
              </div>
              <div>
                <dt>Priority</dt>
                <dd>
                  <span className={`badge priority-${t.priority}`}>{t.priority}</span>
                </dd>
              </div>
              <div>
                <dt>Due</dt>
                <dd>
                  {formatDateTime(t.dueAt)} ({relativeTime(t.dueAt)}){t.overdue && <span className="badge tone-bad badge-small">Overdue</span>}
                </dd>
              </div>
              <div>
                <dt>Who may decide</dt>
                <dd>{t.candidateRoles.map(roleText).join(', ')}</dd>
              </div>
              <div>
                <dt>Assignee</dt>
                <dd data-testid="task-assignee">
                  {t.assignee ?? 'unclaimed'}
                  {t.delegatedBy && <> (delegated by {t.delegatedBy})</>}
                </dd>
              </div>
            </dl>
            <TaskActions task={t} onChanged={setCurrent} />
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
              <DecisionForm
                task={t}
                onDone={(res) => {
                  setResult(res);
                  setCurrent(res.task);
                  pledge.reload();
                }}
              />
            )
          ) : (
            <Section id="decide" title="Decision">
              {result && (
                <div className="alert alert-success" role="status" data-testid="decision-result" data-status={result.pledge.status}>
                  Your decision was recorded. The pledge is now <strong>{statusLabel[result.pledge.status] ?? result.pledge.status}</strong>.
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
                <Link to={`/pledges/${encodeURIComponent(t.pledgeId)}`}>Open the pledge</Link> · <Link to="/inbox">Back to the inbox</Link>
              </p>
            </Section>
          )}
          <Comments task={t} onChanged={setCurrent} />
        </aside>
      </div>
    </div>
  );
}

function DecisionForm({ task, onDone }: { task: Task; onDone: (res: TaskActionResult) => void }) {
  const { user } = useAuth();
  const decisions = decisionsByKind[task.kind];
  const signed = task.kind === 'command_approval';
  const [decision, setDecision] = useState('');
  const [comment, setComment] = useState('');
  const [conditions, setConditions] = useState<string[]>([]);
  const [newCondition, setNewCondition] = useState('');
  const [excludedSites, setExcludedSites] = useState<string[]>([]);
  const [notBefore, setNotBefore] = useState('');
  const sites = useSites();
  const [tried, setTried] = useState(false);
  const [step, setStep] = useState<string>();
  const [error, setError] = useState<string>();
  const [payload, setPayload] = useState<string>();
  const withConditions = decision.endsWith('_with_conditions');
  const blockedByOther = !!task.assignee && task.assignee !== user?.username;

  const body = useMemo(
    () => ({
      decision,
      comment: comment.trim() || undefined,
      conditions: withConditions ? conditions : undefined,
      // A replan may exclude sites or start later; the scheduler takes these as constraints.
      constraints:
        decision === 'replan' && (excludedSites.length || notBefore)
          ? { excludedSiteIds: excludedSites.length ? excludedSites : undefined, notBefore: notBefore || undefined }
          : undefined,
    }),
    [decision, comment, conditions, withConditions, excludedSites, notBefore],
  );
  // The engine's own rules for a decision (needs a comment, needs conditions…), checked before sending.
  const problem = useMemo(() => {
    if (!decision) return 'Choose a decision.';
    const parsed = DecisionInput.safeParse(body);
    if (!parsed.success) return parsed.error.issues[0]?.message;
    try {
      checkDecision({ ...task, kind: task.kind } as unknown as TaskSnapshot, parsed.data);
      return undefined;
    } catch (err) {
      return err instanceof TaskRuleError ? err.message : messageOf(err);
    }
  }, [body, decision, task]);
  const needsComment = ['reject', 'request_changes', 'return', 'replan'].includes(decision);

  const addCondition = () => {
    const c = newCondition.trim();
    if (c && !conditions.includes(c)) setConditions([...conditions, c]);
    setNewCondition('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setError(undefined);
    if (problem || !user) return;
    try {
      let extra = {};
      if (signed) {
        const s = await signDecision(user.username, task.id, body, setStep);
        setPayload(s.payload);
        extra = { signature: s.signature, keyId: s.keyId };
      }
      setStep('Sending your decision…');
      const res = await api.post<TaskActionResult>(`/tasks/${encodeURIComponent(task.id)}/complete`, { ...body, ...extra });
      onDone(res);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? `${err.message} — someone else decided it first.` : messageOf(err));
    } finally {
      setStep(undefined);
    }
  };

  return (
    <Section id="decide" title="Decide">
      <form onSubmit={(e) => void submit(e)} data-testid="decision-form" noValidate>
        {blockedByOther && <div className="alert alert-info">This task is claimed by {task.assignee}; only they can decide it.</div>}
        <fieldset className="decisions">
          <legend>Decision</legend>
          {decisions.map((d) => (
            <label key={d} className="radio">
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} /> {decisionText(d)}
            </label>
          ))}
        </fieldset>
        <Field id="decision-comment" label={`Comment${needsComment ? ' (required)' : ' (optional)'}`}>
          <textarea {...controlProps('decision-comment')} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        {withConditions && (
          <div className="conditions">
            <p className="label">Conditions</p>
            {conditions.length > 0 && (
              <ul data-testid="conditions">
                {conditions.map((c) => (
                  <li key={c}>
                    {c}{' '}
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => setConditions(conditions.filter((x) => x !== c))} aria-label={`Remove condition: ${c}`}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="inline-form">
              <label htmlFor="new-condition" className="sr-only">
                New condition
              </label>
              <input
                id="new-condition"
                placeholder="e.g. France provides a spare-parts pool for 2 years"
                value={newCondition}
                onChange={(e) => setNewCondition(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addCondition();
                  }
                }}
              />
              <button type="button" className="btn btn-small" onClick={addCondition} disabled={!newCondition.trim()}>
                Add condition
              </button>
            </div>
          </div>
        )}
        {decision === 'replan' && (
          <fieldset className="checks" data-testid="replan-constraints">
            <legend>Constraints for the new plan (optional)</legend>
            {(sites ?? []).map((site) => (
              <label key={site.id}>
                <input
                  type="checkbox"
                  checked={excludedSites.includes(site.id)}
                  onChange={(e) => setExcludedSites(e.target.checked ? [...excludedSites, site.id] : excludedSites.filter((x) => x !== site.id))}
                />{' '}
                Exclude {site.name} ({site.nation})
              </label>
            ))}
            <Field id="replan-not-before" label="No session starting before">
              <input id="replan-not-before" type="date" value={notBefore} onChange={(e) => setNotBefore(e.target.value)} />
            </Field>
          </fieldset>
        )}
        {signed && (
          <p className="muted small">
            🔏 Your decision is signed in this browser with your personal key (made on first use and never leaves this browser). The signature covers the decision
            package, your decision, comment and conditions.
          </p>
        )}
        {tried && problem && (
          <div className="alert alert-error" role="alert" data-testid="decision-problem">
            {problem}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert" data-testid="decision-error">
            {error}
          </div>
        )}
        {step && (
          <p role="status" aria-live="polite" className="muted">
            {step}
          </p>
        )}
        {payload && (
          <details>
            <summary>What was signed</summary>
            <pre className="payload">{payload}</pre>
          </details>
        )}
        <button type="submit" className="btn btn-primary" disabled={!!step || blockedByOther} data-testid="submit-decision">
          {signed ? 'Sign and submit decision' : 'Submit decision'}
        </button>
      </form>
    </Section>
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
      onChanged(await api.post<Task>(`/tasks/${encodeURIComponent(task.id)}/comments`, { text }));
      setText('');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const comments = task.comments ?? [];
  return (
    <Section id="comments" title={`Comments (${comments.length})`}>
      <ul className="comments">
        {comments.map((c, i) => (
          <li key={i}>
            <strong>{c.by}</strong> <span className="muted small">{formatDateTime(c.at)}</span>
            <p>{c.text}</p>
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
