import { useState } from 'react';
import { engine, messageOf, ok } from '../../api/client';
import type { Approval, ApprovalStep, TimelineEntry } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth/auth';
import { formatDate, humanize, plural } from '../../lib/format';
import { decisionText, lotStateLabel, roleText } from '../../lib/labels';
import { Empty, ErrorBox, Loading, When } from '../common';

const shortKey = (keyId: string | null | undefined) => (keyId ? `${keyId.slice(0, 10)}…` : '—');

/** "✓ signed by cos, key Q2x…": a signature in one line, its details on demand. */
function SignatureLine({ step }: { step: Pick<ApprovalStep, 'by' | 'keyId' | 'signatureValid'> }) {
  if (step.signatureValid === null || step.signatureValid === undefined)
    return <span className="badge tone-neutral">Not signed</span>;
  return (
    <span className={`badge ${step.signatureValid ? 'tone-good' : 'tone-bad'}`} data-testid="signature-line">
      {step.signatureValid ? '✓ signed' : '✗ signature does not verify'} by {step.by ?? '?'}
      {step.keyId && <>, key {shortKey(step.keyId)}</>}
    </span>
  );
}

/** Each step of the command-approval chain: who decided what, when, and whether the signature verifies. */
export function ApprovalChain({ approval }: { approval: Approval | null | undefined }) {
  if (!approval?.chain?.length) return <Empty>No command approval on record yet.</Empty>;
  return (
    <ol className="chain" data-testid="approval-chain">
      {approval.chain.map((step, i) => (
        <li
          key={`${step.role}-${i}`}
          className={`chain-step state-${step.state}`}
          data-testid="approval-step"
          data-role={step.role}
          data-signature-valid={String(step.signatureValid ?? '')}
        >
          <div className="chain-role">
            <strong>
              {i + 1}. {roleText(step.role)}
            </strong>
            <span className="muted"> · {humanize(step.state)}</span>
            <div className="muted small">{step.reason}</div>
          </div>
          {step.decision ? (
            <div>
              {decisionText(step.decision)} by {step.by ?? '?'}
              {step.onBehalfOf && <> on behalf of {step.onBehalfOf}</>}
              {step.at && (
                <span className="muted">
                  {' · '}
                  <When iso={step.at} />
                </span>
              )}
              {step.comment && <blockquote className="wrap">{step.comment}</blockquote>}
              {step.conditions.length > 0 && (
                <ul>
                  {step.conditions.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              )}
              <div className="signature">
                <SignatureLine step={step} />
              </div>
              {step.payload && (
                <details className="raw">
                  <summary>What was signed</summary>
                  <pre className="payload">{step.payload}</pre>
                  <p className="small mono wrap">key {step.keyId}</p>
                </details>
              )}
            </div>
          ) : (
            <div className="muted">
              {step.state === 'open' ? 'Waiting for a decision' : 'Not reached yet'}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What an event means, in one sentence. */
export function eventSentence(e: TimelineEntry): string {
  const d = e.detail;
  switch (e.type) {
    case 'pledge.submitted':
      return 'Pledge submitted';
    case 'intake.accepted':
      return `Accepted at intake and routed to ${list(d.coalitions).join(', ') || 'its coalitions'}`;
    case 'intake.rejected':
      return `Rejected at intake${list(d.problems).length ? `: ${list(d.problems).join('; ')}` : ''}`;
    case 'review.findings':
      return num(d.score) !== undefined
        ? `Compatibility review: score ${num(d.score)}/100, engine recommends ${decisionText(str(d.recommendation))}`
        : 'Compatibility review ran';
    case 'review.accepted':
      return `Review decision: ${decisionText(str(d.decision) ?? 'accept')}`;
    case 'review.changes_requested':
      return 'Review decision: changes requested from the donor';
    case 'review.rejected':
      return 'Review decision: rejected';
    case 'pledge.amended':
      return `Amended by the donor (revision ${num(d.revision) ?? '?'})`;
    case 'training.planned': {
      const ready =
        num(d.traineesNeeded) !== undefined
          ? `${num(d.traineesReadyByDeadline) ?? 0} of ${num(d.traineesNeeded)} trainees ready by delivery, ${plural(num(d.cohorts) ?? 0, 'cohort')}`
          : null;
      // A plan the portfolio moved says for whom: the coordinator confirms it again.
      const movedFor = d.movedFor as { title?: string } | undefined;
      if (movedFor?.title)
        return `Training plan moved to make room for ${movedFor.title}${ready ? `: ${ready}` : ''}`;
      return ready ? `Training planned: ${ready}` : 'Training planned';
    }
    case 'training.replan_requested':
      return 'A new training plan was asked for';
    case 'training.confirmed':
      return 'Training plan confirmed';
    case 'approval.started':
      return `Command approval started${list(d.chain).length ? `: ${plural(list(d.chain).length, 'step')}` : ''}`;
    case 'approval.step_approved':
    case 'approval.approved':
    case 'approval.rejected':
    case 'approval.returned':
      return `${str(d.role) ? roleText(str(d.role)!) : 'Approver'}: ${decisionText(str(d.decision))}${
        e.type === 'approval.approved' ? ' (last step: approved)' : ''
      }`;
    case 'training.seats_reserved':
      return `${plural(num(d.seats) ?? 0, 'training seat')} reserved`;
    case 'training.seats_unavailable':
      return 'Seats went to another plan; the training is planned again';
    case 'training.failed':
      return `No training plan could be reserved after ${num(d.attempts) ?? '?'} attempts`;
    case 'training.in_training':
      return 'Training under way';
    case 'training.cohort_started':
      return 'A cohort started training';
    case 'training.cohort_completed':
      return num(d.failed)
        ? `A cohort completed training: ${num(d.passed) ?? '?'} passed, ${num(d.failed)} failed`
        : 'A cohort completed training';
    case 'training.cohort_failed':
      return str(d.reason) ? `A cohort was cancelled: ${str(d.reason)}` : 'A cohort failed';
    case 'training.cohort_replanned':
    case 'training.replan_failed': {
      // A completion with some trainees failed names how many; a whole cohort's failure does not.
      const failed = num(d.failedTrainees);
      const who = failed === undefined ? 'A failed cohort’s trainees' : plural(failed, 'failed trainee');
      return e.type === 'training.cohort_replanned'
        ? `${who} ${failed === 1 ? 'was' : 'were'} planned into later sessions`
        : `${who} could not be planned again`;
    }
    case 'training.ready':
      return 'Every cohort completed: crews are ready';
    case 'delivery.planned':
      return `Deliveries planned: ${plural(list(d.lots).length, 'lot')}`;
    case 'delivery.lot_changed':
      return `${str(d.change) === 'split' ? 'A lot was split' : 'A lot was re-dated'}: ${list(d.lots).join('; ')}`;
    case 'delivery.milestone': {
      const state = str(d.state) as keyof typeof lotStateLabel | undefined;
      const what =
        state && state in lotStateLabel ? lotStateLabel[state].toLowerCase() : humanize(state ?? '?');
      return `Lot ${str(d.lotId) ?? '?'} ${what} on ${formatDate(str(d.on))}${str(d.location) ? ` at ${str(d.location)}` : ''}`;
    }
    case 'delivery.delayed':
      return str(d.kind) === 'handed_over_late'
        ? `Lot ${str(d.lotId) ?? '?'} handed over after its window ended on ${formatDate(str(d.dueOn))}`
        : `Lot ${str(d.lotId) ?? '?'} is late: not received by ${formatDate(str(d.dueOn))}`;
    case 'delivery.delay_escalated':
      return `Lot ${str(d.lotId) ?? '?'} still late (due ${formatDate(str(d.dueOn))}): escalated`;
    case 'pledge.withdrawn':
      return `Withdrawn${str(d.reason) ? `: ${str(d.reason)}` : ''}`;
    default:
      return humanize(e.type);
  }
}

/** What happened to the pledge, in order, for people: signatures in one line, the raw details on demand. */
export function Timeline({
  entries,
  approval,
}: {
  entries: TimelineEntry[] | undefined;
  approval?: Approval | null;
}) {
  if (!entries?.length) return <Empty>Nothing has happened yet.</Empty>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e, i) => {
        const comment = str(e.detail.comment);
        const conditions = list(e.detail.conditions);
        const signed = str(e.detail.signature) !== undefined || str(e.detail.keyId) !== undefined;
        const step = approval?.chain.find((s) => s.taskId && s.taskId === e.detail.taskId);
        return (
          <li key={`${e.at}-${i}`} data-type={e.type} data-testid="timeline-entry">
            <When iso={e.at} />
            <div className="timeline-body">
              <strong>{eventSentence(e)}</strong> <span className="muted">· {e.actor}</span>
              {comment && <blockquote className="wrap">{comment}</blockquote>}
              {conditions.length > 0 && <div className="small">Conditions: {conditions.join('; ')}</div>}
              {signed && (
                <div className="small">
                  <SignatureLine
                    step={{
                      by: e.actor,
                      keyId: str(e.detail.keyId) ?? null,
                      signatureValid: step?.signatureValid ?? true,
                    }}
                  />
                </div>
              )}
              {e.redacted && e.redacted.length > 0 && (
                <div className="muted small" data-testid="redacted">
                  Withheld from donor nations: {e.redacted.map((r) => humanize(r).toLowerCase()).join(', ')}
                </div>
              )}
              {Object.keys(e.detail).length > 0 && (
                <details className="raw">
                  <summary>Details</summary>
                  <pre className="payload">{JSON.stringify(e.detail, null, 2)}</pre>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The pledge's entries in the hash-chained audit log, and (auditors, admins) a check of the whole chain. `version`
 * changes whenever the pledge does, so the trail refreshes with the rest of the page.
 */
export function AuditTrail({ pledgeId, version }: { pledgeId: string; version: string }) {
  const { hasRole } = useAuth();
  const audit = useApi(
    (signal) => ok(engine.GET('/api/v1/pledges/{id}/audit', { params: { path: { id: pledgeId } }, signal })),
    [pledgeId, version],
  );
  const [verify, setVerify] = useState<string>();
  const check = async () => {
    setVerify('Checking…');
    try {
      const r = await ok(engine.GET('/api/v1/audit/verify'));
      setVerify(
        r.ok
          ? `The audit log verifies: ${r.checked} entries checked.`
          : `The audit log is broken at entry ${r.firstBrokenSeq} (${r.checked} checked).`,
      );
    } catch (err) {
      setVerify(messageOf(err));
    }
  };
  if (audit.error) return <ErrorBox error={audit.error} />;
  if (!audit.data) return <Loading what="Loading the audit trail" />;
  return (
    <>
      {hasRole('auditor', 'admin') && (
        <p>
          <button type="button" className="btn btn-small" onClick={() => void check()}>
            Verify the audit log
          </button>{' '}
          <span role="status">{verify}</span>
        </p>
      )}
      {audit.data.items.length === 0 ? (
        <Empty>No audit entries yet.</Empty>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit entries">
          <table className="table" data-testid="audit-trail">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>
                    <When iso={e.at} />
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td className="mono" title={`hash ${e.hash}\nprevious ${e.prevHash}`}>
                    {e.hash.slice(0, 12)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
