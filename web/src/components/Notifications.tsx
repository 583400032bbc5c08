import { useState } from 'react';
import { Link } from 'react-router';
import { engine, messageOf, ok } from '../api/client';
import type { Notification } from '../api/types';
import { useApi } from '../api/use-api';
import { splitMoments } from '@domain/moments';
import { humanize, plural } from '../lib/format';
import { Empty, ErrorBox, When } from './common';

interface Group {
  key: string;
  pledgeId: string | null;
  /** The pledge's human title, from its newest notification ("FRA · 6 × Mirage 2000-5F · …"). */
  title: string;
  items: Notification[];
  unread: number;
}

/** A notification's title in its two parts: what happened, and the pledge's title ("FRA · 6 × Mirage …"). */
function splitTitle(n: Notification): { what: string; pledge: string | null } {
  const parts = n.title.split(': ');
  const i = parts.findIndex((p) => /^[A-Z]{3} · /.test(p));
  if (i < 0) return { what: n.title, pledge: null };
  const rest = [...parts.slice(0, i), ...parts.slice(i + 1)].join(': ');
  return { what: rest.charAt(0).toUpperCase() + rest.slice(1), pledge: parts[i] };
}
const what = (n: Notification) => splitTitle(n).what;
const pledgeTitleOf = (n: Notification) =>
  splitTitle(n).pledge ?? (n.pledgeId ? `Pledge ${n.pledgeId}` : n.title);

/** Notifications grouped by pledge, the newest group first. */
export function groupByPledge(items: Notification[]): Group[] {
  const groups = new Map<string, Group>();
  for (const n of items) {
    const key = n.pledgeId ?? `none:${n.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, pledgeId: n.pledgeId, title: pledgeTitleOf(n), items: [], unread: 0 };
      groups.set(key, g);
    }
    g.items.push(n);
    if (!n.readAt) g.unread++;
  }
  return [...groups.values()];
}

/**
 * Where a notification leads, for its recipient: a task notice to the task (it was sent to those who may decide
 * it), a decision or status notice to the pledge (the deciding task is not the recipient's to open).
 */
export function linkOf(n: Notification): { to: string; label: string } | null {
  if (n.type.startsWith('task.') && n.taskId)
    return { to: `/tasks/${encodeURIComponent(n.taskId)}`, label: 'Open the task' };
  if (n.pledgeId) return { to: `/pledges/${encodeURIComponent(n.pledgeId)}`, label: 'Open the pledge' };
  return null;
}

/** A notification's text, its ISO moments ("due 2026-12-02T00:52:21Z") shown relative with the exact time on hover. */
export function Readable({ text }: { text: string }) {
  return (
    <>
      {splitMoments(text).map((part, i) =>
        'iso' in part ? <When key={i} iso={part.iso} /> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

/** Unread (or all) notifications grouped by pledge, with "mark all read"; `compact` keeps one line per group. */
export function NotificationList({
  compact,
  unreadOnly,
  onChanged,
}: {
  compact: boolean;
  unreadOnly: boolean;
  onChanged?: () => void;
}) {
  const list = useApi(
    (signal) =>
      ok(
        engine.GET('/api/v1/notifications', {
          params: { query: { unread: unreadOnly ? 'true' : undefined, limit: 200 } },
          signal,
        }),
      ),
    [unreadOnly],
    { pollMs: 15_000 },
  );
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  const groups = groupByPledge(items);
  const unread = items.filter((n) => !n.readAt).length;

  const markAll = async (pledgeId?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await ok(engine.POST('/api/v1/notifications/read-all', { body: pledgeId ? { pledgeId } : {} }));
      list.reload();
      onChanged?.();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = compact ? groups.slice(0, 5) : groups;
  return (
    <div data-testid="notification-list">
      {list.error && <ErrorBox error={list.error} />}
      {error && <ErrorBox error={error} />}
      <div className="list-head">
        <span className="muted small" data-testid="unread-summary">
          {unread
            ? `${plural(unread, 'unread notification')} about ${plural(groups.filter((g) => g.unread).length, 'pledge')}`
            : 'You are up to date.'}
        </span>
        {unread > 0 && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void markAll()}
            data-testid="mark-all-read"
          >
            Mark all read
          </button>
        )}
      </div>
      {list.data && items.length === 0 && <Empty>No notifications.</Empty>}
      <ul className="notification-groups">
        {shown.map((g) => (
          <li
            key={g.key}
            className="notification-group"
            data-testid="notification-group"
            data-pledge-id={g.pledgeId ?? ''}
          >
            <div className="group-head">
              {g.pledgeId ? (
                <Link to={`/pledges/${encodeURIComponent(g.pledgeId)}`}>{g.title}</Link>
              ) : (
                <strong>{g.title}</strong>
              )}
              {g.unread > 0 && <span className="badge tone-progress badge-small">{g.unread} new</span>}
            </div>
            <ul className="notifications">
              {(compact ? g.items.slice(0, 2) : g.items).map((n) => {
                const link = linkOf(n);
                return (
                  <li key={n.id} data-testid="notification" className={n.readAt ? 'read' : 'unread'}>
                    <span>
                      {link ? <Link to={link.to}>{what(n)}</Link> : what(n)}
                      {!compact && n.body && (
                        <span className="muted">
                          {' — '}
                          <Readable text={n.body} />
                        </span>
                      )}
                    </span>
                    <span className="muted small">
                      {humanize(n.type.split('.')[1] ?? n.type)} · <When iso={n.createdAt} />
                    </span>
                  </li>
                );
              })}
              {compact && g.items.length > 2 && (
                <li className="muted small">and {g.items.length - 2} more</li>
              )}
            </ul>
            {!compact && g.unread > 0 && g.pledgeId && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                disabled={busy}
                onClick={() => void markAll(g.pledgeId!)}
              >
                Mark this pledge’s notifications read
              </button>
            )}
          </li>
        ))}
      </ul>
      {compact && (
        <p>
          <Link to="/notifications" data-testid="all-notifications">
            {groups.length > shown.length
              ? `All notifications (${groups.length - shown.length} more pledges)`
              : 'All notifications'}
          </Link>
        </p>
      )}
    </div>
  );
}
