import { loadConfig } from '../infra/config';
import { connectMongo } from '../infra/mongo';
import { createStore } from '../store';
import { verifyAuditChain } from '../store/audit-log';

/** Checks the audit chain straight from the database; exits non-zero and names the first broken entry. */
async function main() {
  const config = loadConfig();
  const connection = await connectMongo(config.MONGODB_URI);
  try {
    const result = await verifyAuditChain(createStore(connection));
    if (result.ok) {
      console.log(`audit log verifies: ${result.checked} entries`);
    } else {
      console.error(
        `audit log BROKEN at entry ${result.firstBrokenSeq} (${result.reason}); ${result.checked} entries before it verify`,
      );
      process.exitCode = 2;
    }
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
