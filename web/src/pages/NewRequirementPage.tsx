import { useNavigate } from 'react-router';
import { PageTitle } from '../components/common';
import { RequirementForm } from '../components/requirements/RequirementForm';

/** A new requirement: the form, then its page. */
export function NewRequirementPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageTitle>State a requirement</PageTitle>
      <RequirementForm onSaved={(r) => void navigate(`/requirements/${encodeURIComponent(r.id)}`)} />
    </>
  );
}
