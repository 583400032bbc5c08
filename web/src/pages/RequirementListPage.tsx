import { useNavigate, useSearchParams } from 'react-router';
import { engine, ok } from '../api/client';
import { useSystems } from '../api/reference';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { Empty, ErrorBox, Loading, PageTitle } from '../components/common';
import { RequirementTable } from '../components/requirements/RequirementTable';
import { UnfilledUrgent } from '../components/requirements/UnfilledUrgent';
import { REQUIREMENT_WRITERS } from '../lib/requirements';

/** Ukraine's requirements, most urgent first, each with its coverage; the unfilled urgent ones on top. */
export function RequirementListPage() {
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  const systems = useSystems();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') === 'closed' ? 'closed' : 'open';
  const list = useApi(
    (signal) => ok(engine.GET('/api/v1/requirements', { params: { query: { status, limit: 200 } }, signal })),
    [status],
  );
  return (
    <>
      <PageTitle
        actions={
          hasRole(...REQUIREMENT_WRITERS) && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void navigate('/requirements/new')}
            >
              State a requirement
            </button>
          )
        }
      >
        Ukraine's requirements
      </PageTitle>
      <UnfilledUrgent />
      <form className="filters card" aria-label="Filter requirements" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="r-status">Status</label>
          <select
            id="r-status"
            value={status}
            onChange={(e) => setParams(e.target.value === 'open' ? {} : { status: e.target.value })}
          >
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </form>
      {list.error && <ErrorBox error={list.error} />}
      {!list.data && !list.error && <Loading what="Loading requirements" />}
      {list.data && list.data.items.length === 0 && <Empty>No {status} requirement.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <RequirementTable requirements={list.data.items} systems={systems} label="Requirements" detail />
      )}
    </>
  );
}
