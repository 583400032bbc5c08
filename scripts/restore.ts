/**
 * Restores an archive of `npm run backup` into empty data directories and starts the services on it.
 *
 *   npm run restore -- backups/nsatu-backup-….tar.gz [--overwrite] [--temporal-cluster]
 *
 * Local services (those without TEMPORAL_ADDRESS, MONGODB_URI, REDIS_URL) keep their data under NSATU_DATA_DIR: it
 * must hold no Temporal database and no FerretDB or Redis data, unless --overwrite (services stopped first). External
 * databases must be empty unless --overwrite. Then: the Temporal database is put in place, the services start, the
 * record and Redis are loaded, the read projections rebuilt, the audit chain verified against the archive's head and
 * checkpoint, and the doctor asked whether every pledge and its workflow agree. The engine is not started.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serviceTargets, SERVICES_SCRIPT } from '../backup/local';
import { loadCheckpointKey } from '../store/checkpoint-key';
import {
  checkRestore,
  loadRecordAndRedis,
  occupiedTargets,
  openArchive,
  placeTemporalDatabase,
} from '../backup/restore';
import { connectMongo } from '../infra/mongo';
import { connectTemporal } from '../infra/temporal';
import { createStore } from '../store';
import { diagnose } from './doctor';

const USAGE = 'usage: npm run restore -- <archive> [--overwrite] [--temporal-cluster]';

function services(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(SERVICES_SCRIPT, [command], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`services.sh ${command} failed (${code})`)),
    );
  });
}

const listening = (address: string) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = [
      address.slice(0, address.lastIndexOf(':')),
      Number(address.slice(address.lastIndexOf(':') + 1)),
    ];
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const hasFiles = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      overwrite: { type: 'boolean', default: false },
      'temporal-cluster': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const archive = path.resolve(positionals[0]);
  const overwrite = values.overwrite;
  const { dataDir } = serviceTargets(process.env);
  // Unpacked beside the data it becomes (the same file system, not a possibly small /tmp).
  await mkdir(dataDir, { recursive: true });
  const opened = await openArchive(archive, dataDir);
  const { manifest } = opened;
  try {
    console.log(
      `archive ${manifest.id}: taken at ${manifest.createdAt}, engine ${manifest.engine.version}, checksums ok`,
    );
    const t = serviceTargets(process.env, manifest.config.database);
    // The chain is checked against this engine's checkpoint key: the one the restored engine will sign with.
    const checkpointKey = await loadCheckpointKey(t.config.AUDIT_CHECKPOINT_KEY_FILE).catch((err: Error) => {
      console.warn(`warning: ${err.message}; the audit checkpoints cannot be verified`);
      return null;
    });
    const targets = {
      mongodbUri: t.mongo.uri,
      redisUrl: t.redis.url,
      checkpointPublicKey: checkpointKey?.publicKey ?? null,
    };
    const temporalDb = path.join(t.dataDir, 'temporal.db');
    // The restored workflows wait on the archive's task queue, its jobs sit under its prefix.
    const differs = [
      ['TEMPORAL_TASK_QUEUE', t.config.TEMPORAL_TASK_QUEUE, manifest.config.temporalTaskQueue],
      ['TEMPORAL_NAMESPACE', t.config.TEMPORAL_NAMESPACE, manifest.config.temporalNamespace],
      ['QUEUE_PREFIX', t.config.QUEUE_PREFIX, manifest.config.queuePrefix],
    ].filter(([, now, then]) => now !== then);
    for (const [name, now, then] of differs)
      console.warn(`warning: ${name} is ${now} here but was ${then}: start the engine with ${name}=${then}`);
    const restoreTemporal = !values['temporal-cluster'];
    if (restoreTemporal && t.temporal.external)
      throw new Error(
        `TEMPORAL_ADDRESS is set (${t.temporal.address}): restore that cluster's persistence with its own procedure ` +
          `and pass --temporal-cluster, or unset it to restore into this machine's dev server`,
      );
    if (!restoreTemporal && manifest.temporal.kind === 'file')
      console.warn('warning: the archive holds the Temporal database, which --temporal-cluster leaves out');

    // This machine's services: their data directories must be empty, or be emptied on request with the services down.
    const localData = [
      ...(restoreTemporal ? [temporalDb] : []),
      ...(t.mongo.external ? [] : [path.join(t.dataDir, 'ferretdb')]),
      ...(t.redis.external ? [] : [path.join(t.dataDir, 'redis')]),
    ].filter((p) => (p.endsWith('.db') ? existsSync(p) : hasFiles(p)));
    if (localData.length) {
      if (!overwrite)
        throw new Error(
          `refusing to overwrite data in ${localData.join(', ')} (pass --overwrite to replace it)`,
        );
      const up = await Promise.all([
        listening(t.temporal.address),
        listening(new URL(t.mongo.uri).host),
        listening(new URL(t.redis.url).host),
      ]);
      if (up.some(Boolean))
        throw new Error(`stop the services before overwriting their data: ${SERVICES_SCRIPT} stop`);
      for (const p of localData) await rm(p, { recursive: true, force: true });
      console.log(`removed ${localData.join(', ')}`);
    }
    // External databases: checked before anything is written anywhere.
    if ((t.mongo.external || t.redis.external) && !overwrite) {
      const occupied = await occupiedTargets(targets, manifest.config.queuePrefix);
      if (occupied.length)
        throw new Error(`refusing to restore over data: ${occupied.join('; ')} (--overwrite replaces it)`);
    }

    if (restoreTemporal) {
      await placeTemporalDatabase(opened, temporalDb, { overwrite });
      console.log(`Temporal database restored to ${temporalDb}`);
    }
    const env = { ...process.env };
    await services('start', env);
    const started = performance.now();
    const loaded = await loadRecordAndRedis(opened, targets, { overwrite });
    const documents = Object.values(loaded.documents).reduce((a, b) => a + b, 0);
    console.log(
      `record restored: ${documents} documents in ${Object.keys(loaded.documents).length} collections; ` +
        `Redis: ${loaded.redisKeys} keys (read projections left out)`,
    );
    const checked = await checkRestore(targets, manifest);
    console.log(
      `projections rebuilt: ${checked.projections?.pledges ?? 0} pledges, ${checked.projections?.tasks ?? 0} tasks; ` +
        `audit chain: ${checked.audit.ok ? 'verifies' : 'BROKEN'} (${checked.audit.checked} entries), head ${checked.headMatches ? 'matches the archive' : 'DIFFERS'}` +
        (checked.checkpointMatches === null
          ? ''
          : `, checkpoint ${checked.checkpointMatches ? 'matches' : 'DIFFERS'}`),
    );
    console.log(`loaded and checked in ${Math.round(performance.now() - started)} ms`);

    const connection = await connectMongo(targets.mongodbUri);
    const temporal = await connectTemporal({ ...t.config, TEMPORAL_ADDRESS: t.temporal.address });
    try {
      const findings = await diagnose({ store: createStore(connection), client: temporal.client });
      if (!findings.length) console.log('doctor: every pledge and its workflow agree');
      for (const f of findings) console.log(`doctor: ${f.kind}: pledge ${f.pledgeId} ${JSON.stringify(f)}`);
      if (findings.length)
        checked.problems.push(`${findings.length} doctor findings (see README, "Backup and recovery")`);
    } finally {
      await temporal.close();
      await connection.close();
    }

    if (checked.problems.length) {
      for (const p of checked.problems) console.error(`problem: ${p}`);
      process.exitCode = 2;
      return;
    }
    console.log(`
  restored ${manifest.counts.pledges} pledges (${manifest.counts.openTasks} open tasks) as of ${manifest.createdAt}.
  The services run. Start the engine with the settings and secrets it had: npm run engine (or npm start)`);
  } finally {
    await opened.close();
  }
}

main().catch((err: unknown) => {
  console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
