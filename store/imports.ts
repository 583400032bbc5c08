import { Schema, type Connection } from 'mongoose';
import type { Role } from '../domain/schemas/common';

/** A bulk import as stored (`_id` = BullMQ job id). */
export interface ImportJobRecord {
  _id: string;
  kind: 'pledges';
  owner: { username: string; roles: Role[]; nation: string | null };
  csv: string;
  total: number;
  processed: number;
  created: number;
  failed: number;
  state: 'queued' | 'active' | 'completed' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An import as its status is read: without its text, which can be large. */
export type ImportJobSummary = Omit<ImportJobRecord, 'csv'>;

/** One row's outcome as stored (`_id` = `<jobId>:<row>`). */
export interface ImportRowRecord {
  _id: string;
  jobId: string;
  row: number;
  line: number | null;
  status: 'created' | 'failed';
  pledgeId: string | null;
  details: Array<{ path: string; message: string }>;
}

/** A bulk import of pledges from CSV: its owner, its text and its running totals (`_id` = BullMQ job id). */
export const importJobSchema = new Schema<ImportJobRecord>(
  {
    _id: String,
    kind: { type: String, enum: ['pledges'], required: true },
    /** Who started it: the pledges are submitted as this principal. */
    owner: {
      username: { type: String, required: true },
      roles: { type: [String], required: true },
      nation: { type: String, default: null },
    },
    csv: { type: String, required: true },
    total: { type: Number, required: true },
    processed: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    state: { type: String, enum: ['queued', 'active', 'completed', 'failed'], required: true },
    startedAt: { type: String, default: null },
    finishedAt: { type: String, default: null },
  },
  { strict: true, timestamps: true, versionKey: false, minimize: false },
);
importJobSchema.index({ 'owner.username': 1, createdAt: -1 });

/** One row's outcome; `_id` = `<jobId>:<row>`, so a retried job overwrites rather than duplicates. */
export const importRowSchema = new Schema<ImportRowRecord>(
  {
    _id: String,
    jobId: { type: String, required: true },
    row: { type: Number, required: true },
    line: { type: Number, default: null },
    status: { type: String, enum: ['created', 'failed'], required: true },
    pledgeId: { type: String, default: null },
    /** The row's errors `{path, message}` (`errors` in the API; that name is reserved in mongoose). */
    // `[{}]` is mongoose's array of Mixed, as `[Schema.Types.Mixed]` is, in a form the typed schema accepts.
    details: { type: [{}], default: [] },
  },
  { strict: true, versionKey: false },
);
importRowSchema.index({ jobId: 1, row: 1 });

export const importModels = (c: Connection) => ({
  ImportJob: c.model<ImportJobRecord>('ImportJob', importJobSchema, 'imports'),
  ImportRow: c.model<ImportRowRecord>('ImportRow', importRowSchema, 'import_rows'),
});

type ImportModels = ReturnType<typeof importModels>;

/** The imports as the API opens and follows them; the import job records each row's outcome. */
export function importRepository({ ImportJob, ImportRow }: ImportModels) {
  return {
    /**
     * Records a queued import under its job id, unless one is there (a retried request with the same key):
     * true when this call created it.
     */
    async open(
      jobId: string,
      job: Pick<ImportJobRecord, 'kind' | 'owner' | 'csv' | 'total'>,
    ): Promise<boolean> {
      const written = await ImportJob.updateOne(
        { _id: jobId },
        {
          $setOnInsert: {
            ...job,
            processed: 0,
            created: 0,
            failed: 0,
            state: 'queued',
            startedAt: null,
            finishedAt: null,
          },
        },
        { upsert: true },
      );
      return written.upsertedCount > 0;
    },
    /** Removes an import that never reached the queue, so that nothing says it is waiting. */
    async dropQueued(jobId: string): Promise<void> {
      await ImportJob.deleteOne({ _id: jobId, state: 'queued' });
    },
    /** The import without its text; null when unknown. */
    summary: (jobId: string): Promise<ImportJobSummary | null> =>
      ImportJob.findById(jobId, { csv: 0 }).lean<ImportJobSummary>(),
    /** Each row's outcome so far, in row order. */
    rows: (jobId: string): Promise<ImportRowRecord[]> =>
      ImportRow.find({ jobId }).sort({ row: 1 }).lean<ImportRowRecord[]>(),
  };
}
