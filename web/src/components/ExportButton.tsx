import { engine, ok } from '../api/client';
import type { paths } from '../api/schema.gen';
import { DownloadButton } from './DownloadButton';

export type ExportQuery = NonNullable<paths['/api/v1/pledges/export.csv']['get']['parameters']['query']>;

/** Downloads the pledge list as CSV (GET /api/v1/pledges/export.csv) with the list's filters. */
export function ExportButton({ query }: { query?: ExportQuery }) {
  return (
    <DownloadButton
      label="Export CSV"
      busyLabel="Exporting…"
      filename={`pledges-${new Date().toISOString().slice(0, 10)}.csv`}
      fetchFile={() => ok(engine.GET('/api/v1/pledges/export.csv', { params: { query }, parseAs: 'blob' }))}
      testId="export-csv"
    />
  );
}
