import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { engine, ok } from '../api/client';
import type { Task } from '../api/types';
import { useApi } from '../api/use-api';
import { NotificationList } from '../components/Notifications';
import { CLAIM_HELP, TaskActions } from '../components/TaskActions';
import { Empty, ErrorBox, Loading, PageTitle, Section, When } from '../components/common';
import { useLayoutContext } from '../components/Layout';
import { formatEur } from '../lib/format';
import { kindLabel, priorityRank } from '../lib/labels';
import { TaskKinds, TaskStates } from '@domain/tasks';

type SortKey = 'due' | 'priority' | 'created';

const sorters: Record<SortKey, (a: Task, b: Task) => number> = {
  due: (a, b) => a.dueAt.localeCompare(b.dueAt),
  priority: (a, b) =>
    (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9) || a.dueAt.localeCompare(b.dueAt),
  created: (a, b) => b.createdAt.localeCompare(a.createdAt),
};

const isOverdue = (t: Task) => t.overdue ?? (t.state === 'open' && t.dueAt < new Date().toISOString());

/** The tasks the caller can act on, with filters and sorting, and the caller's unread notifications. */
export function InboxPage() {
  const [params, setParams] = useSearchParams();
  const state = TaskStates.find((s) => s === (params.get('state') ?? 'open')) ?? 'open';
  const kind = TaskKinds.find((k) => k === params.get('kind')) ?? '';
  const mine = params.get('mine') === 'true';
  const overdueOnly = params.get('overdue') === 'true';
  const sort = (params.get('sort') as SortKey) || 'due';
  const [text, setText] = useState('');
  const tasks = useApi(
    (signal) =>
      ok(
        engine.GET('/api/v1/tasks', {
          params: { query: { state, kind: kind || undefined, mine: mine ? 'true' : undefined, limit: 200 } },
          signal,
        }),
      ),
    [state, kind, mine],
    { pollMs: 10_000 },
  );
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
      .filter(
        (t) => !needle || `${t.title} ${t.pledgeTitle} ${t.pledgeId} ${t.id}`.toLowerCase().includes(needle),
      )
      .sort(sorters[sort] ?? sorters.due);
  }, [tasks.data, changed, overdueOnly, text, sort]);

  return (
    <>
      <PageTitle>Inbox</PageTitle>
      <div className="inbox-grid">
        <Section id="tasks" title="Tasks">
          <form
            className="filters"
            role="search"
            aria-label="Filter tasks"
            onSubmit={(e) => e.preventDefault()}
          >
            <div className="field">
              <label htmlFor="f-state">State</label>
              <select
                id="f-state"
                value={state}
                onChange={(e) => set('state', e.target.value === 'open' ? '' : e.target.value)}
              >
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
              <select
                id="f-sort"
                value={sort}
                onChange={(e) => set('sort', e.target.value === 'due' ? '' : e.target.value)}
              >
                <option value="due">Due date (soonest first)</option>
                <option value="priority">Priority (most urgent first)</option>
                <option value="created">Newest first</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-text">Search</label>
              <input
                id="f-text"
                type="search"
                placeholder="Pledge or task"
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </div>
            <div className="field checks">
              <label>
                <input type="checkbox" checked={mine} onChange={(e) => set('mine', e.target.checked)} />{' '}
                Claimed by me
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={overdueOnly}
                  onChange={(e) => set('overdue', e.target.checked)}
                />{' '}
                Overdue only
              </label>
            </div>
          </form>
          {tasks.error && <ErrorBox error={tasks.error} />}
          {!tasks.data && !tasks.error && <Loading what="Loading tasks" />}
          {tasks.data && rows.length === 0 && (
            <Empty>No tasks match. New tasks appear here as pledges reach you.</Empty>
          )}
          <p className="muted small">{CLAIM_HELP}</p>
          {rows.length > 0 && (
            <div className="table-wrap" role="region" aria-label="Tasks" tabIndex={0}>
              <table className="table inbox-table" data-testid="task-table">
                <caption className="sr-only">Tasks, sorted by {sort}</caption>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Donor</th>
                    <th scope="col" className="num">
                      Value
                    </th>
                    <th scope="col">Due</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((t) => (
                    <tr
                      key={t.id}
                      data-testid="task-row"
                      data-task-id={t.id}
                      data-kind={t.kind}
                      data-pledge-id={t.pledgeId}
                      className={isOverdue(t) ? 'row-overdue' : undefined}
                    >
                      <td className="what">
                        <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{t.pledgeTitle || t.title}</Link>
                        <div className="muted small">
                          {kindLabel[t.kind] ?? t.kind}
                          {t.priority === 'urgent' || t.priority === 'high' ? (
                            <span className={`badge priority-${t.priority} badge-small`}>{t.priority}</span>
                          ) : null}
                          {t.escalated && <span className="badge tone-bad badge-small">Escalated</span>}
                        </div>
                      </td>
                      <td>{t.donor ?? '—'}</td>
                      <td className="num">{formatEur(t.valueEur)}</td>
                      <td>
                        <When iso={t.dueAt} />
                        {isOverdue(t) && (
                          <span className="badge tone-bad badge-small" data-testid="overdue">
                            Overdue
                          </span>
                        )}
                      </td>
                      <td className="status-cell">
                        <span className="small">
                          {t.state !== 'open'
                            ? t.state
                            : t.assignee
                              ? `Claimed by ${t.assignee}`
                              : 'Unclaimed'}
                        </span>
                        <TaskActions
                          task={t}
                          menu
                          onChanged={(nt) => setChanged((c) => ({ ...c, [nt.id]: nt }))}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
        <InboxNotifications />
      </div>
    </>
  );
}

/** The compact panel: unread notifications grouped by pledge; the full list has its own page. */
function InboxNotifications() {
  const { reloadNotifications } = useLayoutContext();
  return (
    <Section id="notifications" title="Notifications">
      <NotificationList compact unreadOnly onChanged={reloadNotifications} />
    </Section>
  );
}
