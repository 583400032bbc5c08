/**
 * Checks a backup archive without restoring it anywhere (nothing running is touched):
 *
 *   npm run backup:verify -- backups/nsatu-backup-….tar.gz
 *
 * Exits 0 when every check passes, 2 when one fails.
 */
import path from 'node:path';
import { verifyArchive } from '../backup/verify';

async function main() {
  const archive = process.argv[2];
  if (!archive) throw new Error('usage: npm run backup:verify -- <archive>');
  const { manifest, checks } = await verifyArchive(path.resolve(archive));
  console.log(`${manifest.id}: taken at ${manifest.createdAt} (write pause ${manifest.pause.ms} ms)`);
  for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(`verification failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
