import { Link, useParams } from 'react-router';
import { permissions } from '@domain/permissions';
import { COALITION_BOUND_ROLE } from '@domain/tasks';
import { engine, ok } from '../api/client';
import { useSystems } from '../api/reference';
import type { CoalitionId } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { Empty, ErrorBox, Loading, PageTitle, Section, StatusBadge, When } from '../components/common';
import { RequirementTable } from '../components/requirements/RequirementTable';
import { formatEur } from '../lib/format';
import { categoryText } from '../lib/labels';

const roleLabel = { lead: 'Lead', member: 'Member', donor: 'Donor' } as const;

/** The capability coalitions; a reviewer's own are links to their pages. */
export function CoalitionsPage() {
  const { user, hasRole } = useAuth();
  const list = useApi((signal) => ok(engine.GET('/api/v1/coalitions', { signal })), []);
  // Reviewers open their own coalitions' pages; the other roles that read coalitions open every one.
  const everyPage = permissions['coalition:read'].filter((r) => r !== COALITION_BOUND_ROLE);
  const mayOpen = (id: string) => hasRole(...everyPage) || (user?.coalitions ?? []).includes(id);
  return (
    <>
      <PageTitle>Capability coalitions</PageTitle>
      {list.error && <ErrorBox error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <div className="table-wrap" role="region" aria-label="Coalitions" tabIndex={0}>
          <table className="table" data-testid="coalition-table">
            <thead>
              <tr>
                <th scope="col">Coalition</th>
                <th scope="col">Equipment</th>
                <th scope="col">Leads</th>
                <th scope="col">Members (publicly reported)</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{mayOpen(c.id) ? <Link to={`/coalitions/${c.id}`}>{c.name}</Link> : c.name}</td>
                  <td>{c.categories.map(categoryText).join(', ') || '—'}</td>
                  <td>{c.leads.join(', ')}</td>
                  <td>{c.members.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** One coalition: its open pledges, Ukraine's requirements it serves, and what each nation pledged and had approved. */
export function CoalitionPage() {
  const { id = '' } = useParams();
  const page = useApi(
    (signal) => ok(engine.GET('/api/v1/coalitions/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  // Its requirements come from the requirements list (the same coverage everywhere), filtered to its systems.
  const requirements = useApi(
    (signal) =>
      ok(
        engine.GET('/api/v1/requirements', {
          params: { query: { coalition: id as CoalitionId, status: 'open', limit: 200 } },
          signal,
        }),
      ),
    [id],
  );
  const systems = useSystems();
  if (page.error) return <ErrorBox error={page.error} />;
  if (!page.data) return <Loading />;
  const c = page.data;
  return (
    <>
      <PageTitle>{c.name}</PageTitle>
      <p className="muted">
        Leads: {c.leads.join(', ')}
        {c.members.length > 0 && <> · Members: {c.members.join(', ')}</>}
        {c.categories.length > 0 && <> · Reviews {c.categories.map(categoryText).join(', ')}</>}
      </p>
      <Section id="open-pledges" title={`Open pledges (${c.openPledgeCount})`}>
        {c.openPledges.length === 0 ? (
          <Empty>No pledge of this coalition is being decided.</Empty>
        ) : (
          <div className="table-wrap" role="region" aria-label="Open pledges" tabIndex={0}>
            <table className="table" data-testid="coalition-open-pledges">
              <thead>
                <tr>
                  <th scope="col">Pledge</th>
                  <th scope="col">Donor</th>
                  <th scope="col">Status</th>
                  <th scope="col">Value</th>
                  <th scope="col">Submitted</th>
                </tr>
              </thead>
              <tbody>
                {c.openPledges.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/pledges/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>{p.donor}</td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td>{formatEur(p.valueEur)}</td>
                    <td>
                      <When iso={p.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section id="requirements" title="Ukraine's open requirements">
        {requirements.error && <ErrorBox error={requirements.error} />}
        {!requirements.data && !requirements.error && <Loading what="Loading requirements" />}
        {requirements.data?.items.length === 0 && (
          <Empty>No open requirement is for this coalition's systems.</Empty>
        )}
        {requirements.data && requirements.data.items.length > 0 && (
          <RequirementTable
            requirements={requirements.data.items}
            systems={systems}
            label="Ukraine's open requirements"
          />
        )}
      </Section>
      <Section id="nations" title="Nations: pledged and approved">
        <div className="table-wrap" role="region" aria-label="Nations" tabIndex={0}>
          <table className="table" data-testid="coalition-nations">
            <thead>
              <tr>
                <th scope="col">Nation</th>
                <th scope="col">Role</th>
                <th scope="col">Pledged (pending or approved)</th>
                <th scope="col">Approved</th>
              </tr>
            </thead>
            <tbody>
              {c.nations.map((n) => (
                <tr key={n.nation}>
                  <td>{n.nation}</td>
                  <td>{roleLabel[n.role]}</td>
                  <td>
                    {formatEur(n.pledgedEur)} ({n.pledged})
                  </td>
                  <td>
                    {formatEur(n.approvedEur)} ({n.approved})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}
