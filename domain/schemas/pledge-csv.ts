import { z } from 'zod';
import { DeliveryWindow, PledgeInput, PledgeItem, PledgeSubmission } from './pledge';

/**
 * The CSV form of a pledge, for bulk import and export: one row is one pledge of one item.
 * A row is read into the same `PledgeInput` that POST /pledges validates, so both accept the same pledges.
 */
export const PledgeCsvColumns = [
  'donor',
  'systemId',
  'quantity',
  'deliveryFrom',
  'deliveryTo',
  'trainingOffered',
  'spareParts',
  'maintenanceYears',
  'valueEur',
  'notes',
] as const;
export type PledgeCsvColumn = (typeof PledgeCsvColumns)[number];

export const RequiredPledgeCsvColumns: readonly PledgeCsvColumn[] = [
  'donor',
  'systemId',
  'quantity',
  'deliveryFrom',
  'deliveryTo',
];

export const MAX_IMPORT_ROWS = 2000;

export interface CsvProblem {
  path: string;
  message: string;
}

/** Help text for the API documentation (the web app's import page links to it). */
export const PLEDGE_CSV_HELP = [
  'CSV (UTF-8, comma-separated, a header row first), **one pledge of one item per row**, at most',
  `${MAX_IMPORT_ROWS} rows and 2 MB. Columns (any order; names are case-insensitive):`,
  '',
  '| column | required | meaning |',
  '|---|---|---|',
  '| `donor` | yes | donor nation, ISO 3166-1 alpha-3 in capitals (`FRA`) |',
  '| `systemId` | yes | a catalogue system id (`GET /api/v1/catalog/systems`) |',
  '| `quantity` | yes | whole number, at least 1 |',
  '| `deliveryFrom`, `deliveryTo` | yes | delivery window, `YYYY-MM-DD`, not in the past, ending within 10 years |',
  '| `trainingOffered`, `spareParts` | no | `true`/`false` (also `yes`/`no`, `1`/`0`); empty = false |',
  '| `maintenanceYears` | no | whole number 0–30; empty = 0 |',
  '| `valueEur` | no | whole euros |',
  '| `notes` | no | free text |',
  '',
  'Example: `donor,systemId,quantity,deliveryFrom,deliveryTo,trainingOffered,spareParts,maintenanceYears,valueEur,notes`',
  'then `POL,leopard-2a4,10,2027-01-01,2027-06-30,true,true,3,120000000,first tranche`.',
  '',
  'An unknown, missing or repeated column is a 400 naming it. Each row is checked like `POST /api/v1/pledges`;',
  'good rows are created, bad rows are reported with their errors by column (`row` 1 is the first row under the header).',
].join('\n');

/** Matches header cells to the canonical column names; names each problem. */
export function checkCsvHeader(header: readonly string[]): {
  columns: PledgeCsvColumn[];
  problems: CsvProblem[];
} {
  const byLower = new Map(PledgeCsvColumns.map((c) => [c.toLowerCase(), c]));
  const problems: CsvProblem[] = [];
  const columns: PledgeCsvColumn[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    const column = byLower.get(name.toLowerCase());
    if (!column) {
      problems.push({
        path: `header.${name || i + 1}`,
        message: `unknown column "${name}" (column ${i + 1}); the columns are ${PledgeCsvColumns.join(', ')}`,
      });
    } else if (columns.includes(column)) {
      problems.push({ path: `header.${column}`, message: `column "${column}" appears more than once` });
    }
    columns.push(column ?? (name as PledgeCsvColumn));
  });
  for (const required of RequiredPledgeCsvColumns) {
    if (!columns.includes(required)) {
      problems.push({ path: `header.${required}`, message: `required column "${required}" is missing` });
    }
  }
  return { columns, problems };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const text = z.string().trim();
const required = text.min(1, 'is required');
const optionalText = text.transform((v) => (v === '' ? undefined : v));
const numberCell = required.pipe(z.string().regex(NUMBER, 'must be a number').transform(Number));
const optionalNumberCell = optionalText.pipe(
  z.string().regex(NUMBER, 'must be a number').transform(Number).optional(),
);
const flagCell = text
  .toLowerCase()
  .transform((v) => v || 'false')
  .pipe(z.enum(['true', 'false', 'yes', 'no', '1', '0'], { error: 'must be true or false' }))
  .transform((v) => v === 'true' || v === 'yes' || v === '1');

const shape = PledgeInput.shape;
const item = PledgeItem.shape;
const sustainment = shape.sustainment.unwrap().shape;

/** The text cells of one row, typed, each checked by its field's rule in the shared pledge schemas. */
export const PledgeCsvRow = z.object({
  donor: required.pipe(shape.donor),
  systemId: required.pipe(item.systemId),
  quantity: numberCell.pipe(item.quantity),
  deliveryFrom: required.pipe(DeliveryWindow.shape.from),
  deliveryTo: required.pipe(DeliveryWindow.shape.to),
  trainingOffered: flagCell,
  spareParts: flagCell,
  maintenanceYears: optionalNumberCell.pipe(sustainment.maintenanceYears.optional()),
  valueEur: optionalNumberCell.pipe(shape.valueEur),
  notes: optionalText.pipe(shape.notes),
});

