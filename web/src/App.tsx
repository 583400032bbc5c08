import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { can } from '@domain/permissions';
import { AuthProvider, useAuth } from './auth/auth';
import { Layout } from './components/Layout';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { PledgeFormPage } from './pages/PledgeFormPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { PledgeListPage } from './pages/PledgeListPage';
import { RequirementListPage } from './pages/RequirementListPage';
import { NewRequirementPage } from './pages/NewRequirementPage';
import { RequirementPage } from './pages/RequirementPage';
import { SystemsPage } from './pages/SystemsPage';

// Pages with charts load on demand, so the login and the inbox do not wait for the charting library.
const AdminPage = lazy(() => import('./pages/admin/AdminPage').then((m) => ({ default: m.AdminPage })));
const DashboardPage = lazy(() => import('./pages/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const ImportPage = lazy(() => import('./pages/ImportPage').then((m) => ({ default: m.ImportPage })));
const PledgeDetailPage = lazy(() =>
  import('./pages/PledgeDetailPage').then((m) => ({ default: m.PledgeDetailPage })),
);
const PhaseTargetsPage = lazy(() =>
  import('./pages/PhaseTargetsPage').then((m) => ({ default: m.PhaseTargetsPage })),
);
const TrainingCapacityPage = lazy(() =>
  import('./pages/TrainingCapacityPage').then((m) => ({ default: m.TrainingCapacityPage })),
);
const WhatIfPage = lazy(() => import('./pages/WhatIfPage').then((m) => ({ default: m.WhatIfPage })));
const AgreementsPage = lazy(() =>
  import('./pages/AgreementsPage').then((m) => ({ default: m.AgreementsPage })),
);
const AgreementPage = lazy(() =>
  import('./pages/AgreementsPage').then((m) => ({ default: m.AgreementPage })),
);
const NewAgreementPage = lazy(() =>
  import('./pages/NewAgreementPage').then((m) => ({ default: m.NewAgreementPage })),
);
const EditAgreementPage = lazy(() =>
  import('./pages/EditAgreementPage').then((m) => ({ default: m.EditAgreementPage })),
);
const CoalitionsPage = lazy(() =>
  import('./pages/CoalitionsPage').then((m) => ({ default: m.CoalitionsPage })),
);
const CoalitionPage = lazy(() =>
  import('./pages/CoalitionsPage').then((m) => ({ default: m.CoalitionPage })),
);
const LogisticsPage = lazy(() => import('./pages/LogisticsPage').then((m) => ({ default: m.LogisticsPage })));
const TaskPage = lazy(() => import('./pages/TaskPage').then((m) => ({ default: m.TaskPage })));

/**
 * Where a signed-in user starts: the inbox; for those without one, the deliveries (the delivery cell) or the
 * requirements (Ukraine's liaison).
 */
function Home() {
  const { user } = useAuth();
  const start =
    !user || can(user, 'task:read') ? '/inbox' : can(user, 'delivery:read') ? '/logistics' : '/requirements';
  return <Navigate to={start} replace />;
}

/** Pages behind the login: an anonymous visitor is sent to /login and comes back afterwards. */
function Protected() {
  const { user } = useAuth();
  const location = useLocation();
  if (!user)
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return <Layout />;
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<Protected />}>
            <Route index element={<Home />} />
            <Route path="inbox" element={<InboxPage />} />
            <Route path="pledges" element={<PledgeListPage />} />
            <Route path="pledges/new" element={<PledgeFormPage />} />
            <Route path="pledges/:id" element={<PledgeDetailPage />} />
            <Route path="pledges/:id/amend" element={<PledgeFormPage />} />
            <Route path="tasks/:id" element={<TaskPage />} />
            <Route path="dashboard" element={<DashboardPage />} />
            <Route path="targets" element={<PhaseTargetsPage />} />
            <Route path="import" element={<ImportPage />} />
            <Route path="catalogue" element={<SystemsPage />} />
            <Route path="training/capacity" element={<TrainingCapacityPage />} />
            <Route path="training/what-if" element={<WhatIfPage />} />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route path="coalitions" element={<CoalitionsPage />} />
            <Route path="coalitions/:id" element={<CoalitionPage />} />
            <Route path="logistics" element={<LogisticsPage />} />
            <Route path="agreements" element={<AgreementsPage />} />
            <Route path="agreements/new" element={<NewAgreementPage />} />
            <Route path="agreements/:id" element={<AgreementPage />} />
            <Route path="agreements/:id/edit" element={<EditAgreementPage />} />
            <Route path="requirements" element={<RequirementListPage />} />
            <Route path="requirements/new" element={<NewRequirementPage />} />
            <Route path="requirements/:id" element={<RequirementPage />} />
            <Route path="admin" element={<AdminPage />} />
            <Route path="admin/:screen" element={<AdminPage />} />
            <Route
              path="*"
              element={
                <p>
                  There is no such page. <a href="/inbox">Go to your inbox</a>.
                </p>
              }
            />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
