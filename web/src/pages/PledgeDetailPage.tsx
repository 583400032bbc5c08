import { useEffect, useState, type FormEvent } from 'react';
import { can } from '@domain/permissions';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { engine, messageOf, ok } from '../api/client';
import { useSystems } from '../api/reference';
import type { Pledge } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { Empty, ErrorBox, Loading, PageTitle, Section, StatusBadge, When } from '../components/common';
import { Findings, ReviewDecision, ReviewSummary } from '../components/pledge/Findings';
import { ApprovalChain, AuditTrail, Timeline } from '../components/pledge/History';
import { ItemsTable, PledgeFacts } from '../components/pledge/PledgeOverview';
import { CohortProgress } from '../components/pledge/CohortProgress';
import { Deliveries } from '../components/pledge/Deliveries';
import { PhaseTimes } from '../components/pledge/PhaseTimes';
import { TrainingGantt } from '../components/pledge/TrainingGantt';
import { RequirementMatches } from '../components/requirements/RequirementMatches';
import { isAmendable, isFinal, kindLabel, statusLabel } from '../lib/labels';

/** Everything about one pledge on one page: status, items, review, training plan, approvals, history. */
export function PledgeDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // The message after a submission shows once: it is dropped from the history entry right away.
  const [flash] = useState((location.state as { flash?: string } | null)?.flash);
  useEffect(() => {
    if (location.state)
      void navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [location, navigate]);
  const systems = useSystems();
  const { user } = useAuth();
  // The delivery cell reads pledges but no tasks: it is not asked for what it may not see.
  const readsTasks = !!user && can(user, 'task:read');
  const pledge = useApi(
    (signal) => ok(engine.GET('/api/v1/pledges/{id}', { params: { path: { id } }, signal })),
    [id],
    {
      pollMs: 5_000,
    },
  );
  const tasks = useApi(
    readsTasks
      ? (signal) =>
          ok(engine.GET('/api/v1/tasks', { params: { query: { pledgeId: id, state: 'open' } }, signal }))
      : null,
    [id],
    { pollMs: 5_000 },
  );

  if (pledge.error && !pledge.data) {
    return (
      <>
        <PageTitle>Pledge</PageTitle>
        <ErrorBox error={pledge.error} />
        <p>
          <Link to="/pledges">Back to the pledges</Link>
        </p>
      </>
    );
  }
  if (!pledge.data) return <Loading what="Loading the pledge" />;
  const p = pledge.data;
  const openTasks = tasks.data?.items ?? [];
  const revision = `${p.updatedAt}|${p.timeline.length}`;

  return (
    <div data-testid="pledge-detail" data-pledge-id={p.id} data-status={p.status}>
      <PageTitle actions={<PledgeActions pledge={p} onChanged={pledge.reload} />}>{p.title}</PageTitle>
      <p className="subtitle">
        Pledge <span className="mono">{p.id}</span> · submitted <When iso={p.createdAt} /> by {p.submittedBy}
      </p>
      {flash && (
        <div className="alert alert-success" role="status">
          {flash}
        </div>
      )}
      <div className="decision-grid">
        <Section id="summary" title="Where it stands">
          <p data-testid="pledge-standing">
            <StatusBadge status={p.status} /> {standing(p.status, p.stage)}
          </p>
          <ReviewSummary review={p.review} />
        </Section>
        {readsTasks && (
          <Section id="open-tasks" title="Open tasks">
            {openTasks.length === 0 ? (
              <Empty>No open task you can see.</Empty>
            ) : (
              <ul className="plain-list">
                {openTasks.map((t) => (
                  <li key={t.id}>
                    <Link
                      to={`/tasks/${encodeURIComponent(t.id)}`}
                      data-testid="open-task-link"
                      data-kind={t.kind}
                    >
                      {kindLabel[t.kind]}
                    </Link>
                    <div className="muted small">
                      <When iso={t.dueAt} prefix="due " /> ·{' '}
                      {t.assignee ? `claimed by ${t.assignee}` : 'unclaimed'}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        )}
      </div>
      {/* Near the top for the trainer: recording the sites' reports is why they open the page in training. */}
      <CohortProgress pledge={p} systems={systems} onRecorded={pledge.reload} />
      {/* Readiness and the lots follow: recording milestones is why the delivery cell opens the page. */}
      <Deliveries pledge={p} systems={systems} revision={revision} onChanged={pledge.reload} />
      <Section id="overview" title="The pledge">
        <PledgeFacts pledge={p} />
        <ItemsTable pledge={p} systems={systems} />
      </Section>
      <Section id="review" title="Compatibility review">
        <Findings review={p.review} systems={systems} summary={false} />
        <h3>Decision</h3>
        <ReviewDecision review={p.review} />
      </Section>
      <RequirementMatches pledgeId={p.id} systems={systems} />
      <Section
        id="training"
        title="Training plan"
        actions={
          user && can(user, 'training:what-if') && !isFinal(p.status) ? (
            <Link to={`/training/what-if?pledge=${encodeURIComponent(p.id)}`}>What if approved now</Link>
          ) : undefined
        }
      >
        <TrainingGantt plan={p.trainingPlan} items={p.items} systems={systems} />
      </Section>
      <Section id="approval" title="Command approval">
        <ApprovalChain approval={p.approval} />
      </Section>
      <PhaseTimes pledgeId={p.id} revision={revision} />
      <Section id="timeline" title="Timeline">
        <Timeline entries={p.timeline} approval={p.approval} />
      </Section>
      <Section id="audit" title="Audit trail">
        <AuditTrail pledgeId={p.id} version={revision} />
      </Section>
    </div>
  );
}

/** What the status (and within it the stage) means for whoever reads the page. */
function standing(status: Pledge['status'], stage: string): string {
  if (status === 'IN_TRAINING' && stage === 'awaiting_delivery')
    return 'Crews trained; waiting for the last lots of equipment to be received.';
  const what: Partial<Record<Pledge['status'], string>> = {
    SUBMITTED: 'The engine is checking it against the catalogue.',
    UNDER_REVIEW: 'A capability-coalition reviewer is deciding whether it fits.',
    CHANGES_REQUESTED: 'The reviewers asked the donor for changes.',
    TRAINING_PLANNING: 'Accepted; the training of its crews is being planned.',
    AWAITING_APPROVAL: 'Waiting for the command’s signed approval.',
    RETURNED: 'Returned to the donor for revision.',
    APPROVED: 'Approved; training seats are being reserved and the equipment is being delivered.',
    IN_TRAINING: 'Approved; its crews are in training and the equipment is being delivered.',
    READY: 'Crews trained and equipment received: ready.',
  };
  return what[status] ?? `${statusLabel[status]}.`;
}

/** Amend (when changes were requested or it was returned) and withdraw (while not closed). */
function PledgeActions({ pledge, onChanged }: { pledge: Pledge; onChanged: () => void }) {
  const { user, hasRole } = useAuth();
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const owner =
    hasRole('staff_officer', 'admin') || (hasRole('donor_liaison') && user?.nation === pledge.donor);
  if (!owner) return null;
  const amendable = isAmendable(pledge.status);
  const open = !isFinal(pledge.status);

  const withdraw = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await ok(
        engine.POST('/api/v1/pledges/{id}/withdraw', {
          params: { path: { id: pledge.id } },
          body: { reason },
        }),
      );
      setWithdrawing(false);
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <>
      {amendable && (
        <Link className="btn btn-primary" to={`/pledges/${encodeURIComponent(pledge.id)}/amend`}>
          Amend pledge
        </Link>
      )}
      {open &&
        (withdrawing ? (
          <form className="inline-form" onSubmit={(e) => void withdraw(e)}>
            <label htmlFor="withdraw-reason">Reason for withdrawing</label>
            <input
              id="withdraw-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              autoFocus
            />
            <button type="submit" className="btn btn-danger" disabled={!reason.trim()}>
              Withdraw
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setWithdrawing(false)}>
              Cancel
            </button>
            {error && (
              <span className="field-error" role="alert">
                {error}
              </span>
            )}
          </form>
        ) : (
          <button type="button" className="btn btn-ghost" onClick={() => setWithdrawing(true)}>
            Withdraw…
          </button>
        ))}
    </>
  );
}
