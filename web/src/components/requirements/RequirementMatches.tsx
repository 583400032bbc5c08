import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { can } from '@domain/permissions';
import { engine, messageOf, ok } from '../../api/client';
import { systemName } from '../../api/reference';
import { useApi } from '../../api/use-api';
import type { System } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { capabilityText, priorityText } from '../../lib/requirements';
import { ErrorBox, Loading, Section } from '../common';

/**
 * Which of Ukraine's requirements each system of the pledge serves, as matched now; staff may choose another (or
 * none), with a reason that goes on the pledge's audit trail.
 */
export function RequirementMatches({
  pledgeId,
  systems,
}: {
  pledgeId: string;
  systems: System[] | undefined;
}) {
  const { user, hasRole } = useAuth();
  const staff = hasRole('staff_officer');
  // The delivery cell sees which requirement a pledge serves, but not the requirements themselves.
  const readsRequirements = !!user && can(user, 'requirement:read');
  const matches = useApi(
    (signal) =>
      ok(
        engine.GET('/api/v1/pledges/{id}/requirement-matches', {
          params: { path: { id: pledgeId } },
          signal,
        }),
      ),
    [pledgeId],
  );
  const requirements = useApi(
    readsRequirements
      ? (signal) => ok(engine.GET('/api/v1/requirements', { params: { query: { limit: 200 } }, signal }))
      : null,
    [],
  );
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const byId = new Map((requirements.data?.items ?? []).map((r) => [r.id, r]));
  const nameOf = (id: string | null) => {
    const r = id ? byId.get(id) : undefined;
    return r ? `${priorityText(r.priority)} · ${r.quantity} × ${capabilityText(r.capability, systems)}` : id;
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!matches.data) return;
    setSaving(true);
    setFailure(undefined);
    try {
      const chosen = matches.data.items.map((m) => {
        const value = choice[m.systemId] ?? m.requirementId ?? '';
        return { systemId: m.systemId, requirementId: value === '' ? null : value };
      });
      await ok(
        engine.PUT('/api/v1/pledges/{id}/requirement-matches', {
          params: { path: { id: pledgeId } },
          body: { matches: chosen, reason },
        }),
      );
      setChoice({});
      setReason('');
      matches.reload();
    } catch (err) {
      setFailure(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section id="requirements-served" title="Ukraine's requirements served">
      {matches.error && <ErrorBox error={matches.error} />}
      {!matches.data && !matches.error && <Loading what="Matching the pledge to requirements" />}
      {matches.data && (
        <form onSubmit={(e) => void save(e)} data-testid="requirement-matches">
          <ul className="plain-list">
            {matches.data.items.map((m) => (
              <li key={m.systemId} data-testid="requirement-match" data-system-id={m.systemId}>
                <strong>
                  {m.quantity} × {systemName(systems, m.systemId)}
                </strong>{' '}
                {m.requirementId && !readsRequirements ? (
                  <span className="mono">{m.requirementId}</span>
                ) : m.requirementId ? (
                  <Link to={`/requirements/${encodeURIComponent(m.requirementId)}`}>
                    {nameOf(m.requirementId)}
                  </Link>
                ) : (
                  <span className="muted">serves no open requirement</span>
                )}{' '}
                <span className="muted small">
                  {m.overridden ? '(chosen by staff)' : '(matched automatically)'}
                </span>
                {staff && (
                  <div className="field">
                    <label htmlFor={`match-${m.systemId}`}>Serves</label>
                    <select
                      id={`match-${m.systemId}`}
                      value={choice[m.systemId] ?? m.requirementId ?? ''}
                      onChange={(e) => setChoice((c) => ({ ...c, [m.systemId]: e.target.value }))}
                    >
                      <option value="">No requirement</option>
                      {(requirements.data?.items ?? []).map((r) => (
                        <option key={r.id} value={r.id}>
                          {nameOf(r.id)}
                          {r.status === 'closed' ? ' (closed)' : ''}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
              </li>
            ))}
          </ul>
          {staff && (
            <div className="inline-form">
              <div className="field grow">
                <label htmlFor="match-reason">Why the match changes</label>
                <input id="match-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              </div>
              <button
                type="submit"
                className="btn"
                disabled={saving || !reason.trim()}
                data-testid="save-matches"
              >
                {saving ? 'Saving…' : 'Save the matches'}
              </button>
            </div>
          )}
          {failure && <ErrorBox error={failure} />}
        </form>
      )}
    </Section>
  );
}
