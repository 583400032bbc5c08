import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';

/** A CSV download as the OpenAPI document describes it. */
export const CsvText = z
  .string()
  .meta({ id: 'CsvText', description: 'Comma-separated values with a header row' });

/** A 200 answering rows as a CSV attachment that no cache keeps. */
export function csvAttachment(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
  filename: string,
  headers: Record<string, string> = {},
) {
  return {
    status: 200 as const,
    body: stringify(rows as Array<Record<string, unknown>>, { header: true, columns: [...columns] }),
    contentType: 'text/csv',
    headers: {
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      ...headers,
    },
  };
}
