import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../api/client';
import type { Task, TaskActionResult } from '../api/types';
import { useAuth } from '../auth/auth';

/** Claim, release and delegate for one task, as the caller may. */
export function TaskActions({ task, onChanged }: { task: Task; onChanged: (t: Task) => void }) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [delegating, setDelegating] = useState(false);
  const [to, setTo] = useState('');
  if (task.state !== 'open' || !user || task.kind === 'revision') return null;
  const mine = task.assignee === user.username;
  const candidate = user.roles.some((r) => task.candidateRoles.includes(r));

  const act = async (action: 'claim' | 'release' | 'delegate', body?: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<TaskActionResult>(`/tasks/${encodeURIComponent(task.id)}/${action}`, body);
      setDelegating(false);
      setTo('');
      onChanged(res.task);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const delegate = (e: FormEvent) => {
    e.preventDefault();
    if (to.trim()) void act('delegate', { to: to.trim() });
  };

  const label = task.title ?? task.id;
  return (
    <div className="task-actions">
      {!task.assignee && candidate && (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('claim')} aria-label={`Claim ${label}`} data-testid="claim">
          Claim
        </button>
      )}
      {mine && (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('release')} aria-label={`Release ${label}`} data-testid="release">
          Release
        </button>
      )}
      {(mine || (!task.assignee && candidate)) &&
        (delegating ? (
          <form className="inline-form" onSubmit={delegate}>
            <label className="sr-only" htmlFor={`delegate-${task.id}`}>
              Delegate to (username)
            </label>
            <input id={`delegate-${task.id}`} placeholder="username, e.g. deputy" value={to} onChange={(e) => setTo(e.target.value)} autoFocus size={14} />
            <button type="submit" className="btn btn-small" disabled={busy || !to.trim()}>
              Delegate
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setDelegating(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setDelegating(true)} aria-label={`Delegate ${label}`} data-testid="delegate">
            Delegate…
          </button>
        ))}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
