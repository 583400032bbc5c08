import { NavLink, useParams } from 'react-router';
import { useAuth } from '../../auth/auth';
import { PageTitle } from '../../components/common';
import { DeliveriesScreen } from './DeliveriesScreen';
import { PoliciesScreen } from './PoliciesScreen';
import { ReferenceDataScreen } from './ReferenceDataScreen';
import { UsersScreen } from './UsersScreen';
import { WebhooksScreen } from './WebhooksScreen';

// One screen per file; adding one: a file here and a line in this list.
const screens = [
  { id: 'users', label: 'Users and roles', Screen: UsersScreen },
  { id: 'reference', label: 'Reference data', Screen: ReferenceDataScreen },
  { id: 'policies', label: 'Policies', Screen: PoliciesScreen },
  { id: 'webhooks', label: 'Webhooks', Screen: WebhooksScreen },
  { id: 'deliveries', label: 'Failed deliveries', Screen: DeliveriesScreen },
] as const;

/** The admin's screens (/admin/:screen): users, reference data, policies, webhooks, failed deliveries. */
export function AdminPage() {
  const { hasRole } = useAuth();
  const { screen = 'users' } = useParams();
  if (!hasRole('admin')) {
    return (
      <>
        <PageTitle>Admin</PageTitle>
        <p>This page is for administrators.</p>
      </>
    );
  }
  const current = screens.find((s) => s.id === screen) ?? screens[0];
  return (
    <>
      <PageTitle>{`Admin: ${current.label}`}</PageTitle>
      <nav aria-label="Admin screens" className="subnav">
        {screens.map((s) => (
          <NavLink key={s.id} to={`/admin/${s.id}`} className={s.id === current.id ? 'active' : undefined}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <current.Screen />
    </>
  );
}
