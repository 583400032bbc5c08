import { useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Approval, AuditEntry, TimelineEntry } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth/auth';
import { formatDateTime, humanize } from '../../lib/format';
import { decisionText, roleText } from '../../lib/labels';
import { Empty, ErrorBox, Loading } from '../common';

/** Each step of the command-approval chain: who decided what, when, and whether the signature verifies. */
export function ApprovalChain({ approval }: { approval: Approval | null | undefined }) {
  if (!approval?.chain?.length) return <Empty>No command approval on record yet.</Empty>;
  return (
    <>
      {approval.packageHash && (
        <p className="muted">
          Decision package <span className="mono">{approval.packageHash.slice(0, 16)}…</span>
        </p>
      )}
      <ol className="chain" data-testid="approval-chain">
        {approval.chain.map((step, i) => (
          <li key={`${step.role}-${i}`} className={`chain-step state-${step.state}`} data-testid="approval-step" data-role={step.role} data-signature-valid={String(step.signatureValid ?? '')}>
            <div className="chain-role">
              <strong>{roleText(step.role)}</strong>
              <span className="muted"> · {humanize(step.state)}</span>
            </div>
            {step.decision ? (
              <div>
                {decisionText(step.decision)} by {step.by ?? '?'}
                {step.onBehalfOf && <> on behalf of {step.onBehalfOf}</>}
                {step.at && <span className="muted"> · {formatDateTime(step.at)}</span>}
                {step.comment && <blockquote>{step.comment}</blockquote>}
                {step.conditions && step.conditions.length > 0 && (
                  <ul>
                    {step.conditions.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                )}
              </div>
            ) : (
              <div className="muted">Waiting for a decision</div>
            )}
            {step.decision && (
              <div className="signature">
                {step.signatureValid === true && <span className="badge tone-good">✓ Signature verified</span>}
                {step.signatureValid === false && <span className="badge tone-bad">✗ Signature does not verify</span>}
                {(step.signatureValid === null || step.signatureValid === undefined) && <span className="badge tone-neutral">Not signed</span>}
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/** What happened to the pledge, in order. */
export function Timeline({ entries }: { entries: TimelineEntry[] | undefined }) {
  if (!entries?.length) return <Empty>Nothing has happened yet.</Empty>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e, i) => (
        <li key={`${e.at}-${i}`} data-type={e.type}>
          <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          <div>
            <strong>{humanize(e.type)}</strong> <span className="muted">by {e.actor}</span>
            <DetailText detail={e.detail} />
          </div>
        </li>
      ))}
    </ol>
  );
}

/** A short reading of an event's detail: its simple fields, not nested objects. */
function DetailText({ detail }: { detail: unknown }) {
  if (!detail || typeof detail !== 'object') return null;
  const parts = Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => (['string', 'number', 'boolean'].includes(typeof v) && v !== '') || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')))
    .map(([k, v]) => `${humanize(k).toLowerCase()}: ${Array.isArray(v) ? v.join('; ') : String(v)}`);
  if (!parts.length) return null;
  return <div className="muted small">{parts.join(' · ')}</div>;
}

/** The pledge's entries in the hash-chained audit log, and (auditors, admins) a check of the whole chain. */
export function AuditTrail({ pledgeId }: { pledgeId: string }) {
  const { hasRole } = useAuth();
  const audit = useApi<{ items: AuditEntry[] }>(`/pledges/${encodeURIComponent(pledgeId)}/audit`);
  const [verify, setVerify] = useState<string>();
  const check = async () => {
    setVerify('Checking…');
    try {
      const r = await api.get<{ ok: boolean; checked: number; firstBrokenSeq?: number }>('/audit/verify');
      setVerify(r.ok ? `The audit log verifies: ${r.checked} entries checked.` : `The audit log is broken at entry ${r.firstBrokenSeq} (${r.checked} checked).`);
    } catch (err) {
      setVerify(messageOf(err));
    }
  };
  if (audit.error) return <ErrorBox error={audit.error} feature="The audit trail" />;
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
        <Empty>No audit entries.</Empty>
      ) : (
        <div className="table-wrap">
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
                  <td>{formatDateTime(e.at)}</td>
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
