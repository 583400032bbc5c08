import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, messageOf } from '../api/client';
import type { Notification, Task } from '../api/types';
import { useApi } from '../api/use-api';
import { TaskActions } from '../components/TaskActions';
import { Empty, ErrorBox, Loading, PageTitle, Section } from '../components/common';
import { useLayoutContext } from '../components/Layout';
import { formatDateTime, relativeTime } from '../lib/format';
import { kindLabel, priorityRank } from '../lib/labels';
import { TaskKinds } from '@domain/tasks';

type SortKey = 'due' | 'priority' | 'created';

const sorters: Record<SortKey, (a: Task, b: Task) => number> = {
  due: (a, b) => a.dueAt.localeCompare(b.dueAt),
  priority: (a, b) => (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9) || a.dueAt.localeCompare(b.dueAt),
  created: (a, b) => b.createdAt.localeCompare(a.createdAt),
};

const isOverdue = (t: Task) => t.overdue ?? (t.state === 'open' && t.dueAt < new Date().toISOString());

/** The tasks the caller can act on, with filters and sorting, and the caller's unread notifications. */
export function InboxPage() {
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'open';
  const kind = params.get('kind') ?? '';
  const mine = params.get('mine') === 'true';
  const overdueOnly = params.get('overdue') === 'true';
  const sort = (params.get('sort') as SortKey) || 'due';
  const [text, setText] = useState('');
  const tasks = useApi<{ items: Task[] }>('/tasks', { state, kind, mine: mine || undefined, limit: 200 }, { pollMs: 10_000 });
  const [changed, setChanged] = useState<Record<string, Task>>({});

  const set = (key: string, value: string | boolean) => {
    const next = new URLSearchParams(params);
    if (value === '' || value === false) next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: true });
  };

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (tasks.data?.items ?? [])
      .map((t) => changed[t.id] ?? t)
      .filter((t) => !overdueOnly || isOverdue(t))
      .filter((t) => !needle || `${t.title ?? ''} ${t.pledgeId} ${t.id}`.toLowerCase().includes(needle))
      .sort(sorters[sort] ?? sorters.due);
  }, [tasks.data, changed, overdueOnly, text, sort]);

  return (
    <>
      <PageTitle>Inbox</PageTitle>
      <div className="inbox-grid">
        <Section id="tasks" title="Tasks">
          <form className="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
            <div className="field">
              <label htmlFor="f-state">State</label>
              <select id="f-state" value={state} onChange={(e) => set('state', e.target.value === 'open' ? '' : e.target.value)}>
                <option value="open">Open</option>
                <option value="completed">Completed</option>
                <option value="cancelled">Cancelled</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-kind">Kind</label>
              <select id="f-kind" value={kind} onChange={(e) => set('kind', e.target.value)}>
                <option value="">All kinds</option>
                {TaskKinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel[k]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-sort">Sort by</label>
              <select id="f-sort" value={sort} onChange={(e) => set('sort', e.target.value === 'due' ? '' : e.target.value)}>
                <option value="due">Due date (soonest first)</option>
                <option value="priority">Priority (most urgent first)</option>
                <option value="created">Newest first</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-text">Search</label>
              <input id="f-text" type="search" placeholder="Pledge or task" value={text} onChange={(e) => setText(e.target.value)} />
            </div>
            <div className="field checks">
              <label>
                <input type="checkbox" checked={mine} onChange={(e) => set('mine', e.target.checked)} /> Claimed by me
              </label>
              <label>
                <input type="checkbox" checked={overdueOnly} onChange={(e) => set('overdue', e.target.checked)} /> Overdue only
              </label>
            </div>
          </form>
          {tasks.error && <ErrorBox error={tasks.error} />}
          {!tasks.data && !tasks.error && <Loading what="Loading tasks" />}
          {tasks.data && rows.length === 0 && <Empty>No tasks match. New tasks appear here as pledges reach you.</Empty>}
          {rows.length > 0 && (
            <div className="table-wrap">
              <table className="table" data-testid="task-table">
                <caption className="sr-only">Tasks, sorted by {sort}</caption>
                <thead>
                  <tr>
                    <th scope="col">Task</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Pledge</th>
                    <th scope="col">Priority</th>
                    <th scope="col">Due</th>
                    <th scope="col">Assignee</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((t) => (
                    <tr key={t.id} data-testid="task-row" data-task-id={t.id} data-kind={t.kind} data-pledge-id={t.pledgeId} className={isOverdue(t) ? 'row-overdue' : undefined}>
                      <td>
                        <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{t.title ?? kindLabel[t.kind]}</Link>
                        {t.escalated && <span className="badge tone-bad badge-small">Escalated</span>}
                      </td>
                      <td>{kindLabel[t.kind] ?? t.kind}</td>
                      <td>
                        <Link to={`/pledges/${encodeURIComponent(t.pledgeId)}`} className="mono">
                          {t.pledgeId}
                        </Link>
                      </td>
                      <td>
                        <span className={`badge priority-${t.priority}`}>{t.priority}</span>
                      </td>
                      <td>
                        <time dateTime={t.dueAt} title={formatDateTime(t.dueAt)}>
                          {relativeTime(t.dueAt)}
                        </time>
                        {isOverdue(t) && (
                          <span className="badge tone-bad badge-small" data-testid="overdue">
                            Overdue
                          </span>
                        )}
                      </td>
                      <td>{t.assignee ?? <span className="muted">unclaimed</span>}</td>
                      <td>
                        <TaskActions task={t} onChanged={(nt) => setChanged((c) => ({ ...c, [nt.id]: nt }))} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
        <Notifications />
      </div>
    </>
  );
}

function Notifications() {
  const { reloadNotifications } = useLayoutContext();
  const list = useApi<{ items: Notification[] }>('/notifications', { unread: true }, { pollMs: 15_000 });
  const [error, setError] = useState<string>();
  const markRead = async (n: Notification) => {
    try {
      await api.post(`/notifications/${encodeURIComponent(n.id)}/read`);
      list.reload();
      reloadNotifications();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const items = list.data?.items ?? [];
  return (
    <Section id="notifications" title={`Unread notifications${items.length ? ` (${items.length})` : ''}`}>
      {list.error && <ErrorBox error={list.error} feature="Notifications" />}
      {error && <ErrorBox error={error} />}
      {list.data && items.length === 0 && <Empty>You are up to date.</Empty>}
      <ul className="notifications">
        {items.map((n) => (
          <li key={n.id} data-testid="notification">
            <div>
              <strong>{n.title}</strong>
              {n.body && <p>{n.body}</p>}
              <small className="muted">
                {formatDateTime(n.createdAt)}
                {n.taskId && (
                  <>
                    {' · '}
                    <Link to={`/tasks/${encodeURIComponent(n.taskId)}`}>open task</Link>
                  </>
                )}
                {n.pledgeId && (
                  <>
                    {' · '}
                    <Link to={`/pledges/${encodeURIComponent(n.pledgeId)}`}>pledge</Link>
                  </>
                )}
              </small>
            </div>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => void markRead(n)} aria-label={`Mark "${n.title}" read`}>
              Mark read
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}
