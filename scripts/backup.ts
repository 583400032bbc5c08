/**
 * Writes one archive of the engine's state (Temporal, the record, Redis) taken at one moment.
 *
 *   npm run backup -- --engine-stopped                       # the engine's processes are stopped
 *   npm run backup -- --pause-cmd 'systemctl stop nsatu-api nsatu-worker nsatu-jobs' \
 *                     --resume-cmd 'systemctl start nsatu-api nsatu-worker nsatu-jobs'
 *
 * Options: --out DIR (default ./backups or NSATU_BACKUP_DIR), --temporal-db FILE (default $NSATU_DATA_DIR/temporal.db),
 * --ferretdb-dir DIR (the local FerretDB's SQLite directory; default $NSATU_DATA_DIR/ferretdb unless MONGODB_URI is set),
 * --temporal-cluster [--temporal-snapshot-cmd CMD] when Temporal is a cluster backed up by its own procedure.
 * The services are found as the engine finds them (MONGODB_URI, REDIS_URL, TEMPORAL_ADDRESS, else the local ones).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBackup } from '../backup/backup';
import { DEFAULT_BACKUP_DIR, serviceTargets } from '../backup/local';
import { commandQuiesce, engineAlreadyStopped, type Quiesce } from '../backup/quiesce';

const USAGE = `usage: npm run backup -- (--engine-stopped | --pause-cmd CMD --resume-cmd CMD) [--out DIR]
       [--temporal-db FILE | --temporal-cluster [--temporal-snapshot-cmd CMD]] [--ferretdb-dir DIR]`;

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'engine-stopped': { type: 'boolean', default: false },
      'pause-cmd': { type: 'string' },
      'resume-cmd': { type: 'string' },
      'temporal-db': { type: 'string' },
      'temporal-cluster': { type: 'boolean', default: false },
      'temporal-snapshot-cmd': { type: 'string' },
      'ferretdb-dir': { type: 'string' },
    },
  });
  const pauseCmd = values['pause-cmd'];
  const resumeCmd = values['resume-cmd'];
  let quiesce: Quiesce;
  if (pauseCmd && resumeCmd) quiesce = commandQuiesce(pauseCmd, resumeCmd);
  else if (values['engine-stopped'] && !pauseCmd && !resumeCmd) quiesce = engineAlreadyStopped;
  else
    throw new Error(
      `the engine's processes must not write while the snapshots are taken: stop them and pass --engine-stopped, or ` +
        `give --pause-cmd and --resume-cmd that stop and start them\n${USAGE}`,
    );

  const targets = serviceTargets();
  const { config } = targets;
  let dbFile: string | null = null;
  if (!values['temporal-cluster']) {
    dbFile = path.resolve(values['temporal-db'] ?? path.join(targets.dataDir, 'temporal.db'));
    if (!existsSync(dbFile))
      throw new Error(
        `no Temporal dev server database at ${dbFile}: give --temporal-db, or --temporal-cluster when Temporal ` +
          `is a cluster backed up by its own procedure`,
      );
  }
  // This machine's FerretDB on SQLite: its database file is copied during the pause and dumped after it.
  const ferretDbDir =
    values['ferretdb-dir'] ??
    (!targets.mongo.external && process.env.FERRETDB_BACKEND !== 'postgresql'
      ? path.join(targets.dataDir, 'ferretdb')
      : undefined);
  const result = await createBackup({
    outDir: path.resolve(values.out ?? process.env.NSATU_BACKUP_DIR ?? DEFAULT_BACKUP_DIR),
    mongodbUri: targets.mongo.uri,
    ferretDbSqliteDir: ferretDbDir && path.resolve(ferretDbDir),
    redisUrl: targets.redis.url,
    queuePrefix: config.QUEUE_PREFIX,
    temporal: {
      address: targets.temporal.address,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dbFile,
      snapshotCommand: values['temporal-snapshot-cmd'],
    },
    quiesce,
    log: (line) => console.log(line),
  });
  const { manifest: m } = result;
  const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
  console.log(`
  archive      ${result.archive} (${mib(result.bytes)})
  taken at     ${m.createdAt}
  write pause  ${m.pause.ms} ms (stopping the writers took ${m.pause.drainMs} ms, starting them ${m.pause.resumeMs} ms)
  snapshots    Temporal ${m.timings.temporalMs} ms, Redis ${m.timings.redisMs} ms, record ${m.timings.recordMs} ms; dumping and packing after the pause ${result.afterPauseMs} ms; in all ${result.totalMs} ms
  record       ${m.record.method}
  pledges      ${m.counts.pledges} ${JSON.stringify(m.counts.pledgesByStatus)}
  tasks        ${m.counts.tasks} (${m.counts.openTasks} open); seats reserved ${m.counts.seatsReserved}; signatures ${m.counts.signatures}
  audit        ${m.audit.entries} entries, head ${m.audit.head ? `${m.audit.head.seq} ${m.audit.head.hash.slice(0, 16)}…` : 'none'}, ${m.audit.pending} queued
  workflows    ${m.temporal.workflows ? `${m.temporal.workflows.running} running of ${m.temporal.workflows.total}` : m.temporal.kind}
  redis        ${m.redis.keys} keys under ${m.config.queuePrefix}: (and ${m.redis.expiringKeys} with a time to live)
  Copy the archive off this machine, encrypted: it holds password hashes and webhook secrets. The engine's own
  secrets (JWT_SECRET, the audit checkpoint key, SMTP credentials) are not in it: back them up apart.`);
}

main().catch((err: unknown) => {
  console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
