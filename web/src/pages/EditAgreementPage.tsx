import { useNavigate, useParams } from 'react-router';
import { engine, ok } from '../api/client';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { ErrorBox, Loading, PageTitle } from '../components/common';
import { AgreementForm } from '../components/agreements/AgreementForm';
import { mayWriteAgreement } from '../lib/agreements';

/**
 * An agreement's edit: the agreement as it is now, then the form (which sends only the fields that changed), then
 * its page.
 */
export function EditAgreementPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const navigate = useNavigate();
  const loaded = useApi(
    (signal) => ok(engine.GET('/api/v1/agreements/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  if (!loaded.data) {
    return (
      <>
        <PageTitle>Edit an agreement</PageTitle>
        {loaded.error ? <ErrorBox error={loaded.error} /> : <Loading what="Loading the agreement" />}
      </>
    );
  }
  const a = loaded.data;
  return (
    <>
      <PageTitle>{`Edit: ${a.title}`}</PageTitle>
      <p className="muted">{a.donor}’s agreement; its donor does not change.</p>
      {/* The API refuses them too; this says so before anything is typed. */}
      {mayWriteAgreement(user, a.donor) ? (
        <AgreementForm
          key={a.updatedAt}
          existing={a}
          onSaved={(saved) => void navigate(`/agreements/${encodeURIComponent(saved.id)}`)}
        />
      ) : (
        <ErrorBox error="Your role may read this agreement, not edit it." />
      )}
    </>
  );
}
