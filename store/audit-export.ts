import { createReadStream, type WriteStream } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { createInterface } from 'node:readline';
import { verifyChain, type AuditEntry, type ChainVerification, type Checkpoint } from './audit-chain';
import { chainInOrder } from './audit-log';
import type { Store } from './index';

/** One line of an export: a header, then every checkpoint, then every entry in sequence order. */
type ExportLine =
  | {
      kind: 'header';
      version: 1;
      exportedAt: string;
      head: { seq: number; hash: string } | null;
      checkpointKeyId: string | null;
    }
  | ({ kind: 'checkpoint' } & Checkpoint)
  | ({ kind: 'entry' } & AuditEntry);

const write = (out: WriteStream, line: ExportLine) =>
  new Promise<void>((resolve, reject) =>
    out.write(`${JSON.stringify(line)}\n`, (err) => (err ? reject(err) : resolve())),
  );

/**
 * Writes the whole log with its checkpoints as JSON lines, for an auditor to verify away from the engine and its
 * database (`verifyAuditExport`, with the checkpoint public key obtained separately).
 */
export async function exportAudit(
  store: Store,
  out: WriteStream,
  checkpointKeyId: string | null,
): Promise<{ entries: number; checkpoints: number }> {
  const head = await store.AuditHead.findById('head', { _id: 0, seq: 1, hash: 1 }).lean();
  await write(out, {
    kind: 'header',
    version: 1,
    exportedAt: new Date().toISOString(),
    head,
    checkpointKeyId,
  });
  const checkpoints = await store.AuditCheckpoint.find({}, { _id: 0 }).sort({ seq: 1 }).lean<Checkpoint[]>();
  for (const c of checkpoints) await write(out, { kind: 'checkpoint', ...c });
  let entries = 0;
  for await (const e of chainInOrder(store)) {
    await write(out, { kind: 'entry', ...e });
    entries++;
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return { entries, checkpoints: checkpoints.length };
}

/** Verifies an export file offline: every entry, every checkpoint's signature, and the chain against them. */
export async function verifyAuditExport(file: string, publicKey: KeyObject): Promise<ChainVerification> {
  const checkpoints: Checkpoint[] = [];
  const entries: AuditEntry[] = [];
  let head: { seq: number } | null = null;
  for await (const raw of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (!raw.trim()) continue;
    const line = JSON.parse(raw) as ExportLine;
    if (line.kind === 'header') head = line.head;
    else if (line.kind === 'checkpoint') {
      const { kind: _k, ...c } = line;
      checkpoints.push(c);
    } else {
      const { kind: _k, ...e } = line;
      entries.push(e);
    }
  }
  return verifyChain(entries, checkpoints, publicKey, head);
}
