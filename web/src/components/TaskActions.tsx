import { useEffect, useState, type FormEvent } from 'react';
import { engine, messageOf, ok } from '../api/client';
import type { Schemas } from '../api/client';
import type { Task } from '../api/types';
import { useAuth } from '../auth/auth';
import { roleText } from '../lib/labels';

type Delegate = Schemas['EligibleDelegate'];

/** Why one would claim a task that can be decided without claiming it. */
export const CLAIM_HELP =
  'Claiming tells the others you are on it: only you can then decide or release it. You can also decide without claiming.';

/**
 * Claim, release and delegate for one task, as the caller may. `menu` folds them into one "Actions" menu (the
 * inbox's rows); delegation picks from the users the engine says may decide the task.
 */
export function TaskActions({
  task,
  onChanged,
  menu = false,
}: {
  task: Task;
  onChanged: (t: Task) => void;
  menu?: boolean;
}) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [delegating, setDelegating] = useState(false);
  if (task.state !== 'open' || !user || task.kind === 'revision') return null;
  const mine = task.assignee === user.username;
  const candidate = user.roles.some((r) => task.candidateRoles.includes(r));
  const mayAct = mine || (!task.assignee && candidate);
  if (!mayAct) return null;

  const act = async (action: 'claim' | 'release' | { delegateTo: string }) => {
    setBusy(true);
    setError(undefined);
    const path = { id: task.id };
    try {
      const res = await ok(
        action === 'claim'
          ? engine.POST('/api/v1/tasks/{id}/claim', { params: { path } })
          : action === 'release'
            ? engine.POST('/api/v1/tasks/{id}/release', { params: { path } })
            : engine.POST('/api/v1/tasks/{id}/delegate', {
                params: { path },
                body: { to: action.delegateTo },
              }),
      );
      setDelegating(false);
      onChanged(res.task);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const label = task.pledgeTitle || task.title;
  const buttons = (
    <div className="task-actions">
      {!task.assignee && (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => void act('claim')}
          aria-label={`Claim: ${label}`}
          data-testid="claim"
        >
          Claim
        </button>
      )}
      {mine && (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => void act('release')}
          aria-label={`Release: ${label}`}
          data-testid="release"
        >
          Release
        </button>
      )}
      {delegating ? (
        <DelegatePicker
          task={task}
          busy={busy}
          onPick={(to) => void act({ delegateTo: to })}
          onCancel={() => setDelegating(false)}
        />
      ) : (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setDelegating(true)}
          aria-label={`Delegate: ${label}`}
          data-testid="delegate"
        >
          Delegate…
        </button>
      )}
      {!menu && <p className="muted small claim-help">{CLAIM_HELP}</p>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
  if (!menu) return buttons;
  return (
    <details className="row-menu" data-testid="row-actions">
      <summary aria-label={`Actions: ${label}`}>Actions</summary>
      <div className="row-menu-body">{buttons}</div>
    </details>
  );
}

/** A choice among the users who may decide the task (GET /tasks/:id/delegates). */
function DelegatePicker({
  task,
  busy,
  onPick,
  onCancel,
}: {
  task: Task;
  busy: boolean;
  onPick: (username: string) => void;
  onCancel: () => void;
}) {
  const [people, setPeople] = useState<Delegate[]>();
  const [error, setError] = useState<string>();
  const [to, setTo] = useState('');
  useEffect(() => {
    let live = true;
    ok(engine.GET('/api/v1/tasks/{id}/delegates', { params: { path: { id: task.id } } }))
      .then((r) => live && setPeople(r.items))
      .catch((err: unknown) => live && setError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [task.id]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (to) onPick(to);
  };
  const id = `delegate-${task.id}`;
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={id}>Delegate to</label>
      <select id={id} value={to} onChange={(e) => setTo(e.target.value)} disabled={!people}>
        <option value="">
          {people ? (people.length ? 'Choose a person…' : 'Nobody else may decide it') : 'Loading…'}
        </option>
        {people?.map((p) => (
          <option key={p.username} value={p.username}>
            {p.displayName ?? p.username} ({p.roles.map(roleText).join(', ')})
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn-small" disabled={busy || !to}>
        Delegate
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>
        Cancel
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
