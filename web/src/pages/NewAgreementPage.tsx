import { useNavigate } from 'react-router';
import { useAuth } from '../auth/auth';
import { ErrorBox, PageTitle } from '../components/common';
import { AgreementForm } from '../components/agreements/AgreementForm';
import { mayWriteAgreement } from '../lib/agreements';

/** A new bilateral security agreement: the form, then its page. */
export function NewAgreementPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  return (
    <>
      <PageTitle>Record an agreement</PageTitle>
      {/* The API refuses them too; this says so before anything is typed. */}
      {mayWriteAgreement(user) ? (
        <AgreementForm onSaved={(a) => void navigate(`/agreements/${encodeURIComponent(a.id)}`)} />
      ) : (
        <ErrorBox error="Your role may read agreements, not record them." />
      )}
    </>
  );
}
