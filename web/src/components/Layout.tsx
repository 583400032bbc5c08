import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate, useOutletContext } from 'react-router';
import { Loading } from './common';
import { engine, ok } from '../api/client';
import { useApi } from '../api/use-api';
import type { Role } from '../api/types';
import { can, type Action } from '@domain/permissions';
import { useAuth } from '../auth/auth';
import { roleText } from '../lib/labels';

interface NavItem {
  to: string;
  label: string;
  /** Roles that see the link; none: everyone. */
  roles?: Role[];
  /** The permission the page needs, for links every role but a few may follow. */
  action?: Action;
}

// Adding a page: add it here and in App.tsx.
const nav: NavItem[] = [
  { to: '/inbox', label: 'Inbox', action: 'task:read' },
  { to: '/pledges', label: 'Pledges', action: 'pledge:read' },
  { to: '/pledges/new', label: 'Submit a pledge', roles: ['donor_liaison', 'staff_officer', 'admin'] },
  { to: '/dashboard', label: 'Dashboard', action: 'pledge:read' },
  { to: '/targets', label: 'Time targets', action: 'report:read' },
  { to: '/requirements', label: 'Requirements', action: 'requirement:read' },
  { to: '/logistics', label: 'Logistics', action: 'delivery:read' },
  { to: '/import', label: 'Bulk import', roles: ['staff_officer', 'admin'] },
  { to: '/catalogue', label: 'Systems' },
  { to: '/training/capacity', label: 'Training capacity', action: 'training:capacity' },
  { to: '/training/what-if', label: 'What-if', action: 'training:what-if' },
  { to: '/coalitions', label: 'Coalitions', action: 'coalition:read' },
  { to: '/agreements', label: 'Agreements', action: 'agreement:read' },
  { to: '/admin', label: 'Admin', roles: ['admin'] },
];

/** The header (who you are, your roles and nation, notifications, log out), the navigation and the page. */
export function Layout() {
  const { user, logout, hasRole } = useAuth();
  const navigate = useNavigate();
  const unread = useApi(
    (signal) => ok(engine.GET('/api/v1/notifications', { params: { query: { unread: 'true' } }, signal })),
    [],
    { pollMs: 15_000 },
  );
  const unreadCount = unread.data?.items.length ?? 0;
  if (!user) return null;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <svg className="brand-mark" aria-hidden="true" width="20" height="20" viewBox="0 0 20 20">
            <path d="M10 1 12.4 7.6 19 10 12.4 12.4 10 19 7.6 12.4 1 10 7.6 7.6Z" fill="currentColor" />
          </svg>
          <span>
            NSATU <span className="brand-sub">engine</span>
          </span>
        </div>
        <nav aria-label="Main">
          <ul>
            {nav
              .filter(
                (item) => (!item.roles || hasRole(...item.roles)) && (!item.action || can(user, item.action)),
              )
              .map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/pledges'}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who" data-testid="current-user">
          <NavLink
            to="/notifications"
            className="bell"
            aria-label={`${unreadCount} unread notifications`}
            data-testid="unread-count"
          >
            <svg
              aria-hidden="true"
              width="22"
              height="22"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
              <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            </svg>
            {unreadCount > 0 && <span className="bell-count">{unreadCount}</span>}
          </NavLink>
          <div className="who-text">
            <strong data-testid="current-username">{user.displayName ?? user.username}</strong>
            <span className="who-meta">
              <span data-testid="current-roles">{user.roles.map(roleText).join(', ')}</span>
              {user.nation && (
                <span className="nation" data-testid="current-nation" title="Your nation">
                  {user.nation}
                </span>
              )}
            </span>
          </div>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              logout();
              void navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet context={{ reloadNotifications: unread.reload }} />
        </Suspense>
      </main>
    </div>
  );
}

/** Lets a page refresh the header's unread count after it marks notifications read. */
export const useLayoutContext = () => useOutletContext<{ reloadNotifications: () => void }>();
