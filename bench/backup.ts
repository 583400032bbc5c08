/**
 * Backup and restore at scale: the archive's size, the write pause, and how long backing up, verifying and restoring
 * take, at growing numbers of pledges (BENCH_BACKUP_SIZES, default 1,000 then 10,000).
 *
 *   npx tsx bench/backup.ts
 *
 * Runs on services of its own (infra/services.sh on free ports, data in a temporary directory). At each size 80 % of
 * the pledges are finished (READY), written by replaying one real pledge's events through the projector, with that
 * pledge's in-app notifications and e-mail/webhook ledger cloned; 20 % are in flight through real workflows, each
 * waiting at its open review task. Finished pledges have no workflow history: like a deployment whose finished
 * pledges closed longer ago than Temporal's retention. The backup pauses the engine's API, Temporal worker and jobs
 * worker (stopped and started in process); the restore runs `scripts/restore.ts` into fresh data directories on
 * other ports, as an operator would. Writes bench/results/backup.json.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBackup } from '../backup/backup';
import { verifyArchive } from '../backup/verify';
import { connectMongo } from '../infra/mongo';
import { connectRedis, redisReady } from '../infra/redis';
import { createStore } from '../store';
import { verifyAuditChain } from '../store/audit-log';
import { startDeliverySinks } from '../test/support/delivery-sinks';
import { localServices, runCommand } from '../test/support/local-services';
import { DEMO_PASSWORD, type Stack } from '../test/support/stack';
import { deciders, fillReviewInbox, seedBenchTraining, startBenchStack } from './lib/engine';
import { type BenchSigner } from './lib/finished-pledges';
import { historyProjector, writeFinishedPledges } from './lib/history-projector';
import { machineFacts } from './lib/machine';
import { drivePledge } from './pledge-driver';
import { round, sleep } from './lib/stats';

const IN_FLIGHT_SHARE = 0.2;
const TASK_QUEUE = 'bench-backup';
const PREFIX = 'nsatu';
const USERS = ['staff', 'reviewer', 'trainer', 'cos', 'commander', 'deputy', 'saceur', 'admin', 'auditor'];

async function signers(stack: Stack): Promise<Record<string, BenchSigner>> {
  const out: Record<string, BenchSigner> = {};
  for (const [role, username] of [
    ['chief_of_staff', 'cos'],
    ['commander', 'commander'],
    ['saceur', 'saceur'],
  ] as const) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const res = await (
      await stack.as(username)
    ).post('/api/v1/me/keys', { publicKey: publicKey.export({ format: 'jwk' }), password: DEMO_PASSWORD });
    if (res.status !== 201) throw new Error(`key for ${username}: ${res.status}`);
    out[role] = { username, keyId: res.body.keyId as string, privateKey };
  }
  return out;
}

/** Nothing queued or running, every delivery sent, every audit entry linked. */
async function settle(stack: Stack) {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const { queues } = stack.api.deps;
    const counts = await Promise.all(
      [queues.notifications, queues.deliveries].map((q) => q.getJobCounts('waiting', 'active', 'delayed')),
    );
    const busy = counts.reduce((n, c) => n + c.waiting + c.active + c.delayed, 0);
    const unsent = await stack.db.collection('deliveries').countDocuments({ state: 'pending' });
    const unlinked = await stack.db.collection('audit_pending').countDocuments();
    if (busy + unsent + unlinked === 0) return;
    if (Date.now() > deadline)
      throw new Error(`not settled: ${busy} jobs, ${unsent} deliveries, ${unlinked} audit entries`);
    await sleep(1000);
  }
}

