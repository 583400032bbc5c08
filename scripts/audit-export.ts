import { createWriteStream } from 'node:fs';
import { loadConfig } from '../infra/config';
import { connectMongo } from '../infra/mongo';
import { createStore } from '../store';
import { exportAudit } from '../store/audit-export';
import { loadCheckpointKey } from '../store/checkpoint-key';

/**
 * Writes the audit log with its signed checkpoints to a file (JSON lines) and the checkpoint public key beside it
 * (`<file>.pub.pem`). An auditor verifies it offline with `npm run audit:verify -- --file <file> --public-key
 * <pem>`, using a public key obtained from the operator by another channel than the export itself.
 */
async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run audit:export -- <file>');
  const config = loadConfig(process.env, { auth: false });
  const key = await loadCheckpointKey(config.AUDIT_CHECKPOINT_KEY_FILE);
  const connection = await connectMongo(config.MONGODB_URI);
  try {
    const counts = await exportAudit(createStore(connection), createWriteStream(file), key.keyId);
    const pub = `${file}.pub.pem`;
    createWriteStream(pub).end(key.publicKey.export({ format: 'pem', type: 'spki' }));
    console.log(
      `exported ${counts.entries} entries and ${counts.checkpoints} checkpoints to ${file}; checkpoint public key ${key.keyId} in ${pub}`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
