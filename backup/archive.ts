import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { digestFile } from './files';
import { MANIFEST_FILE, Manifest, BACKUP_FORMAT } from './manifest';

/**
 * Packs the staged files and the manifest into one gzip'd tar, written under a temporary name and renamed when
 * complete, so an archive under its final name is never partial.
 */
export async function packArchive(stagingDir: string, files: string[], archive: string): Promise<void> {
  const partial = `${archive}.partial`;
  try {
    await tar.c({ gzip: { level: 6 }, file: partial, cwd: stagingDir, portable: true }, [
      MANIFEST_FILE,
      ...files,
    ]);
    await rename(partial, archive);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** Unpacks an archive into `dir` and checks every file against the manifest's size and SHA-256. */
export async function unpackArchive(archive: string, dir: string): Promise<Manifest> {
  await tar.x({ file: archive, cwd: dir, strict: true });
  const raw = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as { format?: unknown };
  if (raw.format !== BACKUP_FORMAT)
    throw new Error(
      `${archive} is not a backup this version can restore (format ${String(raw.format)}, expected ${BACKUP_FORMAT})`,
    );
  const manifest = Manifest.parse(raw);
  for (const f of manifest.files) {
    const actual = await digestFile(path.join(dir, f.path)).catch(() => null);
    if (!actual) throw new Error(`${archive}: ${f.path} is missing`);
    if (actual.sha256 !== f.sha256 || actual.bytes !== f.bytes)
      throw new Error(`${archive}: ${f.path} does not match its checksum (damaged archive)`);
  }
  return manifest;
}
