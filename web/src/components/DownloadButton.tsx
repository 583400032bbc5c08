import { useState } from 'react';
import { messageOf, saveFile } from '../api/client';

/** A button that fetches a file from the engine and saves it; a refusal shows beside it in words. */
export function DownloadButton({
  label,
  busyLabel,
  filename,
  fetchFile,
  testId,
}: {
  label: string;
  busyLabel: string;
  filename: string;
  fetchFile: () => Promise<Blob>;
  testId: string;
}) {
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      saveFile(await fetchFile(), filename);
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
        data-testid={testId}
      >
        {busy ? busyLabel : label}
      </button>
      {message && (
        <span className="field-error" role="alert">
          {message}
        </span>
      )}
    </span>
  );
}
