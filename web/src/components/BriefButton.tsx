import { useState } from 'react';
import { can } from '@domain/permissions';
import { engine, messageOf, ok, saveFile } from '../api/client';
import { useAuth } from '../auth/auth';

/** Downloads the commander's decision brief (PDF) of a pledge in command approval; only for those who may read it. */
export function BriefButton({ pledgeId, round }: { pledgeId: string; round: number }) {
  const { user } = useAuth();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!user || !can(user, 'brief:read')) return null;
  const run = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const pdf = await ok(
        engine.GET('/api/v1/pledges/{id}/brief.pdf', { params: { path: { id: pledgeId } }, parseAs: 'blob' }),
      );
      saveFile(pdf, `decision-brief-${pledgeId}-round-${round}.pdf`);
    } catch (err) {
      setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => void run()}
        disabled={busy}
        data-testid="download-brief"
      >
        {busy ? 'Preparing the brief…' : 'Decision brief (PDF)'}
      </button>
      {message && (
        <span className="field-error" role="alert">
          {message}
        </span>
      )}
    </span>
  );
}