/** The CSV column of a PledgeInput path (`items.0.deliveryWindow.to` → `deliveryTo`). */
export function csvColumnOf(path: string): string {
  const p = path.replace(/^items\.\d+\./, 'items.');
  const map: Record<string, PledgeCsvColumn> = {
    'items.systemId': 'systemId',
    'items.quantity': 'quantity',
    'items.deliveryWindow.from': 'deliveryFrom',
    'items.deliveryWindow.to': 'deliveryTo',
    'items.deliveryWindow': 'deliveryTo',
    'sustainment.spareParts': 'spareParts',
    'sustainment.maintenanceYears': 'maintenanceYears',
  };
  return map[p] ?? p;
}

const problemsOf = (error: z.ZodError): CsvProblem[] =>
  error.issues.map((i) => ({ path: csvColumnOf(i.path.map(String).join('.')), message: i.message }));

/** Reads one row (cells by column; absent cells are empty) into a PledgeInput, or its errors by column. */
export function pledgeInputFromCsv(
  cells: Partial<Record<PledgeCsvColumn, string>>,
): { ok: true; input: PledgeInput } | { ok: false; problems: CsvProblem[] } {
  const withEmpty = Object.fromEntries(PledgeCsvColumns.map((c) => [c, cells[c] ?? '']));
  const row = PledgeCsvRow.safeParse(withEmpty);
  if (!row.success) {
    // Report every fault at once: the window's own rule too, when its dates could be read.
    const problems = problemsOf(row.error);
    const datesRead = !problems.some((p) => p.path === 'deliveryFrom' || p.path === 'deliveryTo');
    const window = DeliveryWindow.safeParse({
      from: withEmpty.deliveryFrom.trim(),
      to: withEmpty.deliveryTo.trim(),
    });
    if (datesRead && !window.success) {
      problems.push(
        ...problemsOf(window.error).map((w) => ({
          ...w,
          path: csvColumnOf(`items.0.deliveryWindow.${w.path}`),
        })),
      );
    }
    return { ok: false, problems };
  }
  const r = row.data;
  const input = PledgeSubmission.safeParse({
    donor: r.donor,
    items: [
      {
        systemId: r.systemId,
        quantity: r.quantity,
        deliveryWindow: { from: r.deliveryFrom, to: r.deliveryTo },
      },
    ],
    trainingOffered: r.trainingOffered,
    sustainment: { spareParts: r.spareParts, maintenanceYears: r.maintenanceYears ?? 0 },
    valueEur: r.valueEur,
    notes: r.notes,
  });
  return input.success ? { ok: true, input: input.data } : { ok: false, problems: problemsOf(input.error) };
}

/** Columns of the export: the pledge and item, then the import columns, then the pledge's state. */
export const PledgeExportColumns = [
  'pledgeId',
  'item',
  ...PledgeCsvColumns,
  'status',
  'stage',
  'coalitions',
  'submittedBy',
  'submittedAt',
  'updatedAt',
] as const;
export type PledgeExportColumn = (typeof PledgeExportColumns)[number];

interface ExportablePledge {
  id: string;
  donor: string;
  items: Array<{ systemId: string; quantity: number; deliveryWindow: { from: string; to: string } }>;
  trainingOffered?: boolean | null;
  sustainment?: { spareParts?: boolean; maintenanceYears?: number } | null;
  valueEur?: number | null;
  notes?: string | null;
  status: string;
  stage?: string | null;
  coalitions?: string[] | null;
  submittedBy?: string | null;
  createdAt?: Date | string | null;
  updatedAt?: Date | string | null;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : '');

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe. */
export const spreadsheetSafe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** One export row per item of the pledge. */
export function pledgeExportRows(p: ExportablePledge): Array<Record<PledgeExportColumn, string | number>> {
  return p.items.map((item, i) => ({
    pledgeId: p.id,
    item: i + 1,
    donor: p.donor,
    systemId: item.systemId,
    quantity: item.quantity,
    deliveryFrom: item.deliveryWindow.from,
    deliveryTo: item.deliveryWindow.to,
    trainingOffered: String(!!p.trainingOffered),
    spareParts: String(!!p.sustainment?.spareParts),
    maintenanceYears: p.sustainment?.maintenanceYears ?? 0,
    valueEur: p.valueEur ?? '',
    notes: spreadsheetSafe(p.notes ?? ''),
    status: p.status,
    stage: p.stage ?? '',
    coalitions: (p.coalitions ?? []).join(' '),
    submittedBy: p.submittedBy ?? '',
    submittedAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  }));
}