export async function runBackupBench(sizes: number[], log: (line: string) => void) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'nsatu-bench-backup-'));
  const services = await localServices(path.join(root, 'data'));
  await services.start();
  let webhookSecret: string | null = null;
  const sinks = await startDeliverySinks({ webhookSecret: () => webhookSecret });
  const database = 'nsatu';
  const stack = await startBenchStack('backup', {
    jobsWorker: 'inline',
    env: {
      MONGODB_URI: services.mongodbUri(database),
      REDIS_URL: services.redisUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      QUEUE_PREFIX: PREFIX,
      SMTP_URL: sinks.smtpUrl,
    },
  });
  const results: Array<Record<string, unknown>> = [];
  // Connections of the bench's own: the API's close when the backup stops it.
  const { config, logger } = stack.api.deps;
  const connection = await connectMongo(config.MONGODB_URI);
  const store = createStore(connection);
  const redis = connectRedis(config.REDIS_URL, 'producer');
  try {
    await redisReady(redis);
    const admin = await stack.as('admin');
    await seedBenchTraining(stack, admin);
    for (const user of USERS)
      await admin.call('PATCH', `/api/v1/admin/users/${user}`, { email: `${user}@nsatu.test` });
    const hook = await admin.post('/api/v1/admin/webhooks', { url: sinks.webhookUrl });
    webhookSecret = hook.body.secret as string;
    const d = await deciders(stack);
    const run = await drivePledge(d, 0, 100);
    if (!run.ok) throw new Error(`the template pledge did not reach READY: ${run.error}`);
    await settle(stack);
    const template = (await store.Pledge.findById(run.id).lean())!;
    const templateNotifications = await stack.db
      .collection('notifications')
      .find({ pledgeId: run.id })
      .toArray();
    const templateDeliveries = await stack.db
      .collection('deliveries')
      .find({ 'payload.pledgeId': run.id })
      .toArray();
    log(
      `template pledge ${run.id} READY: ${template.timeline.length} events, ${templateNotifications.length} notifications, ${templateDeliveries.length} deliveries`,
    );
    const keys = await signers(stack);
    const systems = await stack.api.deps.reference.systems();
    const clone = <T extends Record<string, unknown>>(doc: T, id: string): T =>
      JSON.parse(JSON.stringify(doc).split(run.id).join(id), (k, v: unknown) =>
        (k === 'createdAt' || k === 'updatedAt') && typeof v === 'string' && doc[k] instanceof Date
          ? new Date(v)
          : v,
      ) as T;

    /**
     * Verifies an archive, and the live audit chain beside it: a failing archive is kept for inspection, and the
     * figures are still taken (a chain broken in the live database is the engine's, which the backup shows as it is).
     */
    const check = async (archive: string) => {
      const { checks } = await verifyArchive(archive);
      const failed = checks.filter((c) => !c.ok);
      if (!failed.length) return { ok: true };
      const kept = path.join(os.tmpdir(), `failed-${path.basename(archive)}`);
      await copyFile(archive, kept);
      const live = await verifyAuditChain(store, stack.api.deps.checkpointKey.publicKey);
      log(
        `verification of ${kept} failed: ${JSON.stringify(failed)}; the live chain: ${JSON.stringify(live)}`,
      );
      return { ok: false, failed, liveChain: live };
    };
    let finished = 0;
    let inFlight = 0;
    for (const size of sizes) {
      const wantInFlight = Math.round(size * IN_FLIGHT_SHARE);
      const wantFinished = size - wantInFlight - 1; // the template is one of them
      const fillStarted = performance.now();
      const batch = Array.from({ length: Math.max(0, wantFinished - finished) }, (_, k) => finished + k);
      // Its audit chainer writes a lease every 200 ms: stopped once the history is written, so that nothing but the
      // engine writes the record while a backup pauses the engine (an online copy starts again after every write).
      const history = historyProjector(store, redis, config.QUEUE_PREFIX, logger);
      await writeFinishedPledges(store, history, {
        numbers: batch,
        template,
        systems,
        signers: keys,
        alongside: async (id) => {
          await stack.db
            .collection('notifications')
            .insertMany(templateNotifications.map((x) => clone(x, id)));
          await stack.db.collection('deliveries').insertMany(templateDeliveries.map((x) => clone(x, id)));
        },
        log,
      });
      await history.chainer.stop();
      finished = Math.max(finished, wantFinished);
      if (wantInFlight > inFlight) {
        await fillReviewInbox(stack, d.staff, {
          count: wantInFlight - inFlight,
          inFlight: 20,
          firstIndex: 100_000 + inFlight,
          // 1–3 pledges a second on this machine, fewer with another bench beside it; a fill that stalls still ends.
          deadlineMs: 30 * 60_000 + (wantInFlight - inFlight) * 1_500,
        });
        inFlight = wantInFlight;
      }
      await settle(stack);
      log(`${size} pledges stored in ${round((performance.now() - fillStarted) / 1000)} s; backing up`);

      const backupWith = (ferretDbSqliteDir: string | undefined) =>
        createBackup({
          outDir: path.join(root, 'backups'),
          mongodbUri: services.mongodbUri(database),
          ferretDbSqliteDir,
          redisUrl: services.redisUrl,
          queuePrefix: PREFIX,
          temporal: {
            address: services.temporalAddress,
            namespace: 'default',
            taskQueue: TASK_QUEUE,
            dbFile: path.join(services.dataDir, 'temporal.db'),
          },
          quiesce: {
            method: 'API, Temporal worker and jobs worker stopped and started (in process)',
            pause: () =>
              Promise.all([stack.killWorker(), stack.killJobsWorker(), stack.api.stop()]).then(
                () => undefined,
              ),
            resume: async () => {
              await stack.startWorker();
              await stack.startJobsWorker();
              await stack.restartApi();
            },
          },
          log,
        });
      // As on MongoDB: the record dumped through the wire protocol while the writers wait.
      const overWire = await backupWith(undefined);
      const overWireChecked = await check(overWire.archive);
      await rm(overWire.archive, { force: true });
      await settle(stack);
      // The local default: FerretDB's database file copied during the pause, dumped after it.
      const backupStarted = performance.now();
      const backup = await backupWith(path.join(services.dataDir, 'ferretdb'));
      const backupMs = performance.now() - backupStarted;
      const m = backup.manifest;
      const verifyStarted = performance.now();
      const verified = await check(backup.archive);
      const verifyMs = performance.now() - verifyStarted;

      const drill = await localServices(path.join(root, `drill-${size}`));
      const restoreStarted = performance.now();
      const restored = await runCommand(
        process.execPath,
        ['--import', 'tsx', 'scripts/restore.ts', backup.archive],
        { ...drill.env, TEMPORAL_TASK_QUEUE: TASK_QUEUE, QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'warn' },
      );
      const restoreMs = performance.now() - restoreStarted;
      await drill.stop();
      await rm(drill.dataDir, { recursive: true, force: true });
      // 2: restored, with problems it names (a broken audit chain, say); anything else is a failed restore.
      if (restored.code !== 0 && restored.code !== 2) throw new Error(`restore failed:\n${restored.out}`);

      const documents = m.record.collections.reduce((n, c) => n + c.documents, 0);
      const temporalBytes = (await stat(path.join(services.dataDir, 'temporal.db'))).size;
      const row = {
        pledges: m.counts.pledges,
        inFlight: m.counts.openTasks,
        documents,
        auditEntries: m.audit.entries,
        workflows: m.temporal.workflows,
        redisKeys: m.redis.keys,
        temporalDbMiB: round(temporalBytes / 1048576, 1),
        archiveMiB: round(backup.bytes / 1048576, 1),
        pauseMs: m.pause.ms,
        pauseOverWireMs: overWire.manifest.pause.ms,
        backupOverWireS: round(overWire.totalMs / 1000, 1),
        snapshotMs: m.timings,
        stopWritersMs: m.pause.drainMs,
        startWritersMs: m.pause.resumeMs,
        backupS: round(backupMs / 1000, 1),
        verifyS: round(verifyMs / 1000, 1),
        restoreS: round(restoreMs / 1000, 1),
        verified,
        verifiedOverWire: overWireChecked,
        restoreProblems: restored.out.split('\n').filter((l) => l.startsWith('problem:')),
      };
      results.push(row);
      log(`${size}: ${JSON.stringify(row)}`);
      await rm(backup.archive, { force: true });
    }
  } finally {
    redis.disconnect();
    await connection.close();
    await stack.stop();
    await services.stop();
    await sinks.close();
    await rm(root, { recursive: true, force: true });
  }
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'backup.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine: machineFacts(), results }, null, 2)}\n`,
  );
  console.log(
    '\n| pledges | documents | Temporal DB | archive | write pause | backup | pause, record over the wire | verify | restore |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results)
    console.log(
      `| ${String(r.pledges)} | ${String(r.documents)} | ${String(r.temporalDbMiB)} MiB | ${String(r.archiveMiB)} MiB | ${String(r.pauseMs)} ms | ${String(r.backupS)} s | ${String(r.pauseOverWireMs)} ms | ${String(r.verifyS)} s | ${String(r.restoreS)} s |`,
    );
}

if (require.main === module) {
  const started = performance.now();
  const sizes = (process.env.BENCH_BACKUP_SIZES ?? '1000,10000').split(',').map((s) => Number(s.trim()));
  runBackupBench(sizes, (line) =>
    process.stdout.write(`[${round((performance.now() - started) / 1000)} s] ${line}\n`),
  ).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
