import { loadConfig } from '../infra/config';
import { connectMongo } from '../infra/mongo';
import { createStore } from '../store';
import type { ChainVerification } from '../store/audit-chain';
import { verifyAuditExport } from '../store/audit-export';
import { verifyAuditChain } from '../store/audit-log';
import { loadCheckpointKey, readPublicKey } from '../store/checkpoint-key';

/**
 * Checks the audit chain and its signed checkpoints, exiting non-zero and naming the problem:
 *
 *   npm run audit:verify                                              # the engine's database
 *   npm run audit:verify -- --file export.jsonl --public-key key.pem  # an export, offline, without the engine
 */
async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  let result: ChainVerification;
  const file = arg('--file');
  if (file) {
    const pem = arg('--public-key');
    if (!pem)
      throw new Error(
        'verifying an export needs --public-key <pem> (the checkpoint public key, from the operator)',
      );
    result = await verifyAuditExport(file, readPublicKey(pem));
  } else {
    const config = loadConfig(process.env, { auth: false });
    const key = await loadCheckpointKey(config.AUDIT_CHECKPOINT_KEY_FILE).catch(() => null);
    const connection = await connectMongo(config.MONGODB_URI);
    try {
      result = await verifyAuditChain(createStore(connection), key?.publicKey ?? null);
    } finally {
      await connection.close();
    }
  }
  const against = result.checkpoint
    ? `against the checkpoint at entry ${result.checkpoint.seq} signed ${result.checkpoint.signedAt}`
    : 'no checkpoint signed yet';
  if (result.ok) console.log(`audit log verifies: ${result.checked} entries, ${against}`);
  else {
    console.error(
      `audit log ${result.problem?.toUpperCase()}: ${result.reason} (first broken entry ${result.firstBrokenSeq}; ${result.checked} entries verify before it; ${against})`,
    );
    process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
