import { useState } from 'react';
import { useParams } from 'react-router';
import { engine, messageOf, ok } from '../api/client';
import { useSystems } from '../api/reference';
import { useApi } from '../api/use-api';
import type { Requirement } from '../api/types';
import { useAuth } from '../auth/auth';
import { ErrorBox, Loading, PageTitle, Section, When } from '../components/common';
import { CoverageBars } from '../components/requirements/CoverageBars';
import { RequirementForm } from '../components/requirements/RequirementForm';
import { formatDate } from '../lib/format';
import { categoryText } from '../lib/labels';
import { capabilityText, priorityText, REQUIREMENT_WRITERS } from '../lib/requirements';

/** One requirement: what is asked, its coverage, and for its writers the form to amend, reprioritise or close it. */
export function RequirementPage() {
  const { id = '' } = useParams();
  const { hasRole } = useAuth();
  const systems = useSystems();
  const loaded = useApi(
    (signal) => ok(engine.GET('/api/v1/requirements/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  const [saved, setSaved] = useState<Requirement>();
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<string>();
  const requirement = saved?.id === id ? saved : loaded.data;
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!requirement) return <Loading what="Loading the requirement" />;

  const writer = hasRole(...REQUIREMENT_WRITERS);
  const setStatus = async (status: 'open' | 'closed') => {
    setFailure(undefined);
    try {
      setSaved(
        await ok(engine.PATCH('/api/v1/requirements/{id}', { params: { path: { id } }, body: { status } })),
      );
    } catch (err) {
      setFailure(messageOf(err));
    }
  };
  const { capability } = requirement;
  return (
    <div data-testid="requirement-detail" data-status={requirement.status}>
      <PageTitle
        actions={
          writer && (
            <>
              <button type="button" className="btn" onClick={() => setEditing((e) => !e)}>
                {editing ? 'Stop editing' : 'Amend'}
              </button>
              <button
                type="button"
                className="btn"
                data-testid="toggle-status"
                onClick={() => void setStatus(requirement.status === 'open' ? 'closed' : 'open')}
              >
                {requirement.status === 'open' ? 'Close' : 'Reopen'}
              </button>
            </>
          )
        }
      >
        {`${priorityText(requirement.priority)} · ${requirement.quantity} × ${capabilityText(capability, systems)}`}
      </PageTitle>
      {failure && <ErrorBox error={failure} />}
      {editing && (
        <RequirementForm
          key={requirement.updatedAt}
          existing={requirement}
          onSaved={(r) => {
            setSaved(r);
            setEditing(false);
          }}
        />
      )}
      <Section id="coverage" title="Coverage">
        <CoverageBars coverage={requirement.coverage} />
      </Section>
      <Section id="requirement" title="The requirement">
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="requirement-status">{requirement.status === 'open' ? 'Open' : 'Closed'}</dd>
          <dt>Category</dt>
          <dd>{capability.category ? categoryText(capability.category) : 'Any'}</dd>
          <dt>Family</dt>
          <dd>{capability.family ?? 'Any'}</dd>
          <dt>System</dt>
          <dd>{capability.systemId ? capabilityText({ systemId: capability.systemId }, systems) : 'Any'}</dd>
          <dt>Priority</dt>
          <dd>{requirement.priority} (1 is the most urgent)</dd>
          <dt>Needed by</dt>
          <dd>{formatDate(requirement.neededBy)}</dd>
          <dt>Justification</dt>
          <dd>{requirement.justification}</dd>
          <dt>Stated</dt>
          <dd>
            by {requirement.createdBy}, <When iso={requirement.createdAt} />
          </dd>
          <dt>Last changed</dt>
          <dd>
            by {requirement.updatedBy}, <When iso={requirement.updatedAt} />
          </dd>
        </dl>
      </Section>
    </div>
  );
}
