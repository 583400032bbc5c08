import { useState } from 'react';
import { engine, messageOf, ok, saveFile } from '../api/client';
import type { paths } from '../api/schema.gen';

export type ExportQuery = NonNullable<paths['/api/v1/pledges/export.csv']['get']['parameters']['query']>;

/** Downloads the pledge list as CSV (GET /api/v1/pledges/export.csv) with the list's filters. */
export function ExportButton({ query }: { query?: ExportQuery }) {
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const csv = await ok(engine.GET('/api/v1/pledges/export.csv', { params: { query }, parseAs: 'blob' }));
      saveFile(csv, `pledges-${new Date().toISOString().slice(0, 10)}.csv`);
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
        data-testid="export-csv"
      >
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {message && (
        <span className="field-error" role="alert">
          {message}
        </span>
      )}
    </span>
  );
}
