import { can } from '@domain/permissions';
import { engine, ok } from '../api/client';
import { useAuth } from '../auth/auth';
import { DownloadButton } from './DownloadButton';

/** Downloads the commander's decision brief (PDF) of a pledge in command approval; only for those who may read it. */
export function BriefButton({ pledgeId, round }: { pledgeId: string; round: number }) {
  const { user } = useAuth();
  if (!user || !can(user, 'brief:read')) return null;
  return (
    <DownloadButton
      label="Decision brief (PDF)"
      busyLabel="Preparing the brief…"
      filename={`decision-brief-${pledgeId}-round-${round}.pdf`}
      fetchFile={() =>
        ok(
          engine.GET('/api/v1/pledges/{id}/brief.pdf', {
            params: { path: { id: pledgeId } },
            parseAs: 'blob',
          }),
        )
      }
      testId="download-brief"
    />
  );
}
